"""Reading chapter files, each parsed once per process: a parsed chapter is reused while its path,
modification time and content hash are unchanged (``dhr check`` then ``dhr render`` in one process,
the render's own QA gate, the checks' chapter problems)."""
from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from ..errors import InputError, Problem
from .model import Chapter
from .notebook import parse_ipynb_text
from .qmd import parse_qmd_text
from .text import decode

CHAPTER_SUFFIXES = (".qmd", ".md", ".ipynb")

_cache: dict[tuple[str, str], tuple[int, str, Chapter | list[Problem]]] = {}
_included: dict[str, tuple[int, int]] = {}  # an included file → (mtime, size) when the chapter was parsed
_lock = threading.Lock()


def project_root(path: Path, rel: str) -> Path:
    """The project folder a chapter at ``path`` (``rel`` from the project root) belongs to."""
    absolute = Path(os.path.abspath(path))
    return absolute.parents[len(Path(rel).parts) - 1] if len(Path(rel).parts) > 1 else absolute.parent


def _parse(data: bytes, path: Path, rel: str) -> Chapter:
    if path.suffix == ".ipynb":
        return parse_ipynb_text(decode(data, rel), rel, path)
    if path.suffix in {".qmd", ".md"}:
        return parse_qmd_text(decode(data, rel), rel, path, project_root(path, rel))
    raise InputError(Problem(rel, f"unsupported chapter type {path.suffix!r}",
                             fix="chapters are .qmd, .md or .ipynb files"))


def read_chapter(path: Path, rel: str) -> Chapter:
    """The parsed chapter at ``path``; bad input raises InputError naming file:line (every problem at once)."""
    path = Path(path)
    key = (str(path.resolve()), rel)
    mtime = path.stat().st_mtime_ns
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    with _lock:
        cached = _cache.get(key)
    if cached is not None and cached[0] == mtime and cached[1] == digest and _includes_unchanged(cached[2]):
        result = cached[2]
    else:
        try:
            result = _parse(data, path, rel)
        except InputError as exc:
            result = list(exc.problems)
        with _lock:
            _cache[key] = (mtime, digest, result)
            if not isinstance(result, list):
                _included.update((str(p), _stat(p)) for p in result.includes)
    if isinstance(result, list):
        raise InputError(list(result))
    return result


def _stat(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
        return info.st_mtime_ns, info.st_size
    except OSError:
        return -1, -1


def _includes_unchanged(result: Chapter | list[Problem]) -> bool:
    if isinstance(result, list):
        return True
    return all(_included.get(str(p)) == _stat(p) for p in result.includes)


def clear_cache() -> None:
    with _lock:
        _cache.clear()
