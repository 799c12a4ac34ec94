"""A code cell's `label`, `fig-cap`, `fig-alt` and `tbl-cap` applied to the figures and tables its outputs
hold, whatever made them: an image output, a helper's Markdown (``![…](…){…}``), a DataFrame's table.

:mod:`.assemble` puts such a cell's outputs in a ``::: {.dhr-cell label=… fig-alt-1=…}`` div that starts
with one caption div per ``fig-cap``/``tbl-cap`` entry (Markdown, read by pandoc). Here, before the
numbering pass, each div is replaced by its outputs with the options applied, as Quarto applies them:

* the n-th image gets the n-th ``fig-cap`` as its caption and the n-th ``fig-alt`` as its alt text (the
  cell's options win over what a helper wrote); the first gets the ``fig-`` label, the next ``label-2``…;
  an image with a caption becomes a figure (numbered when labelled);
* the n-th table gets the n-th ``tbl-cap``; a single table takes the ``tbl-`` label;
* a labelled cell with no image (``fig-``) or no table (``tbl-``) becomes a captioned block under that id,
  numbered by :mod:`.crossref` like Quarto's cell-level floats.
"""
from __future__ import annotations

from typing import Any

from .pandoc_ast import CELL_CLASS, FIG_CAPTION_CLASS, TABLE_CAPTION_CLASS, div, walk

Node = dict[str, Any]


def apply_cell_options(blocks: list[Node]) -> None:
    """Replace every ``.dhr-cell`` div in ``blocks`` (in place, at any depth) by its outputs, options applied."""
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.get("t") == "Div" and CELL_CLASS in block["c"][0][1]:
            replacement = _apply(block)
            blocks[index:index + 1] = replacement
            index += len(replacement)
            continue
        for child in _block_lists(block):
            apply_cell_options(child)
        index += 1


def _block_lists(block: Node) -> list[list[Node]]:
    kind, content = block.get("t"), block.get("c")
    if kind == "Div":
        return [content[1]]
    if kind == "BlockQuote":
        return [content]
    if kind in {"BulletList"}:
        return list(content)
    if kind == "OrderedList":
        return list(content[1])
    return []


def _apply(cell: Node) -> list[Node]:
    attr, content = cell["c"]
    options = dict(attr[2])
    label = options.get("label", "")
    fig_caps: list[list[Node]] = []
    tbl_caps: list[list[Node]] = []
    body: list[Node] = []
    for block in content:
        classes = block["c"][0][1] if block.get("t") == "Div" else []
        if FIG_CAPTION_CLASS in classes:
            fig_caps.append(_inlines(block))
        elif TABLE_CAPTION_CLASS in classes:
            tbl_caps.append(_inlines(block))
        else:
            body.append(block)
    apply_cell_options(body)
    alts = [options[k] for k in sorted((k for k in options if k.startswith("fig-alt-")),
                                       key=lambda k: int(k.rsplit("-", 1)[1]))]
    figures = _apply_figures(body, label if label.startswith("fig-") else "", fig_caps, alts)
    tables = _apply_tables(body, label if label.startswith("tbl-") else "", tbl_caps)
    if label.startswith("fig-") and not figures:
        return [div(body + [{"t": "Para", "c": fig_caps[0] if fig_caps else []}], label)]
    if label.startswith("tbl-") and not tables:
        caption = div([{"t": "Para", "c": tbl_caps[0]}], "", TABLE_CAPTION_CLASS) if tbl_caps else None
        return [div(([caption] if caption else []) + body, label)]
    if label and not label.startswith(("fig-", "tbl-")) and body:
        return [div(body, label)]
    return body


def _inlines(caption_div: Node) -> list[Node]:
    paras = [b for b in caption_div["c"][1] if b.get("t") in {"Para", "Plain"}]
    return paras[0]["c"] if paras else []


def _apply_figures(body: list[Node], label: str, captions: list[list[Node]], alts: list[str]) -> int:
    """Caption, alt text and id on each image of ``body``; returns how many images there were."""
    count = 0
    for holder, position, kind in list(_image_holders(body)):
        block = holder[position]
        image = _image_of(block, kind)
        caption = captions[count] if count < len(captions) else None
        alt = alts[count] if count < len(alts) else None
        ident = (label if count == 0 else f"{label}-{count + 1}") if label else ""
        count += 1
        if alt is not None and alt.strip():
            keyvals = [kv for kv in image["c"][0][2] if kv[0] != "fig-alt"]
            image["c"][0][2] = keyvals + [["fig-alt", alt]]
        if kind == "Figure":
            figure_attr, figure_caption, _ = block["c"]
            if caption is not None:
                figure_caption[1] = [{"t": "Plain", "c": caption}]
                image["c"][1] = [dict(i) for i in caption]
            if ident:
                figure_attr[0] = ident
                image["c"][0][0] = ""
            continue
        if not caption and not ident:
            continue
        caption = caption or []
        image["c"][1] = [dict(i) for i in caption]
        image["c"][0][0] = ""
        holder[position] = {"t": "Figure", "c": [[ident, [], []], [None, [{"t": "Plain", "c": caption}] if caption else []],
                                                 [{"t": "Plain", "c": [image]}]]}
    return count


def _image_holders(blocks: list[Node]):
    """(list, index, kind) of each figure or lone image paragraph, in document order (not inside tables)."""
    for index, block in enumerate(blocks):
        kind = block.get("t")
        if kind == "Figure" and any(n.get("t") == "Image" for n in walk(block["c"][2])):
            yield blocks, index, "Figure"
        elif kind in {"Para", "Plain"} and len(block["c"]) == 1 and block["c"][0].get("t") == "Image":
            yield blocks, index, "Para"
        elif kind == "Div":
            yield from _image_holders(block["c"][1])


def _image_of(block: Node, kind: str) -> Node:
    if kind == "Figure":
        return next(n for n in walk(block["c"][2]) if n.get("t") == "Image")
    return block["c"][0]


def _apply_tables(body: list[Node], label: str, captions: list[list[Node]]) -> int:
    tables = [n for n in walk(body) if n.get("t") == "Table"]
    for index, table in enumerate(tables):
        if index < len(captions) and captions[index]:
            table["c"][1] = [None, [{"t": "Plain", "c": captions[index]}]]
    if label and len(tables) == 1:
        tables[0]["c"][0][0] = label
    elif label and tables:  # several tables under one label: the first carries it (Quarto numbers the cell)
        tables[0]["c"][0][0] = label
    return len(tables)
