"""A chapter's executed Markdown mapped back to its source (.qmd): Markdown cells are copied verbatim,
and the text between two of them is the output of the code cells between them. Findings in generated
text are reported at the line of the cell that generated it; suppressions standing before a cell cover
that cell's output. Outputs of consecutive code cells with no text between them cannot be told apart:
they are reported at the first of those cells, and a suppression before one of them covers them all."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from .document import Suppression


@dataclass
class ExecutedMap:
    regions: dict[int, tuple[int, int]] = field(default_factory=dict)  # code cell line -> its output's lines
    copies: list[tuple[int, int, int]] = field(default_factory=list)  # (first, last executed line, source line)

    def copied(self, line: int) -> bool:
        return any(first <= line <= last for first, last, _ in self.copies)

    def source_line(self, line: int) -> int | None:
        """The source line of an executed line: the same text's line, or the generating cell's line."""
        for first, last, source in self.copies:
            if first <= line <= last:
                return source + line - first
        cells = [cell for cell, (first, last) in self.regions.items() if first <= line <= last]
        return min(cells) if cells else None


def executed_map(source_path: Path, rel: str, markdown: str) -> ExecutedMap:
    from ..source import read_chapter

    out = ExecutedMap()
    position, pending = 0, []

    def line_at(offset: int) -> int:
        return markdown.count("\n", 0, offset) + 1

    def close(end: int) -> None:
        first, last = line_at(position), line_at(max(end - 1, position))
        for cell_line in pending:
            out.regions[cell_line] = (first, last)
        pending.clear()

    for cell in read_chapter(source_path, rel).cells:
        if cell.kind == "code":
            pending.append(cell.line)
            continue
        text = cell.source.strip("\n")
        found = markdown.find(text, position) if text else -1
        if found < 0:
            continue
        close(found)
        leading = len(cell.source) - len(cell.source.lstrip("\n"))
        out.copies.append((line_at(found), line_at(found + len(text)), cell.line + leading))
        position = found + len(text)
    close(len(markdown))
    return out


def cell_output_suppressions(source_path: Path, rel: str, emap: ExecutedMap) -> list[Suppression]:
    """The source chapter's suppressions that stand before a code cell, moved onto that cell's output."""
    from .document import load_document

    suppressions = [s for s in load_document(source_path, rel).suppressions if s.reason and s.cell_line]
    return [replace(s, first_line=emap.regions[s.cell_line][0], last_line=emap.regions[s.cell_line][1])
            for s in suppressions if s.cell_line in emap.regions]
