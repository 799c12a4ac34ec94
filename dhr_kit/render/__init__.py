"""Rendering: chapters → executed Markdown (cached) → Book → HTML, PDF, docx. Entry point: :func:`render`."""
from __future__ import annotations

from .book import Book, BookChapter
from .pipeline import RenderResult, render

__all__ = ["render", "RenderResult", "Book", "BookChapter"]
