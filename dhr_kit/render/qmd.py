"""Parse a Quarto `.qmd` chapter into front matter, Markdown blocks and executable cells.

Fences are found with markdown-it-py (CommonMark rules: longer fences nest shorter ones, ``~~~`` and
backticks both work); its token ``map`` gives each fence's line range, so cells keep their source line.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from ..errors import InputError, Problem
from ..yamlio import load_yaml_text

EXECUTABLE_LANGUAGES = {"python"}
OPTION_PREFIX = "#|"


@dataclass
class Cell:
    """A piece of a chapter: Markdown text, or a code cell with its `#|` options."""

    kind: str  # "markdown" | "code"
    source: str  # for code: without the `#|` option lines
    line: int  # 1-based line in the source file where the cell starts (fence line / first text line)
    options: dict[str, Any] = field(default_factory=dict)
    outputs: list[dict[str, Any]] | None = None  # stored outputs (notebooks that are not executed)
    code_line: int | None = None  # code cells: line of ``source``'s first line (in the file; in the cell for notebooks)


@dataclass
class Chapter:
    """A parsed chapter file."""

    rel: str  # path relative to the project root
    path: Path
    front_matter: dict[str, Any]
    cells: list[Cell]

    @property
    def code_cells(self) -> list[Cell]:
        return [c for c in self.cells if c.kind == "code"]


def split_front_matter(text: str, rel: str) -> tuple[dict[str, Any], str, int]:
    """Return (front matter, body, number of lines the front matter took)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return {}, text, 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in {"---", "..."}:
            data = load_yaml_text("".join(lines[1:index]), rel, line_offset=1) or {}
            if not isinstance(data, dict):
                raise InputError(Problem(rel, "front matter must be a YAML mapping", line=1,
                                         fix="write `key: value` lines between the two `---` lines"))
            return data, "".join(lines[index + 1:]), index + 1
    raise InputError(Problem(rel, "front matter starting with `---` is never closed", line=1,
                             fix="end the front matter with a line holding only `---`"))


def parse_options(code: str, rel: str, first_line: int) -> tuple[dict[str, Any], str]:
    """Split leading `#|` lines (YAML) from the code. ``first_line`` is the file line of ``code``'s line 1."""
    lines = code.splitlines(keepends=True)
    count = 0
    while count < len(lines) and lines[count].lstrip().startswith(OPTION_PREFIX):
        count += 1
    if count == 0:
        return {}, code
    yaml_text = "".join(line.lstrip()[len(OPTION_PREFIX):].removeprefix(" ") for line in lines[:count])
    try:
        options = load_yaml_text(yaml_text, rel, line_offset=first_line - 1)
    except InputError as exc:  # YAML reports "end of stream" one line past the options: point at the last one
        last = first_line + count - 1
        raise InputError([replace(p, line=min(p.line, last)) if p.line else p for p in exc.problems]) from None
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise InputError(Problem(rel, "cell options must be `#| key: value` lines", line=first_line,
                                 fix="write each option as `#| name: value`, e.g. `#| echo: false`"))
    return options, "".join(lines[count:])


def option_line_count(content: str, code: str) -> int:
    """How many `#|` lines ``parse_options`` took off ``content`` to leave ``code``."""
    return len(content.splitlines()) - len(code.splitlines())


def _fence_language(info: str) -> str | None:
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


_BLOCK_PARSER = MarkdownIt("commonmark")
# Only fences are read from the tokens: skip inline parsing, and block rules that cannot change where a
# fence starts or ends (setext underlines, link reference definitions) — together 2-3x faster.
_BLOCK_PARSER.core.ruler.disable(["inline", "text_join"])
_BLOCK_PARSER.block.ruler.disable(["lheading", "reference"])


def parse_markdown_body(body: str, rel: str, line_offset: int) -> list[Cell]:
    """Cut the body into Markdown and code cells; ``line_offset`` = lines before the body."""
    lines = body.splitlines(keepends=True)
    tokens = _BLOCK_PARSER.parse(body)
    cells: list[Cell] = []
    cursor = 0  # next body line not yet assigned to a cell
    problems: list[Problem] = []
    for token in tokens:
        if token.type != "fence" or token.level != 0 or token.map is None:
            continue
        start, end = token.map
        language = _fence_language(token.info)
        closed = end - 1 > start and _is_closing_fence(lines[end - 1], token.markup)
        if not closed:
            problems.append(Problem(rel, f"code fence {token.markup}{token.info.strip()} is never closed",
                                    line=line_offset + start + 1,
                                    fix=f"add a line with {token.markup} after the code"))
            continue
        if language is None:
            continue  # plain code block: stays Markdown
        if language not in EXECUTABLE_LANGUAGES:
            problems.append(Problem(rel, f"cells in {language!r} cannot be executed (only Python)",
                                    line=line_offset + start + 1,
                                    fix="use ```{python} cells, or a plain ```" + language + " block to show code"))
            continue
        if cursor < start:
            cells.append(Cell("markdown", "".join(lines[cursor:start]), line_offset + cursor + 1))
        try:
            options, code = parse_options(token.content, rel, line_offset + start + 2)
        except InputError as exc:
            problems.extend(exc.problems)
            options, code = {}, token.content
        cells.append(Cell("code", code.rstrip("\n"), line_offset + start + 1, options,
                          code_line=line_offset + start + 2 + option_line_count(token.content, code)))
        cursor = end
    if problems:
        raise InputError(problems)
    if cursor < len(lines):
        cells.append(Cell("markdown", "".join(lines[cursor:]), line_offset + cursor + 1))
    return cells


def parse_qmd(path: Path, rel: str) -> Chapter:
    """Parse a `.qmd` file; an unclosed fence or bad YAML raises InputError naming file:line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(Problem(rel, f"not UTF-8 text ({exc.reason})", fix="save the file as UTF-8")) from None
    front_matter, body, offset = split_front_matter(text, rel)
    return Chapter(rel=rel, path=path, front_matter=front_matter, cells=parse_markdown_body(body, rel, offset))
