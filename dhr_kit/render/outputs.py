"""Safe output folders: build next to the output dir, swap in at the end; skip unchanged rebuilds."""
from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..boundary import OWNED_MARKER
from .cache import CACHE_DIR, sha256_file

_DEBRIS = re.compile(r"-(\d+)-[^-]*$")  # staging names carry the builder's process id: .<name>.tmp-<pid>-<random>


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, but another user's
        return True
    return pid != 0


def remove_debris(folder: Path, prefix: str) -> list[Path]:
    """Delete ``prefix*`` folders in ``folder`` left by a build that was killed (its process is gone)."""
    removed = []
    for path in folder.glob(f"{glob.escape(prefix)}*") if folder.is_dir() else ():
        match = _DEBRIS.search(path.name)
        if path.is_dir() and not path.is_symlink() and match and not _process_alive(int(match.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def staging_prefix(name: str, kind: str = "tmp") -> str:
    return f".{name}.{kind}-{os.getpid()}-"


@contextmanager
def staging_dir(output_dir: Path) -> Iterator[Path]:
    """A fresh folder beside ``output_dir``; removed unless :func:`swap_in` consumed it.

    Folders left by a killed build (``.<name>.tmp-<pid>-*``, ``.<name>.old-<pid>-*``) are removed first."""
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    for kind in ("tmp", "old"):
        remove_debris(output_dir.parent, f".{output_dir.name}.{kind}-")
    staging = Path(tempfile.mkdtemp(prefix=staging_prefix(output_dir.name), dir=output_dir.parent))
    umask = os.umask(0o022)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)  # mkdtemp's 0700 would hide the published folder from a web server
    try:
        yield staging
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def mark_owned(folder: Path) -> Path:
    """Write the ``.dhr-output`` marker (always the same bytes: a checksum of it stays valid)."""
    marker = folder / OWNED_MARKER
    marker.write_text("This folder is made by dhr-kit and replaced on every build.\n", encoding="utf-8")
    return marker


def swap_in(staging: Path, output_dir: Path) -> None:
    """Replace ``output_dir`` by ``staging`` with two renames (the old folder is removed afterwards).

    The new folder is marked as dhr-kit's (``.dhr-output``), so a later build knows it may replace it."""
    mark_owned(staging)
    old = None
    if output_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=staging_prefix(output_dir.name, "old"), dir=output_dir.parent))
        os.rmdir(old)
        os.replace(output_dir, old)
    os.replace(staging, output_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256_file(p) for p in sorted(folder.rglob("*")) if p.is_file()}


class OutputStamp:
    """Remembers which inputs produced the current output folder (`.dhr-cache/outputs.json`)."""

    def __init__(self, root: Path):
        self.path = root / CACHE_DIR / "outputs.json"

    @staticmethod
    def digest(*parts: str) -> str:
        digest = hashlib.sha256()
        for part in parts:
            digest.update(part.encode("utf-8") + b"\0")
        return digest.hexdigest()

    def matches(self, stamp: str, output_dir: Path) -> bool:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return (data.get("stamp") == stamp and output_dir.is_dir()
                and data.get("output_dir") == str(output_dir) and data.get("files") == _files(output_dir))

    def record(self, stamp: str, output_dir: Path) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"stamp": stamp, "output_dir": str(output_dir), "files": _files(output_dir)}
        self.path.write_text(json.dumps(data, indent=1), encoding="utf-8")

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def tree_digest(folder: Path, pattern: str = "*") -> str:
    """Hash of every file's path and content under ``folder`` (templates, package sources)."""
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(folder.rglob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()
