"""Rendering: chapters → executed Markdown (cached) → Book → HTML, PDF, docx. Entry point: :func:`render`."""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .book import Book, BookChapter
    from .pipeline import build, render
    from .result import RenderOptions, RenderResult

__all__ = ["render", "build", "RenderResult", "RenderOptions", "Book", "BookChapter"]
_EXPORTS = {"render": ".pipeline", "build": ".pipeline", "RenderResult": ".result", "RenderOptions": ".result",
            "Book": ".book", "BookChapter": ".book"}


def __getattr__(name: str) -> Any:
    """Imported on first use: `dhr check` reads chapters with :mod:`.qmd` without loading the kernel client."""
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name], __name__), name)
    globals()[name] = value
    return value
