"""A `.qmd` / `.md` chapter: front matter, then Markdown cut into Markdown and executable code cells.

Fences are the fence tokens of the chapter's one block parse (:mod:`.blocks`; CommonMark rules: longer
fences nest shorter ones, ``~~~`` and backticks both work); their line maps give each cell its source line.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..errors import InputError, Problem
from .frontmatter import split_front_matter
from .model import Cell, Chapter
from .options import option_line_count, parse_options
from .shortcodes import expand_includes
from .text import read_text

EXECUTABLE_LANGUAGES = {"python"}


def fence_language(info: str) -> str | None:
    """`{python}` / `{python label="x"}` → "python"; a plain ```python block is not executable."""
    info = info.strip()
    if not (info.startswith("{") and info.endswith("}")):
        return None
    inner = info[1:-1].strip()
    if inner.startswith(("=", ".", "#")):  # raw block {=html} or attribute block {.python}
        return None
    return inner.replace(",", " ").split()[0] if inner else None


def _is_closing_fence(line: str, markup: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and set(stripped) == {markup[0]} and len(stripped) >= len(markup)


def _cells(chapter: Chapter) -> list[Cell]:
    """Cut the text after the front matter into Markdown and code cells."""
    rel = chapter.rel
    lines = chapter.text.splitlines(keepends=True)
    tokens, _ = chapter.blocks
    fences = [t for t in tokens if t.type == "fence" and t.level == 0 and t.map is not None]
    cells: list[Cell] = []
    cursor = chapter.front_matter_lines  # next line not yet assigned to a cell
    problems: list[Problem] = []
    for token in fences:
        start, end = token.map
        language = fence_language(token.info)
        closed = end - 1 > start and _is_closing_fence(lines[end - 1], token.markup)
        if not closed:
            problems.append(Problem(rel, f"code fence {token.markup}{token.info.strip()} is never closed",
                                    line=start + 1, fix=f"add a line with {token.markup} after the code"))
            continue
        if language is None:
            continue  # plain code block: stays Markdown
        if language not in EXECUTABLE_LANGUAGES:
            problems.append(Problem(rel, f"cells in {language!r} cannot be executed (only Python)", line=start + 1,
                                    fix="use ```{python} cells, or a plain ```" + language + " block to show code"))
            continue
        if cursor < start:
            cells.append(Cell("markdown", "".join(lines[cursor:start]), cursor + 1))
        try:
            options, code = parse_options(token.content, rel, start + 2)
        except InputError as exc:
            problems.extend(exc.problems)
            options, code = {}, token.content
        cells.append(Cell("code", code.rstrip("\n"), start + 1, options,
                          code_line=start + 2 + option_line_count(token.content, code)))
        cursor = end
    if problems:
        raise InputError(problems)
    if cursor < len(lines):
        cells.append(Cell("markdown", "".join(lines[cursor:]), cursor + 1))
    return cells


def parse_qmd_text(text: str, rel: str, path: Path, root: Path | None = None) -> Chapter:
    """Parse a chapter's text; an unclosed fence or bad YAML raises InputError naming file:line.

    With the project ``root``, ``{{< include >}}`` shortcodes are expanded into the cells (the chapter's
    ``text`` stays as written, for the checks); cells and problems keep the chapter's line numbers (the
    include's line for what it brought in)."""
    front_matter, _, offset = split_front_matter(text, rel)
    chapter = Chapter(rel=rel, path=path, front_matter=front_matter, cells=[], text=text, front_matter_lines=offset)
    expanded = expand_includes(text, path, root, rel) if root is not None and "include" in text else None
    if expanded is None or not expanded.includes:
        chapter.cells = _cells(chapter)
        return chapter
    shadow = Chapter(rel=rel, path=path, front_matter=front_matter, cells=[], text=expanded.text,
                     front_matter_lines=offset)
    line_of = expanded.line_map

    def mapped(line: int | None) -> int | None:
        return line_of[min(line, len(line_of)) - 1] if line else line

    try:
        cells = _cells(shadow)
    except InputError as exc:
        raise InputError([replace(p, line=mapped(p.line)) for p in exc.problems]) from None
    for cell in cells:
        if cell.code_line is not None:
            cell.code_line = mapped(cell.code_line)
        cell.line = mapped(cell.line) or cell.line
    chapter.cells, chapter.includes = cells, expanded.includes
    return chapter


def parse_qmd(path: Path, rel: str, root: Path | None = None) -> Chapter:
    """Parse a `.qmd` file (uncached: :func:`dhr_kit.source.read_chapter` reads each file once)."""
    return parse_qmd_text(read_text(path, rel), rel, path, root)
