"""Turn a chapter's cells and their outputs into executed pandoc Markdown (Quarto's output semantics).

Options honoured per cell: echo, eval, include, output (true/false/asis), warning, error, label,
fig-cap, fig-alt, tbl-cap. `text/markdown` outputs are spliced as Markdown; images are written to
`.dhr-cache/figures/cells/<chapter>/` and referenced relative to the chapter's folder (the book pass
in :mod:`dhr_kit.render.crossref` rewrites every image path to be relative to the project root).
"""
from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem
from .cache import CACHE_DIR
from .execute import effective_options, strip_ansi
from .pandoc_ast import TABLE_CAPTION_CLASS
from ..source import Cell, Chapter

IMAGE_TYPES = (("image/svg+xml", ".svg"), ("image/png", ".png"), ("image/jpeg", ".jpg"))


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
        holds beside it under the same stem (the docx writer uses a PNG twin of an SVG)."""
        label = str(options.get("label") or "")
        stem = label or f"cell-{cell.line}"
        stem = f"{stem}{'-' + str(index + 1) if index else ''}"
        self.figure_dir.mkdir(parents=True, exist_ok=True)
        written = [self._write_image(stem, mime, ext, data[mime]) for mime, ext in IMAGE_TYPES if mime in data]
        for mime, ext in IMAGE_TYPES:  # a twin left by an earlier run would stand in for this figure
            if mime not in data:
                (self.figure_dir / f"{stem}{ext}").unlink(missing_ok=True)
        target = written[0]
        self.result.figures.append(target)
        captions = _as_list(options.get("fig-cap"))
        alts = _as_list(options.get("fig-alt"))
        caption = str(captions[index]) if index < len(captions) else ""
        alt = str(alts[index]) if index < len(alts) else ""
        if not alt.strip():
            notebook = self.chapter.path.suffix == ".ipynb"
            self.result.problems.append(Problem(
                self.chapter.rel, "figure has no alt text (fig-alt)",
                line=None if notebook else cell.line, key=f"cell {cell.line}" if notebook else None,
                fix="add `#| fig-alt: \"what the chart shows\"` to the cell"))
        relative = Path(os.path.relpath(target, self.chapter.path.parent.resolve())).as_posix()
        attrs = []
        if label.startswith("fig-"):
            attrs.append("#" + (label if index == 0 else f"{label}-{index + 1}"))
        if alt:
            attrs.append(f"fig-alt={_attr_value(alt)}")
        attr_text = "{" + " ".join(attrs) + "}" if attrs else ""
        return f"![{caption.replace(chr(10), ' ')}]({relative}){attr_text}\n"

    def _write_image(self, stem: str, mime: str, ext: str, data: Any) -> Path:
        target = self.figure_dir / f"{stem}{ext}"
        content = base64.b64decode(_text(data)) if mime != "image/svg+xml" else _text(data).encode("utf-8")
        if not target.is_file() or target.read_bytes() != content:
            target.write_bytes(content)
        return target

    def outputs(self, cell: Cell, options: dict[str, Any], outputs: list[dict[str, Any]]) -> list[str]:
        asis = options.get("output") == "asis"
        parts: list[str] = []
        image_index = 0
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
                data = output.get("data", {})
                image = any(m in data for m, _ in IMAGE_TYPES)
                if "text/markdown" in data:
                    parts.append(_text(data["text/markdown"]).strip("\n") + "\n")
                elif image:
                    parts.append(self.figure(cell, options, data, image_index))
                    image_index += 1
                elif "text/html" in data and "<table" in _text(data["text/html"]):
                    parts.append(_html_table_to_markdown(_text(data["text/html"])))
                elif "text/plain" in data:
                    text = strip_ansi(_text(data["text/plain"]))
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
        label = str(options.get("label") or "")
        if label.startswith("tbl-") and parts:
            caption = str(options.get("tbl-cap") or "")
            head = f"::: {{.{TABLE_CAPTION_CLASS}}}\n{caption}\n:::\n\n" if caption else ""
            return f"::: {{#{label}}}\n\n{head}" + "\n".join(parts) + "\n:::\n"
        return "\n".join(parts)


def _html_table_to_markdown(html: str) -> str:
    """A DataFrame's HTML table as a Markdown table (the report holds no raw HTML)."""
    from ..tools.pandoc import run_pandoc

    return run_pandoc(html, ["--from", "html", "--wrap=preserve", "--to",
                             "markdown-simple_tables-multiline_tables-raw_html-native_divs-native_spans"]).strip() + "\n"


def chapter_markdown(chapter: Chapter, outputs: list[list[dict[str, Any]]], *, root: Path, slug: str,
                     publish: bool, project_execute: dict[str, Any]) -> ChapterMarkdown:
    """The executed Markdown of one chapter: Markdown cells verbatim, code cells as their outputs."""
    renderer = _CellRenderer(chapter, root, slug, publish)
    blocks: list[str] = []
    code_index = 0
    for cell in chapter.cells:
        if cell.kind == "markdown":
            blocks.append(cell.source.strip("\n"))
            continue
        cell_outputs = outputs[code_index] if code_index < len(outputs) else []
        code_index += 1
        rendered = renderer.code_cell(cell, cell_outputs, project_execute).strip("\n")
        if rendered:
            blocks.append(rendered)
    renderer.result.markdown = "\n\n".join(b for b in blocks if b) + "\n"
    return renderer.result
