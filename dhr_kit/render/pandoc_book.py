"""The book as pandoc documents, shared by the PDF, HTML and docx writers.

Each chapter is parsed on its own (footnote labels and reference links stay per chapter, as in Quarto),
then numbered the way Quarto numbers a book: chapters 1, 2, … (a chapter whose first heading is
``{.unnumbered}`` gets no number and neither do its sections), appendices A, B, …; parts are not
counted. Heading ids are made unique across the book.
"""
from __future__ import annotations

import copy
import functools
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from string import ascii_uppercase
from typing import Any

from ..errors import InputError, Problem
from ..paths import templates_dir
from ..tools.pandoc import run_pandoc
from .activecontent import neutralise, publication_problems
from .book import Book, BookChapter

Node = dict[str, Any]
DRAFT_TEXT = "DRAFT — not for publication"
CALLOUT_KINDS = ("note", "tip", "warning", "caution", "important")
PANDOC_WORKERS = min(4, os.cpu_count() or 1)


def filter_path() -> Path:
    return templates_dir() / "pandoc" / "dhr-writers.lua"


def default_csl() -> Path:
    return templates_dir() / "csl" / "harvard-cite-them-right.csl"


@dataclass
class Chapter:
    source: BookChapter
    blocks: list[Node]
    number: str | None  # "3" or "B"; None when unnumbered

    @property
    def appendix(self) -> bool:
        return self.source.appendix

    def label(self) -> str:
        """The chapter's heading as readers see it in contents lists: "3 Analysis", "Appendix A: Plan"."""
        if self.number is None:
            return self.source.title
        if self.appendix:
            return f"Appendix {self.number}: {self.source.title}"
        return f"{self.number} {self.source.title}"

    def ids(self) -> set[str]:
        return {ident for node in walk(self.blocks) if (ident := node_id(node))}


@dataclass
class PandocBook:
    book: Book
    api_version: list[int]
    chapters: list[Chapter]
    cites: list[Node] = field(default_factory=list)  # every Cite inline, in order of appearance

    @property
    def has_refs_div(self) -> bool:
        return any(node_id(n) == "refs" for ch in self.chapters for n in walk(ch.blocks) if n.get("t") == "Div")

    def document(self, blocks: list[Node], meta: dict[str, Node] | None = None) -> str:
        return json.dumps({"pandoc-api-version": self.api_version, "meta": meta or {}, "blocks": blocks})

    def citeproc_args(self, workdir: Path | None = None) -> list[str]:
        """pandoc arguments for citations (none when the review cites nothing and has no bibliography).

        With ``workdir`` (pandoc's cwd) the files are copied there under neutral names, so that no
        local path can reach an output's metadata (docx keeps ``bibliography`` as a custom property).
        """
        if not self.book.bibliography and not self.cites:
            return []  # (with citations but no bibliography, citeproc still runs: it marks them "(key?)")
        files = [("style.csl", self.book.csl or default_csl())]
        files += [(f"bibliography-{n}{Path(bib).suffix}", bib) for n, bib in enumerate(self.book.bibliography, 1)]
        names = []
        for name, path in files:
            path = path if Path(path).is_absolute() else self.book.root / path
            if workdir is not None:
                shutil.copyfile(path, workdir / name)
            names.append(name if workdir is not None else str(path))
        args = ["--citeproc", "--csl", names[0]]
        for name in names[1:]:
            args += ["--bibliography", name]
        return args


# ---- parsing ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _parse_markdown(markdown: str) -> str:
    return run_pandoc(markdown, ["--from", "markdown", "--to", "json"])


def parse_book(book: Book) -> PandocBook:
    """Parse every chapter, number chapters and sections, make ids unique; check images exist."""
    with ThreadPoolExecutor(max_workers=PANDOC_WORKERS) as pool:  # pandoc runs as a process: threads suffice
        parsed = [json.loads(text) for text in pool.map(_parse_markdown, [ch.markdown for ch in book.chapters])]
    api_version = parsed[0]["pandoc-api-version"] if parsed else [1, 23]
    # The renderer's cross-reference pass (dhr_kit.render.crossref) writes numbers into the headings and
    # marks them unnumbered; a hand-built Book (tests, other callers) is numbered here instead.
    prenumbered = any(_has_number_span(node) for doc in parsed for node in _headings(doc["blocks"]))
    chapters: list[Chapter] = []
    main_count = appendix_count = 0
    for source, doc in zip(book.chapters, parsed):
        blocks = doc["blocks"]
        if prenumbered:
            number = source.number
        elif _first_heading_unnumbered(blocks):
            number = None
            for node in _headings(blocks):
                _add_class(node["c"][1], "unnumbered")
        elif source.appendix:
            appendix_count += 1
            number = _letters(appendix_count)
        else:
            main_count += 1
            number = str(main_count)
        chapters.append(Chapter(source, blocks, number))
    _refuse_active_content(book, chapters)
    _make_ids_unique(chapters)
    pbook = PandocBook(book, api_version, chapters)
    pbook.cites = [n for ch in chapters for n in walk(ch.blocks) if n.get("t") == "Cite"]
    _check_images(pbook)
    return pbook


def _refuse_active_content(book: Book, chapters: list[Chapter]) -> None:
    """Comments removed, raw HTML made inert; in a publication build raw HTML is refused (see activecontent)."""
    problems = []
    for chapter in chapters:
        found = neutralise(chapter.blocks, publish=book.publish)
        if found and book.publish:
            problems += publication_problems(found, book.root / chapter.source.rel, chapter.source.rel)
    if problems:
        raise InputError(problems)


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = ascii_uppercase[rest] + out
    return out


def _has_number_span(header_node: Node) -> bool:
    return any(n.get("t") == "Span" and "header-section-number" in n["c"][0][1] for n in walk(header_node["c"][2]))


def _first_heading_unnumbered(blocks: list[Node]) -> bool:
    for node in _headings(blocks):
        classes = node["c"][1][1]
        return "unnumbered" in classes or "-" in classes
    return False


def _headings(blocks: list[Node]) -> Iterator[Node]:
    """Section headings: top level, or inside plain divs (never inside callouts)."""
    for node in blocks:
        if node.get("t") == "Header":
            yield node
        elif node.get("t") == "Div" and not _is_callout(node):
            yield from _headings(node["c"][1])


def _is_callout(div: Node) -> bool:
    return any(c in {f"callout-{k}" for k in CALLOUT_KINDS} for c in div["c"][0][1])


def _add_class(attr: list, name: str) -> None:
    if name not in attr[1]:
        attr[1].append(name)


def _make_ids_unique(chapters: list[Chapter]) -> None:
    seen: set[str] = set()
    for chapter in chapters:
        renamed: dict[str, str] = {}
        for node in walk(chapter.blocks):
            ident = node_id(node)
            if not ident:
                continue
            if ident in seen:
                n = 2
                while f"{ident}-{n}" in seen:
                    n += 1
                renamed[ident] = f"{ident}-{n}"
                _attr(node)[0] = renamed[ident]
                ident = renamed[ident]
            seen.add(ident)
        if renamed:
            retarget_links(chapter.blocks, lambda target: "#" + renamed.get(target, target))


def _check_images(pbook: PandocBook) -> None:
    problems = []
    for chapter in pbook.chapters:
        for node in walk(chapter.blocks):
            if node.get("t") != "Image":
                continue
            url = node["c"][2][0]
            path = image_path(pbook.book, url)
            if path is not None and not path.is_file():
                problems.append(Problem(chapter.source.rel, f"image not found: {url}",
                                        "check the path (relative to the project root) or re-run the cell that makes it"))
    if problems:
        raise InputError(problems)


# ---- walking and editing the pandoc AST --------------------------------------------------------------


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


def _attr(node: Node) -> list | None:
    position = _ATTR_POSITION.get(node.get("t", ""))
    return None if position is None else node["c"][position]


def node_id(node: Node) -> str:
    attr = _attr(node)
    return attr[0] if attr else ""


def stringify(inlines: Any) -> str:
    parts = []
    for node in walk(inlines):
        if node["t"] in ("Str", "Code", "Math", "RawInline"):
            parts.append(node["c"] if node["t"] == "Str" else node["c"][1])
        elif node["t"] in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
    return "".join(parts)


def image_path(book: Book, url: str) -> Path | None:
    """The file an image URL names (None for data: or remote URLs)."""
    if url.startswith(("data:", "http://", "https://")):
        return None
    path = Path(url)
    return path if path.is_absolute() else book.root / path


def images(blocks: list[Node]) -> Iterator[Node]:
    return (n for n in walk(blocks) if n.get("t") == "Image")


def image_alt(node: Node) -> str:
    attrs = dict(node["c"][0][2])
    return (attrs.get("fig-alt") or stringify(node["c"][1])).strip()


def numbered_safe_name(number: int, path: Path) -> str:
    """'003-timeline-ab12.svg': numbered in order of first use, safe on every file system."""
    return f"{number:03d}-{re.sub(r'[^A-Za-z0-9._-]', '_', path.name)}"


class ImageCopier:
    """Copies each image once into ``root/folder`` and returns the copy's path relative to ``root``
    (the URL the writer puts in its document). ``name`` chooses the copy's file name."""

    def __init__(self, root: Path, folder: str = "",
                 name: Callable[[int, Path], str] = numbered_safe_name):
        self.root, self.folder, self.name, self.copied = root, folder, name, {}

    def __call__(self, path: Path) -> str:
        key = path.resolve()
        if key not in self.copied:
            target = Path(self.folder) / self.name(len(self.copied) + 1, path)
            (self.root / target).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, self.root / target)
            self.copied[key] = target.as_posix()
        return self.copied[key]


def rewrite_images(pbook: PandocBook, blocks: list[Node], new_url: Callable[[Path], str]) -> None:
    """Point every local image at ``new_url(file)`` (e.g. a copy beside the output)."""
    for node in images(blocks):
        path = image_path(pbook.book, node["c"][2][0])
        if path is not None:
            node["c"][2][0] = new_url(path)


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


def number_headings(chapter: Chapter) -> None:
    """Write section numbers into heading text (HTML, docx): "3", "3.2", "Appendix A:", "A.1"."""
    if chapter.number is None:
        return
    counters: list[int] = []
    for node in _headings(chapter.blocks):
        level, attr, inlines = node["c"]
        if "unnumbered" in attr[1] or "-" in attr[1]:
            continue
        counters = (counters + [0] * level)[:level]
        counters[level - 1] += 1
        if level == 1 and chapter.appendix:
            prefix = [span(f"Appendix {chapter.number}", "header-section-number"), {"t": "Str", "c": ":"}]
        elif level == 1:
            prefix = [span(chapter.number, "header-section-number")]
        else:
            prefix = [span(".".join([chapter.number, *map(str, counters[1:])]), "header-section-number")]
        node["c"][2] = [*prefix, {"t": "Space"}, *inlines]


# ---- building blocks -------------------------------------------------------------------------------


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


def references_blocks(level: int = 1, *, ident: str = "references") -> list[Node]:
    """A "References" section holding citeproc's bibliography."""
    return [header(level, "References", ident, "unnumbered"), div([], "refs")]


def common_meta(pbook: PandocBook) -> dict[str, Node]:
    """Metadata every writer passes to pandoc: language (citeproc's locale), title, citations."""
    book = pbook.book
    meta = {"lang": meta_string(book.lang or "en-GB"), "title": meta_string(book.title),
            "link-citations": meta_bool(False)}
    if book.subtitle:
        meta["subtitle"] = meta_string(book.subtitle)
    return meta


def nocite(pbook: PandocBook) -> Node:
    """Every citation of the book, for a References page that lists works cited on other pages."""
    return {"t": "MetaInlines", "c": copy.deepcopy(pbook.cites)}


def people(title_page: dict[str, str]) -> list[tuple[str, str]]:
    """The title page's named roles: one line when the chair is also the author."""
    chair, author = title_page.get("chair", "").strip(), title_page.get("author", "").strip()
    if chair and chair == author:
        return [("Independent Chair and Author", chair)]
    return [(role, name) for role, name in (("Independent Chair", chair), ("Author", author)) if name]


def victim_line_needed(title_page: dict[str, str], *titles: str) -> bool:
    """False when the title already names the victim and "who died in …" (no need to say it twice)."""
    heading = " ".join(titles)
    victim, died = title_page.get("victim", ""), title_page.get("died", "")
    return not (victim and died and victim in heading and died in heading)
