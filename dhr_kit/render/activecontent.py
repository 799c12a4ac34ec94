"""No active content in a published report: raw HTML in the prose never reaches a reader's browser.

Raw HTML (``<script>``, ``<img onerror=…>``, a ``{=html}`` block, a Markdown QA letter that holds HTML)
becomes ``RawBlock``/``RawInline`` nodes in pandoc's AST. Here, on every chapter's AST:

* HTML comments (draft notes, ``<!-- dhr-disable … -->`` suppressions) are removed: they never reach any
  output.
* Raw HTML inside a ``::: {.allow-raw-html reason="…"}`` block is kept (the reason is required; the page's
  Content-Security-Policy still forbids scripts).
* Any other raw HTML stops a publication build (the author's line is named); a draft shows it as inert
  code, so the panel sees what is there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem

Node = dict[str, Any]
ALLOW_CLASS = "allow-raw-html"
HTML_FORMATS = {"html", "html4", "html5"}
_TEXT_DATA = {".md", ".txt", ".csv", ".yml", ".yaml"}
_COMMENTS = re.compile(r"<!--.*?-->", re.DOTALL)
_ACTIVE_ATTRIBUTE = re.compile(r"^(?:on\w+|srcdoc|formaction)$", re.IGNORECASE)
_ACTIVE_URL = re.compile(r"^\s*(?:javascript|vbscript|data\s*:\s*text/html)", re.IGNORECASE)


@dataclass(frozen=True)
class RawHtml:
    """A piece of raw HTML found in a chapter (the text as written, shortened for messages)."""

    text: str

    @property
    def shown(self) -> str:
        one_line = " ".join(self.text.split())
        return one_line if len(one_line) <= 60 else one_line[:57] + "…"


def neutralise(blocks: list[Node], *, publish: bool) -> list[RawHtml]:
    """Remove comments and make raw HTML inert in ``blocks`` (in place); return what was made inert."""
    found: list[RawHtml] = []
    _walk_list(blocks, found, allowed=False)
    return found


def _walk_list(items: list[Any], found: list[RawHtml], allowed: bool) -> None:
    index = 0
    while index < len(items):
        node = items[index]
        if isinstance(node, dict) and node.get("t") in ("RawBlock", "RawInline"):
            fmt, text = node["c"]
            if fmt.lower() in HTML_FORMATS:
                rest = _COMMENTS.sub("", text)
                if not rest.strip():
                    del items[index]
                    continue
                if not allowed:
                    found.append(RawHtml(rest.strip()))
                    items[index] = ({"t": "CodeBlock", "c": [["", ["raw-html"], []], rest.strip()]}
                                    if node["t"] == "RawBlock" else {"t": "Code", "c": [["", [], []], rest]})
        elif isinstance(node, dict):
            inner_allowed = allowed or _is_allow_block(node)
            if node.get("t") in ("Link", "Image") and _ACTIVE_URL.match(node["c"][2][0]):
                found.append(RawHtml(node["c"][2][0]))
                node["c"][2][0] = "#"
            _walk_value(node.get("c"), found, inner_allowed)
        elif _is_attr(node):
            active = [(key, value) for key, value in node[2] if _ACTIVE_ATTRIBUTE.match(key)]
            if active:
                found += [RawHtml(f'{key}="{value}"') for key, value in active]
                node[2][:] = [kv for kv in node[2] if not _ACTIVE_ATTRIBUTE.match(kv[0])]
        elif isinstance(node, list):
            _walk_list(node, found, allowed)
        index += 1


def _is_attr(value: Any) -> bool:
    """pandoc's Attr: [identifier, [classes], [[key, value], …]]."""
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)
            and isinstance(value[1], list) and isinstance(value[2], list)
            and all(isinstance(kv, list) and len(kv) == 2 for kv in value[2]))


def _walk_value(value: Any, found: list[RawHtml], allowed: bool) -> None:
    if isinstance(value, list):
        _walk_list(value, found, allowed)
    elif isinstance(value, dict):
        _walk_list([value], found, allowed)


def _is_allow_block(node: Node) -> bool:
    """An allow block with a reason; the reason (the author's note) is taken out of the output."""
    if node.get("t") != "Div":
        return False
    _, classes, attributes = node["c"][0]
    if ALLOW_CLASS not in classes or not dict(attributes).get("reason", "").strip():
        return False
    attributes[:] = [kv for kv in attributes if kv[0] != "reason"]
    return True


def publication_problems(found: list[RawHtml], source: Path | None, rel: str,
                         root: Path | None = None) -> list[Problem]:
    """One problem per place holding raw HTML: the chapter's line where it is written, or, for text a cell
    generated (the QA letter, a data file), the data file and line it came from."""
    candidates = [(rel, source)] + ([(p.relative_to(root).as_posix(), p) for p in sorted((root / "data").rglob("*"))
                                     if p.is_file() and p.suffix.lower() in _TEXT_DATA]
                                    if root is not None and (root / "data").is_dir() else [])
    texts = {}
    by_place: dict[tuple[str, int | None], list[RawHtml]] = {}
    for item in found:
        first = item.text.strip().splitlines()[0].strip()
        place = (rel, None)
        for file, path in candidates:
            if file not in texts:
                texts[file] = path.read_text(encoding="utf-8", errors="replace").splitlines() \
                    if path and path.is_file() else []
            line = next((n for n, text in enumerate(texts[file], 1) if first and first in text), None)
            if line is not None:
                place = (file, line)
                break
        by_place.setdefault(place, []).append(item)
    return [Problem(file, f"raw HTML in the text ({' '.join(i.shown for i in items)}) would be active content "
                          "on a published web page", line=line,
                    fix="write it in Markdown; if it must stay, put it in a block "
                        f"`::: {{.{ALLOW_CLASS} reason=\"why it is needed\"}}` (scripts are blocked anyway)")
            for (file, line), items in by_place.items()]
