"""Reading chapter files, each parsed once per process: a parsed chapter is reused while its path,
modification time and content hash are unchanged (``dhr check`` then ``dhr render`` in one process,
the render's own QA gate, the checks' chapter problems)."""
from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from ..errors import InputError, Problem
from .model import Chapter
from .notebook import parse_ipynb_text
from .qmd import parse_qmd_text
from .text import decode

CHAPTER_SUFFIXES = (".qmd", ".md", ".ipynb")

_cache: dict[tuple[str, str], tuple[int, str, Chapter | list[Problem]]] = {}
_lock = threading.Lock()


def _parse(data: bytes, path: Path, rel: str) -> Chapter:
    if path.suffix == ".ipynb":
        return parse_ipynb_text(decode(data, rel), rel, path)
    if path.suffix in {".qmd", ".md"}:
        return parse_qmd_text(decode(data, rel), rel, path)
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
    if cached is not None and cached[0] == mtime and cached[1] == digest:
        result = cached[2]
    else:
        try:
            result = _parse(data, path, rel)
        except InputError as exc:
            result = list(exc.problems)
        with _lock:
            _cache[key] = (mtime, digest, result)
    if isinstance(result, list):
        raise InputError(list(result))
    return result


def clear_cache() -> None:
    with _lock:
        _cache.clear()
