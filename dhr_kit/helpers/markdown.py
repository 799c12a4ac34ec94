"""The Markdown object every helper returns, escaping of data-driven text, and pipe tables.

Output is pandoc Markdown that reads the same under the embedded engine and under Quarto, in HTML,
PDF (Typst) and docx: pipe tables, fenced divs (callouts), block quotes and lists — never raw HTML/Typst.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

# Characters pandoc Markdown may read as markup inside running text: emphasis, links, raw HTML,
# table cells, citations/cross-references (@), maths ($), super/subscript (^ ~), code (`).
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|@$~^#])")
_NUMBERED = re.compile(r"(\d+)(?=[.)](\s|$))")


class Markdown:
    """A block of pandoc Markdown that Jupyter (and the dhr-kit renderer) displays as Markdown."""

    def __init__(self, text: str):
        self.text = text.strip("\n") + "\n"

    def _repr_markdown_(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Markdown({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Markdown) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __add__(self, other: Markdown) -> Markdown:
        return Markdown(join_blocks([self.text, str(other)]))


def escape(text: object) -> str:
    """Data-driven text as literal Markdown inline text (one line: newlines become spaces)."""
    value = _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    numbered = _NUMBERED.match(value)
    if numbered:  # "1. text" would start an ordered list
        return numbered[1] + "\\" + value[len(numbered[1]):]
    if value[:1] in ("-", "+", "="):  # a bullet list or a rule
        return "\\" + value
    return value


def escape_paragraphs(text: object) -> str:
    """Multi-paragraph data text (blank lines separate paragraphs) as escaped Markdown paragraphs."""
    paragraphs = [p for p in re.split(r"\n\s*\n", str(text).strip()) if p.strip()]
    return "\n\n".join(escape(p) for p in paragraphs)


def sentence(text: object) -> str:
    """Escaped text that ends with a full stop (or other end punctuation)."""
    value = escape(text)
    return value if not value or value[-1] in ".!?:" else value + "."


def join_blocks(blocks: Iterable[str]) -> str:
    """Markdown blocks separated by one blank line (empty blocks dropped)."""
    return "\n\n".join(b.strip("\n") for b in blocks if b and b.strip())


def callout(body: str, kind: str = "note", title: str | None = None) -> str:
    """A Quarto callout (a fenced div that plain pandoc keeps as a div), with an optional title."""
    attrs = f".callout-{kind}" + (f' title="{title}"' if title else "")
    return f"::: {{{attrs}}}\n{body.strip()}\n:::"


def bullet_list(items: Iterable[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def pipe_table(headers: Sequence[str], rows: Iterable[Sequence[object]],
               widths: Sequence[int] | None = None, caption: str | None = None,
               label: str | None = None) -> str:
    """A pandoc pipe table. Cells are escaped here, so pass plain text (or ``Raw`` for ready Markdown).

    ``widths`` are relative column widths: pandoc uses the dash counts of the separator line as the
    columns' proportions when a row is wider than the page, so long text wraps in the right column.
    ``caption`` and ``label`` ("tbl-…") give the Quarto form ``: Caption {#tbl-x}``, which the book's
    numbering pass turns into "Table 3.2: Caption" and which ``@tbl-x`` references.
    """
    if label and not label.startswith("tbl-"):
        raise ValueError(f"a table label starts with 'tbl-': {label!r}")
    widths = list(widths) if widths else [max(3, len(h)) for h in headers]
    if len(widths) != len(headers):
        raise ValueError("one width per column")
    lines = ["| " + " | ".join(escape(h) for h in headers) + " |",
             "|" + "|".join(":" + "-" * max(2, w - 1) for w in widths) + "|"]  # left-aligned
    for row in rows:
        cells = [cell.text if isinstance(cell, Raw) else escape(cell) for cell in row]
        lines.append("| " + " | ".join(c if c else " " for c in cells) + " |")
    table = "\n".join(lines)
    if caption:
        table += f"\n\n: {escape(caption)}" + (f" {{#{label}}}" if label else "")
    return table


class Raw:
    """A table cell that is already Markdown (e.g. bold text built from escaped parts)."""

    def __init__(self, text: str):
        self.text = " ".join(text.split())


def bold(text: object) -> Raw:
    value = escape(text)
    return Raw(f"**{value}**" if value else "")
