"""A rendered report's structure as a reader (and a screen reader) meets it, read back from the PDF: the
title page's lines, the numbered headings of the contents (bookmarks), each figure's alt text, each
table's header cells, the numbered cross-reference targets named in the text, and the PDF's tagging,
PDF/UA identification, language and paper. Two engines that render the same book must give the same
summary (the parity test); differences of typesetting (fonts, line breaks, page count) are left out."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

_TARGET = re.compile(r"\b(Figure|Table|Section|Chapter|Appendix)\s+([A-Z]?\d+(?:\.\d+)*|[A-Z](?:\.\d+)*)\b")
_A4 = (595, 842)


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _struct_elements(node: Any, found: list[Any]) -> None:
    import pikepdf

    if isinstance(node, pikepdf.Array):
        for child in node:
            _struct_elements(child, found)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        found.append(node)
        kids = node.get("/K")
        if kids is not None:
            _struct_elements(kids, found)


def _outline(items: Any, depth: int, out: list[str], level: int = 1) -> None:
    for item in items:
        out.append("  " * (level - 1) + " ".join(item.title.split()))
        if level < depth:
            _outline(item.children, depth, out, level + 1)


def _kids(element: Any) -> list[Any]:
    import pikepdf

    kids = element.get("/K")
    if kids is None:
        return []
    kids = kids if isinstance(kids, pikepdf.Array) else [kids]
    return [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def _header_cells(table: Any) -> int:
    """How many header cells (TH) the table's structure has."""
    count, stack = 0, list(_kids(table))
    while stack:
        element = stack.pop()
        if str(element.S) == "/TH":
            count += 1
        else:
            stack.extend(_kids(element))
    return count


def pdf_structure(pdf: Path, *, outline_depth: int = 2) -> dict[str, Any]:
    """The summary of one PDF (see the module's docstring), as plain JSON-able data."""
    import pikepdf
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    with pikepdf.open(pdf) as doc:
        elements: list[Any] = []
        tree = doc.Root.get("/StructTreeRoot")
        if tree is not None and "/K" in tree:
            _struct_elements(tree.K, elements)
        figures = [" ".join(str(e.get("/Alt", "")).split()) for e in elements if str(e.S) == "/Figure"]
        tables = [_header_cells(e) for e in elements if str(e.S) == "/Table"]
        outline: list[str] = []
        with doc.open_outline() as tree_outline:
            _outline(tree_outline.root, outline_depth, outline)
        mark = doc.Root.get("/MarkInfo")
        box = [round(float(v)) for v in doc.pages[0].MediaBox]
        return {
            "title_page": _lines(reader.pages[0].extract_text() or ""),
            "outline": outline,
            "figures": figures,
            "tables": tables,
            "targets": sorted({f"{kind} {number}" for kind, number in _TARGET.findall(text)}),
            "tagged": bool(mark is not None and mark.get("/Marked")),
            "pdf_ua": str(doc.open_metadata().get("pdfuaid:part", "")),
            "lang": str(doc.Root.get("/Lang", "")),
            "a4": (box[2] - box[0], box[3] - box[1]) == _A4,
        }
