"""A chapter as the checks see it: sections, lintable text with source positions, code-cell calls.

A chapter's block structure comes from the chapter-source layer (:mod:`dhr_kit.source`: one
markdown-it pass per chapter, shared with the renderer); executed Markdown is parsed the same way.

Text given to the language rules (``prose``) skips: front matter, code (fences, indented code,
inline code), block quotes, ``[quoted]{.quote}`` spans, ``::: {.family-quote}`` / ``{.quote}`` divs,
HTML comments, link targets and attribute blocks. Masked characters become spaces, so an offset in
a segment's text maps back to the exact line and column of the source.
"""
from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from markdown_it.token import Token

from ..errors import InputError
from ..source import Chapter, Div, front_matter_end, parse_blocks, parse_options, read_chapter

QUOTE_CLASSES = {"family-quote", "quote", "quotation", "family-words"}
LETTER_CLASSES = {"qa-letter"}  # the QA Panel's letter annexed by qa_letter(): its words, not the author's


# Inline spans that are not prose: masked (replaced by spaces) before linting.
_MASKS = re.compile(
    r"<!--.*?-->"  # HTML comments
    r"|(?P<ticks>`+)(?!`).*?(?<!`)(?P=ticks)(?!`)"  # inline code
    r"|\[(?:[^\[\]]|\[[^\[\]]*\])*\]\{[^}]*\.(?:quote|family-quote|quotation)\b[^}]*\}"  # [quoted]{.quote}
    r"|\]\([^)]*\)"  # link / image targets
    r"|\{\{<.*?>\}\}"  # shortcodes
    r"|\{[#.][^}]*\}|\{[\w-]+=[^}]*\}"  # attribute blocks {#sec-x .unnumbered}
    r"|<https?://[^>]*>|https?://\S+",  # URLs
    re.DOTALL,
)
_INLINE_EXPR = re.compile(r"`\{(?:python|r)\}\s*([^`]+)`")
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_SUPPRESS = re.compile(
    r"^\s*dhr-disable\s+(?P<ids>DHR-[A-Z]\d{3}(?:\s*,\s*DHR-[A-Z]\d{3})*)\s*(?::\s*(?P<reason>.*?))?\s*$",
    re.DOTALL)
_HEADING_CLEAN = re.compile(r"\{[^}]*\}\s*$")
_NUMBERING = re.compile(r"^(?:(?:section|chapter|annex|appendix)\s+)?(?:\d+(?:\.\d+)*|[a-z]\d*|[ivx]+)[.):]?\s+",
                        re.IGNORECASE)


def normalise_heading(text: str) -> str:
    """'3.1 The Review Panel {#sec-panel}' -> 'review panel' (lower case, no numbering, no article)."""
    text = _HEADING_CLEAN.sub("", text).strip()
    text = re.sub(r"[*_`]", "", text)
    text = _NUMBERING.sub("", text)
    text = re.sub(r"[^\w'’\s/&-]", " ", text.lower()).replace("’", "'")
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^(?:the|a|an) ", "", text)


@dataclass
class Segment:
    """A block of text (paragraph, heading, list item, table row) with masked non-prose parts."""

    kind: str  # 'prose' | 'heading' | 'quote' | 'letter' (the QA Panel's letter annex)
    line: int  # first line, 1-based
    text: str
    end_line: int  # last line, 1-based

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        for match in re.finditer("\n", self.text):
            starts.append(match.end())
        return starts

    def locate(self, offset: int) -> tuple[int, int]:
        """(line, column), both 1-based, of an offset into ``text``."""
        starts = self._line_starts
        lo, hi = 0, len(starts) - 1
        while lo < hi:  # last start <= offset
            mid = (lo + hi + 1) // 2
            if starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return self.line + lo, offset - starts[lo] + 1


def joined(segments: list[Segment]) -> tuple[str, Callable[[int, int], tuple[Segment, int] | None]]:
    """The segments' texts joined by blank lines (one regex pass instead of one per segment), and a
    function mapping a match (start, end) in it to (segment, offset in the segment) — None when the
    match straddles two segments."""
    starts: list[int] = []
    position = 0
    for segment in segments:
        starts.append(position)
        position += len(segment.text) + 2
    text = "\n\n".join(s.text for s in segments)

    def locate(start: int, end: int) -> tuple[Segment, int] | None:
        index = bisect.bisect_right(starts, start) - 1
        if index < 0 or end > starts[index] + len(segments[index].text):
            return None
        return segments[index], start - starts[index]

    return text, locate


@dataclass
class Call:
    """A function call in a code cell (or inline expression), e.g. ``tor_analysis("ToR3")``."""

    name: str
    args: list[str]
    line: int


@dataclass
class CodeCell:
    line: int  # line of the opening fence
    end_line: int
    language: str
    source: str
    options: dict[str, Any]  # the cell's `#|` options
    calls: list[Call]


@dataclass
class Section:
    title: str
    norm: str
    level: int
    line: int
    end_line: int  # last line of the section (including subsections)
    file: str


@dataclass
class Suppression:
    line: int
    column: int
    rules: tuple[str, ...]
    reason: str
    first_line: int = 0  # lines covered
    last_line: int = 0
    cell_line: int | None = None  # the code cell it stands before: it also covers that cell's output
    used: int = 0  # findings it suppressed in this run

    def to_dict(self, file: str) -> dict:
        return {"rules": list(self.rules), "file": file, "line": self.line, "reason": self.reason,
                "covers": [self.first_line, self.last_line], "cell_output": self.cell_line is not None,
                "suppressed": self.used}


@dataclass
class Document:
    file: str  # relative to the project root, as the author sees it
    lines: list[str]
    appendix: bool = False
    front_matter: dict[str, Any] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    cells: list[CodeCell] = field(default_factory=list)
    inline_calls: list[Call] = field(default_factory=list)
    comments: list[tuple[int, int, str]] = field(default_factory=list)  # (line, column, text)
    suppressions: list[Suppression] = field(default_factory=list)

    @property
    def calls(self) -> list[Call]:
        return [c for cell in self.cells for c in cell.calls] + self.inline_calls

    def calls_between(self, first: int, last: int) -> list[Call]:
        return [c for c in self.calls if first <= c.line <= last]

    def segments_between(self, first: int, last: int, kinds: tuple[str, ...] = ("prose",)) -> list[Segment]:
        return [s for s in self.segments if first <= s.line <= last and s.kind in kinds]

    def words_between(self, first: int, last: int) -> int:
        return sum(len(s.text.split()) for s in self.segments_between(first, last))

    @property
    def prose(self) -> list[Segment]:
        return [s for s in self.segments if s.kind in ("prose", "heading")]

    def suppressed(self, rule: str, line: int) -> bool:
        """Whether a suppression with a reason covers ``rule`` at ``line`` (it counts the use)."""
        for s in self.suppressions:
            if s.reason and rule in s.rules and s.first_line <= line <= s.last_line:
                s.used += 1
                return True
        return False


# --------------------------------------------------------------------------------------------------
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")


def _quote_lines(divs: list[Div], classes: set[str] = QUOTE_CLASSES) -> set[int]:
    """0-based lines inside quote divs (fence lines included)."""
    return {line for div in divs if div.classes & classes for line in range(div.start, div.end + 1)}


_TABLE_RULE = re.compile(r"^[ \t]*[+|][-=:+| ]*[+|][ \t]*$", re.MULTILINE)  # +----+ / |---|---| lines
_TABLE_ROW = re.compile(r"^[ \t]*\|.*$", re.MULTILINE)


def _mask(text: str) -> str:
    text = _MASKS.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    if "|" in text or "+" in text:
        # table borders become spaces, so a phrase wrapped inside a grid-table cell reads as one
        text = _TABLE_RULE.sub(lambda m: " " * len(m.group(0)), text)
        text = _TABLE_ROW.sub(lambda m: m.group(0).replace("|", " "), text)
    return text


def _calls(source: str, first_line: int) -> list[Call]:
    """Calls in Python code; ``first_line`` is the file line of the code's first line."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        found = []
        for number, line in enumerate(source.splitlines()):
            for match in re.finditer(r"\b([A-Za-z_]\w*)\s*\(\s*(?:[\"']([^\"']*)[\"'])?", line):
                found.append(Call(match[1], [match[2]] if match[2] else [], first_line + number))
        return found
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if not name:
                continue
            values = [*node.args, *(k.value for k in node.keywords)]
            args = [a.value for a in values if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            found.append(Call(name, args, first_line + node.lineno - 1))
    found.sort(key=lambda c: c.line)
    return found


def parse_document(text: str, file: str, *, appendix: bool = False) -> Document:
    """Parse Markdown (e.g. a chapter's executed Markdown) into a :class:`Document`."""
    lines = text.splitlines()
    skip = front_matter_end(lines) or 0
    front_matter: dict[str, Any] = {}
    if skip:
        try:
            data = yaml.safe_load("\n".join(lines[1:skip - 1]))
        except yaml.YAMLError:
            data = None
        front_matter = data if isinstance(data, dict) else {}
    tokens, divs = parse_blocks(lines, skip)
    return _build(Document(file=file, lines=lines, appendix=appendix, front_matter=front_matter), tokens, divs)


def chapter_document(chapter: Chapter, *, appendix: bool = False) -> Document:
    """A parsed chapter's :class:`Document` (its text and block tokens, as the renderer reads them)."""
    tokens, divs = chapter.blocks
    doc = Document(file=chapter.rel, lines=chapter.lines, appendix=appendix, front_matter=dict(chapter.front_matter))
    options = {c.line: c.options for c in chapter.code_cells} if chapter.path.suffix != ".ipynb" else None
    return _build(doc, tokens, divs, options)


def _options(source: str, line: int, known: dict[int, dict[str, Any]] | None) -> dict[str, Any]:
    if known is not None and line in known:
        return known[line]
    try:
        return parse_options(source, "", line + 1)[0]
    except InputError:
        return {}


def _build(doc: Document, tokens: list[Token], divs: list[Div],
           cell_options: dict[int, dict[str, Any]] | None = None) -> Document:
    lines = doc.lines
    quote_lines = _quote_lines(divs)
    letter_lines = _quote_lines(divs, LETTER_CLASSES)
    headings: list[tuple[int, int, str]] = []  # (line, level, text)
    title = doc.front_matter.get("title")
    if isinstance(title, str) and title.strip():
        headings.append((1, 1, title.strip()))
    in_quote = 0
    row_map: list[int] | None = None
    heading_level = 0
    paragraph_end = -1

    def add_segment(kind: str, first: int, last: int) -> None:  # 0-based, last exclusive
        raw = "\n".join(lines[first:last])
        if kind in ("prose", "heading", "quote") and first in letter_lines:
            kind = "letter"
        elif kind == "prose" and first in quote_lines:
            kind = "quote"
        for match in _INLINE_EXPR.finditer(raw):
            line = first + raw.count("\n", 0, match.start()) + 1
            doc.inline_calls.extend(_calls(match.group(1).strip(), line))
        for match in _COMMENT.finditer(raw):
            before = raw[:match.start()]
            line = first + before.count("\n") + 1
            column = match.start() - (before.rfind("\n") + 1) + 1
            doc.comments.append((line, column, match.group(1)))
        doc.segments.append(Segment(kind, first + 1, _mask(raw), last))

    for token in tokens:
        kind = token.type
        if kind == "blockquote_open":
            in_quote += 1
        elif kind == "blockquote_close":
            in_quote -= 1
        elif kind == "heading_open":
            heading_level = int(token.tag[1:])
        elif kind == "tr_open":
            row_map = token.map
        elif kind == "tr_close" and row_map:
            add_segment("quote" if in_quote else "prose", row_map[0], row_map[1])
            row_map = None
        elif kind == "hr" and token.map and paragraph_end == token.map[0] and doc.segments \
                and lines[token.map[0]].strip().startswith("-") and doc.segments[-1].kind == "prose":
            # "Title\n-----": a setext level-2 heading (markdown-it's lheading rule is disabled)
            previous = doc.segments.pop()
            headings.append((previous.line, 2, "\n".join(lines[previous.line - 1:token.map[0]])))
            doc.segments.append(Segment("heading", previous.line, previous.text, token.map[1]))
        elif kind == "inline" and token.map and row_map is None:
            first, last = token.map
            if not heading_level and last - first >= 2 and _SETEXT.match(lines[last - 1]) \
                    and lines[last - 1].strip()[0] == "=":
                headings.append((first + 1, 1, "\n".join(lines[first:last - 1])))
                add_segment("heading", first, last - 1)
                paragraph_end = last
                continue
            paragraph_end = last
            if heading_level:
                headings.append((first + 1, heading_level, token.content))
                add_segment("quote" if in_quote else "heading", first, last)
                heading_level = 0
            else:
                add_segment("quote" if in_quote else "prose", first, last)
        elif kind in ("fence", "code_block") and token.map:
            info = token.info.strip()
            first, last = token.map
            language = re.sub(r"[{}]", " ", info).split()[0].lower() if info else ""
            source = token.content
            is_cell = info.startswith("{")
            calls = _calls(source, first + 2) if is_cell and language in ("python", "ipython") else []
            doc.cells.append(CodeCell(first + 1, last, language, source,
                                      _options(source, first + 1, cell_options) if is_cell else {}, calls))
        elif kind == "html_block" and token.map:
            first, last = token.map
            raw = "\n".join(lines[first:last])
            for match in _COMMENT.finditer(raw):
                before = raw[:match.start()]
                doc.comments.append((first + before.count("\n") + 1,
                                     match.start() - (before.rfind("\n") + 1) + 1, match.group(1)))
            if not _COMMENT.fullmatch(raw.strip()):  # other raw HTML: still text a reader sees
                add_segment("prose", first, last)

    total = len(lines)
    for index, (line, level, title) in enumerate(headings):
        end = total
        for later_line, later_level, _ in headings[index + 1:]:
            if later_level <= level:
                end = later_line - 1
                break
        doc.sections.append(Section(_HEADING_CLEAN.sub("", title).strip(), normalise_heading(title), level,
                                    line, max(end, line), doc.file))
    _attach_suppressions(doc)
    return doc


def _attach_suppressions(doc: Document) -> None:
    for line, column, text in doc.comments:
        match = _SUPPRESS.match(text)
        if not match:
            continue
        ids = tuple(re.split(r"\s*,\s*", match["ids"].strip()))
        suppression = Suppression(line, column, ids, (match["reason"] or "").strip())
        # the paragraph holding the comment (inline), else the next block after it: a paragraph, or a code
        # cell (then the cell's output too: see dhr_kit.qa.run.check_book)
        block = next((s for s in doc.segments if s.line <= line <= s.end_line and s.text.strip()), None)
        following = next((s for s in doc.segments if s.line > line), None)
        cell = next((c for c in doc.cells if c.line > line), None)
        suppression.first_line = line
        if block is None and cell is not None and (following is None or cell.line < following.line):
            suppression.last_line, suppression.cell_line = cell.end_line, cell.line
        else:
            block = block or following
            suppression.last_line = block.end_line if block else line
        doc.suppressions.append(suppression)


def load_document(path: Path, file: str, *, appendix: bool = False) -> Document:
    """The :class:`Document` of a chapter file (read through the chapter-source layer's cache)."""
    return chapter_document(read_chapter(path, file), appendix=appendix)
