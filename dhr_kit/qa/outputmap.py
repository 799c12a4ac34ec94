"""From a rendered output back to the source: one finding per problem.

The text of the HTML pages and the PDF is the executed chapters' text again. A problem found there that
is also in an executed chapter was already reported by ``check`` (source lines) or ``check_book``
(generated text) — at its source file and line, with its suppressions and the letter's acceptances —
so the output check drops it. A problem only the outputs hold (text the writers add: the title page,
running heads, metadata) is reported at the chapter and section it appears in, found from the
headings before it, not at a PDF page number.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .document import Section, parse_document

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
_MARKUP = re.compile(r"[\\*_`^~]|\{[#.][^}]*\}")


def normalise(text: str) -> str:
    """Text compared across Markdown, HTML and PDF: no emphasis or escape marks, plain quotes, one space."""
    return " ".join(_MARKUP.sub("", text.translate(_QUOTES)).lower().split())


_CHAPTER_MAPS: dict[tuple[str, str], tuple[str, list[tuple[Section, str]]]] = {}


def _chapter_map(rel: str, markdown: str) -> tuple[str, list[tuple[Section, str]]]:
    """A chapter's normalised text and its titled sections (remembered in this process: the preview checks
    the outputs on every save, and most chapters have not changed)."""
    known = _CHAPTER_MAPS.get((rel, markdown))
    if known is None:
        sections = [(section, title) for section in parse_document(markdown, rel).sections
                    if (title := normalise(section.title))]
        if len(_CHAPTER_MAPS) >= 256:
            _CHAPTER_MAPS.pop(next(iter(_CHAPTER_MAPS)))
        known = _CHAPTER_MAPS[rel, markdown] = (normalise(markdown), sections)
    return known


@dataclass(frozen=True)
class Place:
    file: str  # the chapter's source file
    line: int  # the section heading's line
    chapter: str
    section: str


class OutputMap:
    """The executed chapters (rel → Markdown) as the outputs' text is checked against them."""

    def __init__(self, executed: Mapping[str, str]):
        self._texts: dict[str, str] = {}
        self._sections: list[tuple[str, Section, str]] = []  # (rel, section, normalised title)
        self._chapter_titles: dict[str, str] = {}
        for rel, markdown in executed.items():
            text, sections = _chapter_map(rel, markdown)
            self._texts[rel] = text
            for section, title in sections:
                self._sections.append((rel, section, title))
                self._chapter_titles.setdefault(rel, section.title)

    def __bool__(self) -> bool:
        return bool(self._texts)

    def known(self, text: str) -> bool:
        """Whether ``text`` (a name, a date, a phone number found in an output) is in an executed chapter."""
        needle = normalise(text)
        return bool(needle) and any(needle in chapter for chapter in self._texts.values())

    def chapter_of_page(self, stem: str) -> str | None:
        """The chapter an HTML page was written from (``02-facts.html`` ← ``chapters/02-facts.qmd``)."""
        return next((rel for rel in self._texts if rel.rsplit("/", 1)[-1].rsplit(".", 1)[0] == stem), None)

    def place(self, before: str, chapter: str | None = None) -> Place | None:
        """The chapter and section whose heading is the last one in ``before`` (the output's text up to
        the finding); ``chapter`` restricts the search to one chapter (an HTML page)."""
        text = normalise(before)
        best: tuple[int, str, Section] | None = None
        for rel, section, title in self._sections:
            if chapter is not None and rel != chapter:
                continue
            at = text.rfind(title)
            if at >= 0 and (best is None or at > best[0] or (at == best[0] and section.level > best[2].level)):
                best = (at, rel, section)
        if best is None:
            if chapter is None or chapter not in self._chapter_titles:
                return None
            return Place(chapter, 1, self._chapter_titles[chapter], self._chapter_titles[chapter])
        _, rel, section = best
        return Place(rel, section.line, self._chapter_titles.get(rel, rel), section.title)
