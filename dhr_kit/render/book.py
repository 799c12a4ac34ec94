"""The assembled book: what the execution stage hands to the output writers (HTML, PDF, docx)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class BookChapter:
    """One chapter after execution: pandoc Markdown with every cell's output spliced in."""

    rel: str  # source path relative to the project root, e.g. "chapters/01-introduction.qmd"
    markdown: str  # pandoc Markdown (no front matter); image paths relative to the project root. With
    # ``blocks`` it may be left empty: it is then written from the AST when first read (debugging, tests).
    title: str  # first heading's text
    slug: str  # file stem used for the HTML page, e.g. "01-introduction"
    part: str | None = None
    appendix: bool = False
    executive_summary: bool = False
    front_matter: dict[str, Any] = field(default_factory=dict)
    number: str | None = None  # "3", "A" (appendix) or None (unnumbered); already written into the headings
    blocks: list[dict[str, Any]] | None = None  # the numbered pandoc AST from the renderer; writers read it as it is


def _markdown(chapter: BookChapter) -> str:
    if not chapter.__dict__["_markdown"] and chapter.blocks is not None:
        from .pandoc_ast import to_markdown

        chapter.__dict__["_markdown"] = to_markdown(chapter.blocks)
    return chapter.__dict__["_markdown"]


def _set_markdown(chapter: BookChapter, value: str) -> None:
    chapter.__dict__["_markdown"] = value


# A property over the dataclass field: the renderer's chapters skip the AST → Markdown run unless asked.
BookChapter.markdown = property(_markdown, _set_markdown)  # type: ignore[assignment]


@dataclass
class Book:
    root: Path  # project root (resources such as figures are resolved against it)
    title: str
    subtitle: str
    lang: str
    chapters: list[BookChapter]
    title_page: dict[str, str]  # see dhr_kit.helpers.title_page_data
    bibliography: list[Path] = field(default_factory=list)
    csl: Path | None = None
    publish: bool = False  # False: draft marking on every output
    output_stem: str = "report"  # PDF/docx file name without extension
    options: dict[str, Any] = field(default_factory=dict)  # per-format options from _quarto.yml
    author: str = ""  # book.author of _quarto.yml
    date: str = ""  # book.date of _quarto.yml
    # Chapter, section, figure and table numbers are already in the chapters' text ("Figure 3.2: …",
    # headings carry `[3.2]{.header-section-number}` and `.unnumbered`): writers must not number again.
    numbered: bool = True
