"""Which representation of a Jupyter ``display_data``/``execute_result`` output goes into the report, as
Quarto 1.11 chooses it for a format that is neither HTML-only nor LaTeX (``src/core/jupyter/display-data.ts``,
``displayDataMimeType``): the embedded engine writes one book for HTML, Typst and docx, so it takes the
choice Quarto makes for Typst and docx, which also gives the same table in the HTML.

Order: ``text/markdown``, ``image/svg+xml``, ``image/png``, ``image/jpeg``, then ``text/html`` only when it
holds a ``<table>`` (read into a real table, as Quarto's filters do), then ``text/plain``. A ``text/latex``
output that is math (``$…$`` or ``\\begin{…}…\\end{…}``) counts as Markdown, as in Quarto
(``displayDataWithMarkdownMath``); other LaTeX falls back to ``text/plain``. An ``execute_result`` that is
only a one-line object repr beside an image of the same cell (``<Axes: …>``, ``Text(0.5, …)``) is dropped,
as Quarto drops it (``isDiscardableTextExecuteResult``).
"""
from __future__ import annotations

import re
from typing import Any

MARKDOWN, SVG, PNG, JPEG = "text/markdown", "image/svg+xml", "image/png", "image/jpeg"
HTML, LATEX, PLAIN = "text/html", "text/latex", "text/plain"
IMAGE_TYPES = (SVG, PNG, JPEG)
IMAGE_SUFFIX = {SVG: ".svg", PNG: ".png", JPEG: ".jpg"}
PRIORITY = (MARKDOWN, SVG, PNG, JPEG)

_TABLE_OPEN = re.compile(r"<table\b", re.IGNORECASE)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.IGNORECASE)
_DISCARDABLE = re.compile(r"^([<(\[]).*?([>)\]])$|^Text\([-\d]")


def text_of(value: Any) -> str:
    """A bundle's value as one string (notebooks store text as a list of lines)."""
    return "".join(map(str, value)) if isinstance(value, list) else str(value)


def has_html_table(data: dict[str, Any]) -> bool:
    html = text_of(data.get(HTML, ""))
    return bool(_TABLE_OPEN.search(html) and _TABLE_CLOSE.search(html))


def latex_is_math(latex: str) -> bool:
    text = latex.strip()
    return bool(text) and ((text.startswith("$") and text.endswith("$"))
                           or (text.startswith("\\begin{") and "\\end{" in text))


def with_markdown_math(data: dict[str, Any]) -> dict[str, Any]:
    """``text/latex`` math offered as Markdown (pandoc reads ``$…$`` and ``$$…$$`` as math)."""
    if LATEX in data and MARKDOWN not in data and latex_is_math(text_of(data[LATEX])):
        latex = text_of(data[LATEX]).strip()
        if latex.startswith("\\begin{"):
            latex = f"$$\n{latex}\n$$"
        return {**data, MARKDOWN: latex}
    return data


def choose(data: dict[str, Any]) -> str | None:
    """The MIME type shown for this bundle, or None when it holds nothing the report can show."""
    for mime in PRIORITY:
        if mime in data:
            return mime
    if has_html_table(data):
        return HTML
    return PLAIN if PLAIN in data else None


def is_discardable(output: dict[str, Any], cell_has_image: bool) -> bool:
    """A plot call's return value echoed next to the plot (Quarto leaves it out)."""
    if output.get("output_type") != "execute_result" or not cell_has_image:
        return False
    data = output.get("data") or {}
    if set(data) != {PLAIN}:
        return False
    lines = text_of(data[PLAIN]).splitlines()
    if len(lines) == 1:
        first = lines[0].strip()
        return bool(_DISCARDABLE.search(first)) or (first.startswith("{") and "<matplotlib." in first)
    return any("<matplotlib." in line for line in lines)


def has_image(output: dict[str, Any]) -> bool:
    return output.get("output_type") in {"display_data", "execute_result"} and \
        any(m in (output.get("data") or {}) for m in IMAGE_TYPES)


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()>#+\-.!])")


def inline_markdown(data: dict[str, Any]) -> str:
    """An inline expression's value as Quarto writes it (``resolveUserExpressions``): ``text/markdown`` as it
    is (math from ``text/latex`` too), else ``text/plain`` — a quoted string repr unquoted and escaped."""
    data = with_markdown_math(data)
    if MARKDOWN in data:
        return text_of(data[MARKDOWN])
    text = text_of(data.get(PLAIN, ""))
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return _MARKDOWN_SPECIALS.sub(r"\\\1", text[1:-1])
    return text
