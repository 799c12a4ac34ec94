"""The build caches under `.dhr-cache/`: a chapter's cell outputs and what they depended on (`chapters/`),
and the numbered book (`book.json`). The output folder's stamp is in :mod:`.outputs`.

An entry is valid when the chapter source, `_quarto.yml`, dhr-kit's own files (``code_version``) and the build mode
(draft/publish) hash to the stored key AND every file/folder the kernel read still hashes the same.
When the read-set is unknown, every file under `data/` counts as read (conservative).
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__

CACHE_DIR = ".dhr-cache"
FORMAT_VERSION = 2  # 2: cell figures as SVG + PNG (a cache of PNG-only outputs is re-executed)


@functools.cache
def code_version() -> str:
    """dhr-kit's version and a digest of its own files (code, rules, templates): what cached work depends on
    in dhr-kit itself. A release bump and an edit to a checkout (or an upgrade that kept the version
    number) both make chapters run, and the book be numbered, again. Computed once per process."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{__version__}+{digest.hexdigest()[:16]}"


def sha256_file(path: Path) -> str:
    signature = _signature(path)
    known = _FILE_DIGESTS.get(signature) if signature is not None else None
    if known is not None:
        return known
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return _remember(_FILE_DIGESTS, signature, digest.hexdigest())


# Within a process (the preview) a file whose inode, size and modification time are unchanged is not read
# again. Only files last modified more than SETTLED_SECONDS ago are remembered: a second write within the
# file system's clock tick cannot go unnoticed (git's "racy" rule).
SETTLED_SECONDS = 2.0
_MEMO_SIZE = 4096
_FILE_DIGESTS: dict[tuple, str] = {}


def _signature(path: Path) -> tuple | None:
    """(path, inode, size, mtime) of a settled file, else None (not to be remembered)."""
    import time

    try:
        info = os.stat(path)
    except OSError:
        return None
    if time.time() - info.st_mtime < SETTLED_SECONDS:
        return None
    return (os.fspath(path), info.st_ino, info.st_size, info.st_mtime_ns)


def _remember(memo: dict, signature: tuple | None, value: Any, size: int = _MEMO_SIZE) -> Any:
    if signature is not None:
        if len(memo) >= size:
            memo.pop(next(iter(memo)))
        memo[signature] = value
    return value


def _listing_hash(path: Path) -> str:
    return hashlib.sha256("\n".join(sorted(os.listdir(path))).encode()).hexdigest()


class Hasher:
    """Hashes project files once per build (many chapters read the same data)."""

    def __init__(self, root: Path):
        self.root = root
        self._memo: dict[tuple[str, str], str] = {}

    def file(self, rel: str) -> str:
        if ("f", rel) not in self._memo:
            path = self.root / rel
            self._memo[("f", rel)] = sha256_file(path) if path.is_file() else "missing"
        return self._memo[("f", rel)]

    def folder(self, rel: str) -> str:
        if ("d", rel) not in self._memo:
            path = self.root / rel
            self._memo[("d", rel)] = _listing_hash(path) if path.is_dir() else "missing"
        return self._memo[("d", rel)]


def _source_rel(rel: str) -> str:
    """A compiled module `pkg/__pycache__/mod.cpython-311.pyc` stands for its source `pkg/mod.py`."""
    parts = rel.split("/")
    if len(parts) >= 2 and parts[-2] == "__pycache__" and parts[-1].endswith(".pyc"):
        return "/".join(parts[:-2] + [parts[-1].split(".")[0] + ".py"])
    return rel


def normalise_read_set(rels: list[str], ignored_top: set[str]) -> list[str]:
    """Drop reads of the cache, outputs and hidden folders; map .pyc files to their sources."""
    keep = set()
    for rel in rels:
        rel = rel.replace(os.sep, "/")
        top = rel.split("/", 1)[0]
        if not rel or top in ignored_top or top.startswith("."):
            continue
        if "__pycache__" in rel.split("/") and not rel.endswith(".pyc"):
            continue
        keep.add(_source_rel(rel))
    return sorted(keep)


def fallback_read_set(root: Path) -> list[str]:
    data = root / "data"
    if not data.is_dir():
        return []
    return sorted(p.relative_to(root).as_posix() for p in data.rglob("*") if p.is_file())


@dataclass
class CacheEntry:
    key: str
    outputs: list[list[dict[str, Any]]]
    files: dict[str, str] = field(default_factory=dict)  # rel -> sha256
    dirs: dict[str, str] = field(default_factory=dict)  # rel -> hash of the listing
    seconds: float = 0.0


_ENTRIES: dict[tuple, "CacheEntry"] = {}  # entries read in this process, by file signature


class ChapterCache:
    def __init__(self, root: Path):
        self.root = root
        self.folder = root / CACHE_DIR / "chapters"
        self.hasher = Hasher(root)

    def _path(self, rel: str) -> Path:
        name = rel.replace("/", "__")
        return self.folder / f"{name}.json"

    def key(self, chapter_path: Path, *, publish: bool, version: str, extra: str = "", code: str | None = None) -> str:
        """``code``: what the chapter gives its kernel (its code cells and front matter, see
        run_chapters.code_digest) — a change to its prose alone then needs no new run; else the file's bytes."""
        digest = hashlib.sha256()
        source = sha256_file(chapter_path) if code is None else "code:" + code
        for part in (str(FORMAT_VERSION), version, "publish" if publish else "draft", extra,
                     source, self.hasher.file("_quarto.yml")):
            digest.update(part.encode() + b"\0")
        return digest.hexdigest()

    def load(self, rel: str) -> CacheEntry | None:
        path = self._path(rel)
        if not path.is_file():
            return None
        signature = _signature(path)
        known = _ENTRIES.get(signature) if signature is not None else None
        if known is not None:
            return known  # (read-only for callers, as every entry)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return _remember(_ENTRIES, signature, CacheEntry(**data), size=128)  # (outputs hold figures: fewer)
        except (ValueError, TypeError):
            return None  # a damaged entry is simply re-executed

    def is_fresh(self, entry: CacheEntry, key: str, *, except_files: frozenset[str] = frozenset()) -> bool:
        """The entry is the chapter's current run (``except_files``: reads not compared)."""
        if entry.key != key:
            return False
        return (all(rel in except_files or self.hasher.file(rel) == h for rel, h in entry.files.items())
                and all(self.hasher.folder(rel) == h for rel, h in entry.dirs.items()))

    def store(self, rel: str, key: str, outputs: list[list[dict[str, Any]]], files: list[str],
              dirs: list[str], seconds: float) -> CacheEntry:
        entry = CacheEntry(key=key, outputs=outputs, seconds=seconds,
                           files={f: self._fresh_file_hash(f) for f in files},
                           dirs={d: self._fresh_folder_hash(d) for d in dirs})
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self._path(rel)
        temp = target.with_suffix(".tmp")
        temp.write_text(json.dumps(entry.__dict__), encoding="utf-8")
        os.replace(temp, target)
        return entry

    def _fresh_file_hash(self, rel: str) -> str:
        self.hasher._memo.pop(("f", rel), None)  # the kernel may have just written it
        return self.hasher.file(rel)

    def _fresh_folder_hash(self, rel: str) -> str:
        self.hasher._memo.pop(("d", rel), None)
        return self.hasher.folder(rel)


class BookCache:
    """The numbered book (`.dhr-cache/book.json`): the book pass's result, keyed by the digest of its input."""

    def __init__(self, root: Path):
        self.path = root / CACHE_DIR / "book.json"

    @staticmethod
    def digest(payload: Any) -> str:
        return hashlib.sha256(json.dumps(payload).encode()).hexdigest()

    def load(self, digest: str) -> dict[str, Any] | None:
        """The stored chapters and problems (plain dicts) when stored for ``digest``, else None."""
        try:
            with self.path.open(encoding="utf-8") as handle:
                if handle.readline().strip() != digest:  # the digest on a line of its own: no parse when stale
                    return None
                data = json.loads(handle.read())
            return {"chapters": list(data["chapters"]), "problems": list(data["problems"])}
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return None

    def store(self, digest: str, chapters: list[dict[str, Any]], problems: list[dict[str, Any]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(digest + "\n" + json.dumps({"chapters": chapters, "problems": problems}),
                             encoding="utf-8")
