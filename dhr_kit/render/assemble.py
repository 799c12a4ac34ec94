"""Turn a chapter's cells and their outputs into executed pandoc Markdown (Quarto's output semantics).

Options honoured per cell: echo, eval, include, output (true/false/asis), warning, error, label,
fig-cap, fig-alt, tbl-cap. `text/markdown` outputs are spliced as Markdown; images are written to
`.dhr-cache/figures/cells/<chapter>/` and referenced relative to the chapter's folder (the book pass
in :mod:`dhr_kit.render.crossref` rewrites every image path to be relative to the project root).
"""
from __future__ import annotations

import base64
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem
from .cache import CACHE_DIR
from .execute import effective_options, strip_ansi
from .displaydata import (HTML, IMAGE_SUFFIX, IMAGE_TYPES, MARKDOWN, PLAIN, SVG, choose, has_image,
                          inline_markdown, is_discardable, with_markdown_math)
from .pandoc_ast import CELL_CLASS, FIG_CAPTION_CLASS, TABLE_CAPTION_CLASS
from ..source import INLINE_CODE, Cell, Chapter, inline_expressions
from ..source.shortcodes import ShortcodeValues, resolve_shortcodes


@dataclass
class ChapterMarkdown:
    markdown: str
    problems: list[Problem] = field(default_factory=list)  # e.g. figures without alt text
    figures: list[Path] = field(default_factory=list)


def _fence(text: str, classes: str = "") -> str:
    """A fenced code block long enough never to be closed by the text inside it."""
    longest = max((len(run) for run in _backtick_runs(text)), default=0)
    marker = "`" * max(3, longest + 1)
    info = f" {{{classes}}}" if classes else ""
    return f"{marker}{info}\n{text.rstrip(chr(10))}\n{marker}\n"


def _backtick_runs(text: str) -> list[str]:
    runs, current = [], ""
    for char in text:
        if char == "`":
            current += char
        elif current:
            runs.append(current)
            current = ""
    return runs + ([current] if current else [])


def _attr_value(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


class _CellRenderer:
    def __init__(self, chapter: Chapter, root: Path, slug: str, publish: bool):
        self.chapter, self.root, self.publish = chapter, root, publish
        self.figure_dir = root / CACHE_DIR / "figures" / "cells" / slug
        self.result = ChapterMarkdown("")

    def figure(self, cell: Cell, options: dict[str, Any], data: dict[str, Any], index: int) -> str:
        """The first of IMAGE_TYPES the output holds (SVG before PNG), written with the other types it
        holds beside it under the same stem (the docx writer uses a PNG twin of an SVG), with the cell's
        caption, alt text and label (so the executed Markdown the checks read holds them too)."""
        label = str(options.get("label") or "")
        stem = label or f"cell-{cell.line}"
        stem = f"{stem}{'-' + str(index + 1) if index else ''}"
        self.figure_dir.mkdir(parents=True, exist_ok=True)
        written = [self._write_image(stem, mime, IMAGE_SUFFIX[mime], data[mime]) for mime in IMAGE_TYPES
                   if mime in data]
        for mime in IMAGE_TYPES:  # a twin left by an earlier run would stand in for this figure
            if mime not in data:
                (self.figure_dir / f"{stem}{IMAGE_SUFFIX[mime]}").unlink(missing_ok=True)
        target = written[0]
        self.result.figures.append(target)
        alts = _as_list(options.get("fig-alt"))
        alt = str(alts[index]) if index < len(alts) else ""
        if not alt.strip():
            notebook = self.chapter.path.suffix == ".ipynb"
            self.result.problems.append(Problem(
                self.chapter.rel, "figure has no alt text (fig-alt)",
                line=None if notebook else cell.line, key=f"cell {cell.line}" if notebook else None,
                fix="add `#| fig-alt: \"what the chart shows\"` to the cell"))
        relative = Path(os.path.relpath(target, self.chapter.path.parent.resolve())).as_posix()
        captions = _as_list(options.get("fig-cap"))
        caption = str(captions[index]) if index < len(captions) else ""
        attrs = []
        if label.startswith("fig-"):
            attrs.append("#" + (label if index == 0 else f"{label}-{index + 1}"))
        if alt:
            attrs.append(f"fig-alt={_attr_value(alt)}")
        attr_text = "{" + " ".join(attrs) + "}" if attrs else ""
        return f"![{' '.join(caption.split())}]({relative}){attr_text}\n"

    def _write_image(self, stem: str, mime: str, ext: str, data: Any) -> Path:
        target = self.figure_dir / f"{stem}{ext}"
        content = base64.b64decode(_text(data)) if mime != SVG else _text(data).encode("utf-8")
        if not target.is_file() or target.read_bytes() != content:
            target.write_bytes(content)
        return target

    def outputs(self, cell: Cell, options: dict[str, Any], outputs: list[dict[str, Any]]) -> list[str]:
        asis = options.get("output") == "asis"
        parts: list[str] = []
        image_index = 0
        cell_has_image = any(has_image(o) for o in outputs)
        for output in outputs:
            kind = output.get("output_type")
            if kind == "stream":
                text = strip_ansi(_text(output.get("text", "")))
                if output.get("name") == "stderr":
                    if options.get("warning") is False:
                        continue
                    parts.append(_fence(text, ".cell-output-stderr"))
                else:
                    parts.append(text if asis else _fence(text, ".cell-output-stdout"))
            elif kind == "error":
                text = strip_ansi(f"{output.get('ename')}: {output.get('evalue')}")
                parts.append(_fence(text, ".cell-output-error"))
            elif kind in {"display_data", "execute_result"}:
                if is_discardable(output, cell_has_image):
                    continue
                data = with_markdown_math(output.get("data") or {})
                mime = choose(data)
                if mime == MARKDOWN:
                    parts.append(_text(data[MARKDOWN]).strip("\n") + "\n")
                elif mime in IMAGE_TYPES:
                    parts.append(self.figure(cell, options, data, image_index))
                    image_index += 1
                elif mime == HTML:
                    parts.append(html_tables_markdown(_text(data[HTML])))
                elif mime == PLAIN:
                    text = strip_ansi(_text(data[PLAIN]))
                    parts.append(text + "\n" if asis else _fence(text, ".cell-output-display"))
        return parts

    def code_cell(self, cell: Cell, outputs: list[dict[str, Any]], project_execute: dict[str, Any]) -> str:
        options = effective_options(cell, self.chapter, project_execute)
        if options.get("include") is False:
            return ""
        parts: list[str] = []
        if options.get("echo") is True:
            parts.append(_fence(cell.source, ".python .cell-code"))
        if options.get("output") is not False:
            parts.extend(self.outputs(cell, options, outputs))
        if not parts:
            return ""
        return _cell_div(options, "\n".join(parts))


_FLOAT_OPTIONS = ("label", "fig-cap", "fig-alt", "tbl-cap")


def _cell_div(options: dict[str, Any], body: str) -> str:
    """A cell whose options caption, describe or label its outputs: the outputs in a ``.dhr-cell`` div that
    :mod:`.cellfloats` applies to the figures and tables inside (captions as Markdown, like Quarto's)."""
    if not any(options.get(key) for key in _FLOAT_OPTIONS):
        return body
    attrs = [f".{CELL_CLASS}"]
    label = str(options.get("label") or "")
    if label:
        attrs.append(f"label={_attr_value(label)}")
    for index, alt in enumerate(_as_list(options.get("fig-alt")), start=1):
        attrs.append(f"fig-alt-{index}={_attr_value(alt)}")
    captions = [(FIG_CAPTION_CLASS, str(c)) for c in _as_list(options.get("fig-cap"))]
    captions += [(TABLE_CAPTION_CLASS, str(c)) for c in _as_list(options.get("tbl-cap"))]
    fence = ":" * (3 + _div_depth(body) + 1)
    heads = "".join(f"::: {{.{cls}}}\n{' '.join(text.split())}\n:::\n\n" for cls, text in captions)
    return f"{fence} {{{' '.join(attrs)}}}\n\n{heads}{body.rstrip()}\n\n{fence}\n"


def _div_depth(text: str) -> int:
    """How many colons past three the longest div fence in ``text`` has (the wrapper's fence is longer)."""
    longest = max((len(m) for m in re.findall(r"^ {0,3}(:{3,})", text, re.MULTILINE)), default=3)
    return longest - 3


def html_tables_markdown(html: str) -> str:
    """HTML holding tables (a pandas DataFrame's ``_repr_html_``) as Markdown tables, as Quarto reads them
    into pandoc's AST: its ``<style>`` and scripts are dropped, never shown as text or kept as raw HTML."""
    from ..tools.pandoc import run_pandoc

    cleaned = _STYLE_OR_SCRIPT.sub("", html)
    return run_pandoc(cleaned, ["--from", "html-raw_html-native_divs-native_spans", "--wrap=preserve", "--to",
                                "markdown-simple_tables-multiline_tables-raw_html-raw_attribute-native_divs"
                                "-native_spans-fenced_divs-bracketed_spans-header_attributes-link_attributes"
                                ]).strip() + "\n"


_STYLE_OR_SCRIPT = re.compile(r"<(style|script)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def chapter_markdown(chapter: Chapter, outputs: list[list[dict[str, Any]]], *, root: Path, slug: str,
                     publish: bool, project_execute: dict[str, Any],
                     shortcodes: ShortcodeValues | None = None) -> ChapterMarkdown:
    """The executed Markdown of one chapter: Markdown cells with their inline expressions' values and
    shortcodes resolved, code cells as their outputs."""
    renderer = _CellRenderer(chapter, root, slug, publish)
    code_count = len(chapter.code_cells)
    inline = list(outputs[code_count]) if len(outputs) > code_count else []
    blocks: list[str] = []
    code_index = 0
    for cell in chapter.cells:
        if cell.kind == "markdown":
            text = _inline_values(chapter, cell, inline, renderer.result.problems)
            if shortcodes is not None:
                text = resolve_shortcodes(text, shortcodes, _locator(chapter, cell, text), renderer.result.problems)
            blocks.append(text.strip("\n"))
            continue
        cell_outputs = outputs[code_index] if code_index < len(outputs) else []
        code_index += 1
        rendered = renderer.code_cell(cell, cell_outputs, project_execute).strip("\n")
        if rendered:
            blocks.append(rendered)
    renderer.result.markdown = "\n\n".join(b for b in blocks if b) + "\n"
    return renderer.result


def _locator(chapter: Chapter, cell: Cell, text: str):
    """Problem fields (file, line or notebook cell) of a character offset in a Markdown cell's ``text``."""
    def where(offset: int) -> dict[str, Any]:
        line_in_cell = text[:offset].count("\n")
        if chapter.path.suffix == ".ipynb":
            return {"file": chapter.rel, "key": f"cell {cell.line}, line {line_in_cell + 1}"}
        return {"file": chapter.rel, "line": cell.line + line_in_cell}
    return where


def _inline_values(chapter: Chapter, cell: Cell, inline: list[dict[str, Any]], problems: list[Problem]) -> str:
    """The cell's text with each `` `{python} expr` `` replaced by its value (taken from ``inline`` in order)."""
    text = cell.source
    found = inline_expressions(text)
    if not found:
        return text
    where = _locator(chapter, cell, text)

    def value(match: re.Match[str]) -> str:
        expression = match.group(1)
        if inline and inline[0].get("expression") == expression:
            return inline_markdown(inline.pop(0).get("data") or {})
        problems.append(Problem(message=f"the inline expression `{{python}} {expression}` was not evaluated "
                                "(the chapter's outputs are stored, not executed)",
                                fix="execute the chapter (remove `execute: enabled: false`)", **where(match.start())))
        return f"**?{expression}**"

    return INLINE_CODE.sub(value, text)
