"""The pandoc JSON AST: reading Markdown into it (one pandoc run per chapter), walking, reading and
building nodes. Shared by the numbering pass (:mod:`.crossref`) and the writers; no numbering here."""
from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from string import ascii_uppercase
from typing import Any

from ..tools.pandoc import run_pandoc

Node = dict[str, Any]
READ_FORMAT = "markdown"
MARKDOWN_FORMAT = "markdown-simple_tables-multiline_tables"  # what a chapter's AST is shown as (debugging, tests)
TABLE_CAPTION_CLASS = "dhr-tbl-cap"  # a computed table's caption (assemble) → the table's own caption (crossref)
FIG_CAPTION_CLASS = "dhr-fig-cap"  # a cell's fig-cap (assemble) → its figure's caption (cellfloats)
CELL_CLASS = "dhr-cell"  # a code cell whose options caption, describe or label its outputs (assemble → cellfloats)
PANDOC_WORKERS = 4  # pandoc runs as a process: threads suffice


# ---- pandoc I/O --------------------------------------------------------------------------------

_api_version: list[int] = []


@functools.lru_cache(maxsize=256)
def _read(markdown: str) -> str:
    return run_pandoc(markdown, ["--from", READ_FORMAT, "--to", "json"])


class Prefetch:
    """Pandoc reads started early, side by side (e.g. each chapter's as soon as its code has run, while the
    kernels go on with the others): :func:`read_markdown` of the same text waits for its read instead of
    starting another. Close it (or use it as a context manager) to wait for the reads still running."""

    def __init__(self, workers: int = PANDOC_WORKERS) -> None:
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dhr-pandoc-read")

    def read(self, markdown: str) -> None:
        with _pending_lock:
            if markdown not in _pending:
                _pending[markdown] = self.pool.submit(_read, markdown)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        with _pending_lock:
            for markdown in [m for m, f in _pending.items() if f.done()]:
                del _pending[markdown]  # answered reads stay in _read's memo

    def __enter__(self) -> Prefetch:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


_pending: dict[str, Future] = {}
_pending_lock = threading.Lock()


def read_markdown(markdown: str) -> list[Node]:
    """A chapter's Markdown as AST blocks (a fresh copy on every call)."""
    with _pending_lock:
        started = _pending.get(markdown)
    if started is not None:
        started.exception()  # waits; a failed read fails again below, with its message, in this thread
    document = json.loads(_read(markdown))
    if not _api_version:
        _api_version[:] = document["pandoc-api-version"]
    return document["blocks"]


def read_markdown_all(texts: list[str]) -> list[list[Node]]:
    """Each text's blocks; the pandoc runs side by side."""
    with ThreadPoolExecutor(max_workers=PANDOC_WORKERS) as pool:
        return list(pool.map(read_markdown, texts))


def api_version() -> list[int]:
    """The pandoc-api-version of this pandoc's JSON (read once per process)."""
    if not _api_version:
        read_markdown("")
    return list(_api_version)


def document(blocks: list[Node], meta: dict[str, Node] | None = None) -> str:
    """A JSON document for pandoc's ``--from json``."""
    return json.dumps({"pandoc-api-version": api_version(), "meta": meta or {}, "blocks": blocks})


def to_markdown(blocks: list[Node]) -> str:
    return run_pandoc(document(blocks), ["--from", "json", "--to", MARKDOWN_FORMAT, "--wrap=preserve"])


def copy_blocks(blocks: list[Node]) -> list[Node]:
    """A deep copy (via JSON: several times faster than copy.deepcopy on a pandoc tree)."""
    return json.loads(json.dumps(blocks))


# ---- reading -----------------------------------------------------------------------------------

def walk(tree: Any) -> Iterator[Node]:
    """Every element (a dict with "t") in a pandoc JSON tree, parents before children, in document order.

    Iterative: a recursive generator costs a frame per level for every node yielded, which made
    walking a whole book dominate warm builds.
    """
    stack = [iter((tree,))]
    while stack:
        for value in stack[-1]:
            if isinstance(value, dict):
                if "t" in value:
                    yield value
                stack.append(iter(value.values()))
                break
            if isinstance(value, list):
                stack.append(iter(value))
                break
        else:
            stack.pop()


_ATTR_POSITION = {"Header": 1, "Div": 0, "Span": 0, "Image": 0, "Link": 0, "Figure": 0, "Table": 0,
                  "CodeBlock": 0, "Code": 0}


def attr(node: Node) -> list | None:
    """The node's [id, classes, key-values], or None for a node without attributes."""
    position = _ATTR_POSITION.get(node.get("t", ""))
    return None if position is None else node["c"][position]


def node_id(node: Node) -> str:
    found = attr(node)
    return found[0] if found else ""


def stringify(node: Any) -> str:
    """Plain text of inlines (as a heading's title reads): spaces for breaks, no markup, citations as cited."""
    if isinstance(node, list):
        return "".join(stringify(n) for n in node)
    if not isinstance(node, dict):
        return ""
    kind = node.get("t")
    if kind == "Str":
        return node["c"]
    if kind in {"Space", "SoftBreak", "LineBreak"}:
        return " "
    if kind in {"Code", "Math"}:
        return node["c"][-1]
    if kind in {"Link", "Image", "Span", "Cite"}:
        return stringify(node["c"][-2] if kind in {"Link", "Image"} else node["c"][-1])
    content = node.get("c")
    return stringify(content) if isinstance(content, list) else ""


def images(blocks: list[Node]) -> Iterator[Node]:
    return (n for n in walk(blocks) if n.get("t") == "Image")


def image_alt(node: Node) -> str:
    attrs = dict(node["c"][0][2])
    return (attrs.get("fig-alt") or stringify(node["c"][1])).strip()


def letters(n: int) -> str:
    """Appendix letters, counted from 1: A … Z, AA, AB …"""
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = ascii_uppercase[rest] + out
    return out


# ---- editing -----------------------------------------------------------------------------------

def retarget_links(blocks: list[Node], new_url: Callable[[str], str | None]) -> None:
    """Re-point internal links (``#id``); ``new_url`` returns None to turn the link into plain text."""
    for node in walk(blocks):
        if node.get("t") != "Link" or not node["c"][2][0].startswith("#"):
            continue
        url = new_url(node["c"][2][0][1:])
        if url is None:
            node["t"], node["c"] = "Span", [["", [], []], node["c"][1]]
        else:
            node["c"][2][0] = url


def shift_headings(blocks: list[Node], by: int) -> None:
    for node in walk(blocks):
        if node.get("t") == "Header":
            node["c"][0] = min(6, node["c"][0] + by)


# ---- building ----------------------------------------------------------------------------------

def str_inlines(text: str) -> list[Node]:
    """Words as Str nodes separated by Space."""
    inlines: list[Node] = []
    for index, word in enumerate(text.split()):
        if index:
            inlines.append({"t": "Space"})
        inlines.append({"t": "Str", "c": word})
    return inlines


def span(text: str, *classes: str) -> Node:
    return {"t": "Span", "c": [["", list(classes), []], [{"t": "Str", "c": text}]]}


def raw_block(fmt: str, text: str) -> Node:
    return {"t": "RawBlock", "c": [fmt, text]}


def header(level: int, text: str, ident: str, *classes: str) -> Node:
    return {"t": "Header", "c": [level, [ident, list(classes), []], [{"t": "Str", "c": text}]]}


def div(blocks: list[Node], ident: str = "", *classes: str) -> Node:
    return {"t": "Div", "c": [[ident, list(classes), []], blocks]}


def para(text: str) -> Node:
    return {"t": "Para", "c": [{"t": "Str", "c": text}]}


def meta_string(text: str) -> Node:
    return {"t": "MetaString", "c": text}


def meta_bool(value: bool) -> Node:
    return {"t": "MetaBool", "c": value}


def meta_raw(fmt: str, text: str) -> Node:
    return {"t": "MetaInlines", "c": [{"t": "RawInline", "c": [fmt, text]}]}


def meta_list(items: list[Node]) -> Node:
    return {"t": "MetaList", "c": items}


def meta_map(values: dict[str, Node]) -> Node:
    return {"t": "MetaMap", "c": values}
