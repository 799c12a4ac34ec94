"""The block structure of chapter Markdown: one markdown-it pass (CommonMark, raw HTML, pipe tables)
over the text with pandoc's fenced-div fence lines blanked.

Pandoc fenced divs (``::: {.x}``) are found by a small line scanner first, because markdown-it's
container plugin cannot nest divs with equal fence lengths the way pandoc does. Only block tokens are
made (inline parsing, setext headings are off: 2-3x faster); line maps index the text's lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_DIV_OPEN = re.compile(r"^ {0,3}(:{3,})\s*(\{[^}]*\}|[A-Za-z][\w-]*)\s*:*\s*$")
_DIV_CLOSE = re.compile(r"^ {0,3}:{3,}\s*$")
_CLASS = re.compile(r"\.([A-Za-z][\w-]*)")

_PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")
_PARSER.core.ruler.disable(["inline", "text_join"])
_PARSER.block.ruler.disable(["lheading"])  # slow; callers recognise setext headings themselves

@dataclass(frozen=True)
class Div:
    """A pandoc fenced div: 0-based lines of its opening and closing fences, and its classes."""

    start: int
    end: int
    classes: frozenset[str]


def scan_divs(lines: list[str]) -> tuple[list[str], list[Div]]:
    """The lines with every fenced-div fence line blanked (so markdown-it sees the divs' content), and the divs."""
    out = list(lines)
    divs: list[Div] = []
    stack: list[tuple[int, frozenset[str]]] = []
    fence: str | None = None
    for i, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                    and not line.strip().lstrip(fence[0]):
                fence = None
            continue
        if match:
            fence = match.group(1)
            continue
        if _DIV_CLOSE.match(line) and stack:
            start, classes = stack.pop()
            divs.append(Div(start, i, classes))
            out[i] = ""
            continue
        opened = _DIV_OPEN.match(line)
        if opened:
            spec = opened.group(2)
            stack.append((i, frozenset(_CLASS.findall(spec)) if spec.startswith("{") else frozenset({spec})))
            out[i] = ""
    return out, divs


def parse_blocks(lines: list[str], front_matter_lines: int = 0) -> tuple[list[Token], list[Div]]:
    """Block tokens and fenced divs of Markdown ``lines``; the first ``front_matter_lines`` are skipped."""
    body = [""] * front_matter_lines + lines[front_matter_lines:]
    md_lines, divs = scan_divs(body)
    return _PARSER.parse("\n".join(md_lines) + "\n"), divs
