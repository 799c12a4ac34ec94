"""The review a helper works on: the one passed in, or the current project's, loaded once per process."""
from __future__ import annotations

import sys
from pathlib import Path

from ..context import project_root
from ..model import Review

_CACHE: dict[Path, tuple[tuple, Review]] = {}


def _data_signature(root: Path) -> tuple:
    """(path, mtime, size) of every file under data/: a changed data file invalidates the cached review."""
    data = root / "data"
    if not data.is_dir():
        return ()
    return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in data.rglob("*") if p.is_file()))


def get_review(review: Review | None = None) -> Review:
    """``review`` itself, or ``load_review()`` of the current project (cached per root while data/ is unchanged)."""
    if review is not None:
        return review
    from ..loader import load_review  # local: the loader imports pandas/pydantic validation machinery

    root = project_root()
    signature = _data_signature(root)
    cached = _CACHE.get(root)
    if cached is None or cached[0] != signature:
        kernel = sys.modules.get("_dhr_kernel")  # in a renderer's kernel: loaded once per kernel (kernel_setup)
        remember = getattr(kernel, "remember", None)
        review = remember((str(root), signature), lambda: load_review(root)) if remember else load_review(root)
        cached = (signature, review)
        _CACHE[root] = cached
    return cached[1]

