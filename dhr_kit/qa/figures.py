"""Anonymity checks on the text inside the SVG figures an executed chapter shows (axis labels, tick
labels, legends, titles): a name can reach a chart from data that no source check reads.

Cell charts are SVG with text kept as text (see ``templates/matplotlibrc``), helper charts likewise;
a PNG-only figure has no text to read.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt

from .anonymity import NameList, identifier_findings, name_findings
from .findings import Finding

_TEXT_TAGS = {"text", "title", "desc"}  # <tspan> text is inside <text>
_CELL_FIGURE = re.compile(r"cell-(\d+)(?:-\d+)?")  # assemble.py's stem of an unlabelled cell's figure
_TRAILING_INDEX = re.compile(r"-\d+$")  # the 2nd, 3rd… figure of one cell


def svg_text(path: Path) -> list[str]:
    """The text of an SVG's <text>, <title> and <desc> elements (any namespace), in document order."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError):
        return []
    texts = []
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.rsplit("}", 1)[-1] in _TEXT_TAGS:
            text = " ".join("".join(element.itertext()).split())
            if text:
                texts.append(text)
    return texts


def linked_images(markdown: str) -> list[tuple[str, int]]:
    """(target, 1-based line) of every image in a chapter's Markdown."""
    found = []
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type != "inline" or not token.children:
            continue
        line = token.map[0] + 1 if token.map else 1
        found += [(str(child.attrs.get("src", "")), line) for child in token.children if child.type == "image"]
    return found


def _source_line(source: str, figure: Path, fallback: int) -> int:
    """The chapter line that drew a cell's figure: an unlabelled cell's own line, or its `#| label:` line."""
    if "cells" not in figure.parts:
        return fallback  # a helper's chart: the line of the image in the executed chapter
    cell = _CELL_FIGURE.fullmatch(figure.stem)
    if cell:
        return int(cell.group(1))
    for label in dict.fromkeys((figure.stem, _TRAILING_INDEX.sub("", figure.stem))):
        option = re.compile(rf"^\s*#\|\s*label:\s*['\"]?{re.escape(label)}['\"]?\s*$")
        for number, line in enumerate(source.splitlines(), 1):
            if option.match(line):
                return number
    return fallback


BITMAP_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff"}
_GLYPH_USE = re.compile(r"<use\b[^>]*href=\"#[A-Za-z][\w.+]*-[0-9a-fA-F]{2,}\"")
_EMBEDDED_BITMAP = re.compile(r"<image\b")


def _draws_text_as_shapes(figure: Path) -> bool:
    """An SVG whose glyphs are paths (matplotlib's ``svg.fonttype: path``) or that only wraps a bitmap."""
    try:
        svg = figure.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return bool(_GLYPH_USE.search(svg) or _EMBEDDED_BITMAP.search(svg))


def _unreadable(rel: str, line: int, root: Path, figure: Path, publish: bool, what: str, fix: str) -> Finding:
    try:
        shown = figure.relative_to(root).as_posix()
    except ValueError:
        shown = figure.name
    return Finding("DHR-A010", "error" if publish else "warning", rel, line, 1, f"the figure {shown} {what}", fix)


def figure_findings(root: Path, rel: str, markdown: str, names: NameList, publish: bool) -> list[Finding]:
    """Real names (the private list) and identifying details in the SVG figures chapter ``rel`` shows,
    reported against the chapter with the figure named (never the name itself)."""
    chapter = root / rel
    source = chapter.read_text(encoding="utf-8") if chapter.suffix in (".qmd", ".md") and chapter.is_file() else ""
    found: list[Finding] = []
    for target, md_line in dict.fromkeys(linked_images(markdown)):
        if "://" in target:
            continue
        figure = (chapter.parent / unquote(target)).resolve()
        if figure.suffix.lower() != ".svg":
            if figure.suffix.lower() in BITMAP_SUFFIXES and not figure.with_suffix(".svg").is_file():
                found.append(_unreadable(rel, _source_line(source, figure, md_line), root, figure, publish,
                                         "is a bitmap image, whose text cannot be searched for names",
                                         "give an SVG version of it with the same name (text kept as text), or, "
                                         "for a photograph, check it by hand and suppress with the reason"))
            continue
        if _draws_text_as_shapes(figure):
            found.append(_unreadable(rel, _source_line(source, figure, md_line), root, figure, publish,
                                     "draws its text as shapes, which cannot be searched for names",
                                     "keep chart text as text: remove `svg.fonttype: path` from matplotlibrc "
                                     "or the chapter's code"))
        texts = svg_text(figure)
        if not texts:
            continue
        text = "\n\n".join(texts)  # one label's words never make another's context
        line = _source_line(source, figure, md_line)
        try:
            shown = figure.relative_to(root).as_posix()
        except ValueError:
            shown = figure.name
        where = f" in the figure {shown}"
        found += [replace(f, line=line, column=1, message=f.message + where,
                          suggestion=f.suggestion + " in the data or code the chart is drawn from")
                  for f in name_findings(names, rel, text)]
        found += identifier_findings(rel, text, lambda offset: (line, 1), publish, where)
    return found
