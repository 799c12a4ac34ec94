"""What a chapter is once read: front matter, Markdown and code cells, and its block structure."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from .blocks import Div, parse_blocks


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
    """A parsed chapter file. Shared by the renderer and the checks (read once per process): treat as read-only."""

    rel: str  # path relative to the project root
    path: Path
    front_matter: dict[str, Any]
    cells: list[Cell]
    text: str = ""  # the source as Markdown (a notebook's cells joined as ```{python} fences)
    front_matter_lines: int = 0  # lines of ``text`` the front matter takes
    includes: list[Path] = field(default_factory=list)  # files `{{< include >}}` put into the cells (absolute)
    _blocks: tuple[list[Token], list[Div]] | None = field(default=None, repr=False, compare=False)

    @property
    def code_cells(self) -> list[Cell]:
        return [c for c in self.cells if c.kind == "code"]

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @property
    def blocks(self) -> tuple[list[Token], list[Div]]:
        """markdown-it block tokens of ``text`` (line maps are lines of ``text``) and its fenced divs."""
        if self._blocks is None:
            self._blocks = parse_blocks(self.lines, self.front_matter_lines)
        return self._blocks
