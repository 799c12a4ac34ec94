"""The book pass over the pandoc AST — the one numbering pass: chapters, sections, figures, tables,
cross-references and image paths. Writers never number.

Each chapter's executed Markdown is read into the AST once (:func:`.pandoc_ast.read_markdown`) and the
numbered AST goes to the writers as it is (no Markdown between the passes). Numbers are written into the text ("Figure 3.2: …", "[3.2]{.header-section-number} Title", headings
marked `.unnumbered` so no writer numbers them twice), and `@fig-x`/`@tbl-x`/`@sec-x` (pandoc reads
them as citations, as Quarto does) become links such as ``[Figure 3.2](#fig-x)``; HTML and PDF
therefore agree. Appendices are lettered (Appendix A, B…). Other citations stay for citeproc.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem
from .cellfloats import apply_cell_options
from .pandoc_ast import (TABLE_CAPTION_CLASS, copy_blocks, letters, read_markdown, read_markdown_all, str_inlines,
                         stringify, walk)

KINDS = {"fig": "Figure", "tbl": "Table", "sec": "Section"}


@dataclass
class SourceChapter:
    rel: str  # relative to the project root
    markdown: str  # executed Markdown, image paths relative to the chapter's folder
    appendix: bool = False
    title: str = ""  # front matter title, used when the body has no level-1 heading


@dataclass
class NumberedChapter:
    rel: str
    blocks: list[dict]  # the numbered pandoc AST; image paths relative to the project root
    title: str  # plain text of the first level-1 heading, without its number
    number: str | None  # "3", "A", or None when unnumbered
    images: list[str] = field(default_factory=list)  # project-relative image paths the chapter shows


@dataclass
class _Target:
    kind: str  # fig | tbl | sec
    number: str | None
    text: str  # link text when unnumbered


@dataclass
class _State:
    number_sections: bool
    number_depth: int
    targets: dict[str, _Target] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


# ---- numbering --------------------------------------------------------------------------------

def _prefix_caption_blocks(blocks: list[dict], label: str) -> list[dict]:
    prefix = str_inlines(label + ":") + [{"t": "Space"}]
    if blocks and blocks[0]["t"] in {"Plain", "Para"}:
        blocks[0]["c"] = prefix + blocks[0]["c"]
        return blocks
    return [{"t": "Plain", "c": str_inlines(label)}] + blocks


class _ChapterNumberer:
    def __init__(self, state: _State, chapter_number: str | None, loose_counter: list[int], rel: str,
                 captions: bool = True):
        self.state, self.rel, self.captions = state, rel, captions
        self.chapter_number = chapter_number
        self.section_counters: list[int] = []
        self.counts = {"fig": 0, "tbl": 0}
        self.loose_counter = loose_counter  # figures/tables in unnumbered chapters: one book-wide count
        self.first_h1_seen = False
        self.registered: list[tuple[str, _Target]] = []  # labels in order of appearance

    def next_number(self, kind: str) -> str:
        if self.chapter_number:
            self.counts[kind] += 1
            return f"{self.chapter_number}.{self.counts[kind]}"
        self.loose_counter[0 if kind == "fig" else 1] += 1
        return str(self.loose_counter[0 if kind == "fig" else 1])

    def register(self, ident: str, kind: str, number: str | None, text: str) -> None:
        if ident:
            self.registered.append((ident, _Target(kind, number, text)))  # book-wide: see _register_all

    def header(self, node: dict, appendix: bool) -> None:
        level, attr, inlines = node["c"]
        ident, classes, _ = attr
        text = stringify(inlines)
        unnumbered = "unnumbered" in classes or "-" in classes
        number: str | None = None
        if level == 1 and not self.first_h1_seen:
            self.first_h1_seen = True
            number = None if unnumbered else self.chapter_number
            kind_word = "Appendix" if appendix else "Chapter"
            self.register(ident, "sec", f"{kind_word} {number}" if number else None, text)
        else:
            depth = level - 1
            if unnumbered or not self.chapter_number or not self.state.number_sections:
                number = None
            elif level <= self.state.number_depth:
                self.section_counters = (self.section_counters + [0] * depth)[:depth]
                self.section_counters[depth - 1] += 1
                number = ".".join([self.chapter_number, *map(str, self.section_counters)])
            self.register(ident, "sec", f"Section {number}" if number else None, text)
        if "unnumbered" not in classes:
            classes.append("unnumbered")
        if number and self.state.number_sections:
            shown = f"Appendix {number}" if (appendix and level == 1) else number
            span = {"t": "Span", "c": [["", ["header-section-number"], []], str_inlines(shown)]}
            separator = [{"t": "Str", "c": ":"}] if (appendix and level == 1) else []
            node["c"][2] = [span, *separator, {"t": "Space"}, *inlines]

    def figure_block(self, node: dict) -> None:
        attr, caption, body = node["c"]
        if not attr[0].startswith("fig-"):
            return
        number = self.next_number("fig")
        self.register(attr[0], "fig", f"Figure {number}", "")
        caption[1] = _prefix_caption_blocks(caption[1], f"Figure {number}")
        for image in (n for n in walk(body) if n["t"] == "Image"):
            image["c"][1] = [dict(i) for i in caption[1][0]["c"]] if caption[1] else []

    def table(self, node: dict, ident: str, caption_inlines: list[dict] | None = None) -> None:
        number = self.next_number("tbl")
        self.register(ident, "tbl", f"Table {number}", "")
        caption = node["c"][1]
        if caption_inlines is not None and not caption[1]:
            caption[1] = [{"t": "Plain", "c": caption_inlines}]
        caption[1] = _prefix_caption_blocks(caption[1], f"Table {number}")

    def table_div(self, node: dict) -> list[dict]:
        """`::: {#tbl-x}` (a computed table): number it; the caption goes onto the table inside."""
        attr, blocks = node["c"]
        caption_inlines: list[dict] | None = None
        kept = []
        for block in blocks:
            if block["t"] == "Div" and TABLE_CAPTION_CLASS in block["c"][0][1]:
                paras = [b for b in block["c"][1] if b["t"] in {"Para", "Plain"}]
                caption_inlines = paras[0]["c"] if paras else []
            else:
                kept.append(block)
        tables = [b for b in kept if b["t"] == "Table"]
        if len(kept) == 1 and tables:
            tables[0]["c"][0][0] = attr[0]
            self.table(tables[0], attr[0], caption_inlines)
            return kept
        number = self.next_number("tbl")
        self.register(attr[0], "tbl", f"Table {number}", "")
        label = str_inlines(f"Table {number}:") + [{"t": "Space"}] + (caption_inlines or [])
        node["c"][1] = [{"t": "Para", "c": label}] + kept
        return [node]


CALLOUT_KINDS = ("note", "tip", "warning", "caution", "important")


def is_callout(block: dict) -> bool:
    """A Quarto callout (``::: {.callout-note}`` …): its heading is its title, not a section of the report."""
    return block["t"] == "Div" and any(c in block["c"][0][1] for c in (f"callout-{k}" for k in CALLOUT_KINDS))


def _number_blocks(blocks: list[dict], numberer: _ChapterNumberer, appendix: bool,
                   in_callout: bool = False) -> list[dict]:
    result: list[dict] = []
    for block in blocks:
        kind = block["t"]
        if kind == "Header" and in_callout:
            pass  # a callout's title: never numbered, never a section (Quarto)
        elif kind == "Header":
            numberer.header(block, appendix)
        elif not numberer.captions:
            pass
        elif kind == "Figure":
            numberer.figure_block(block)
            result.append(block)
            continue
        elif kind == "Table" and block["c"][0][0].startswith("tbl-"):
            numberer.table(block, block["c"][0][0])
        elif kind == "Div" and block["c"][0][0].startswith("tbl-"):
            result.extend(numberer.table_div(block))
            continue
        elif kind == "Div" and block["c"][0][0].startswith("fig-"):
            number = numberer.next_number("fig")
            numberer.register(block["c"][0][0], "fig", f"Figure {number}", "")
            paras = [b for b in block["c"][1] if b["t"] in {"Para", "Plain"}]
            if paras:
                paras[-1]["c"] = str_inlines(f"Figure {number}:") + [{"t": "Space"}] + paras[-1]["c"]
        if kind in {"Div", "BlockQuote"}:
            inner = block["c"][1] if kind == "Div" else block["c"]
            inner[:] = _number_blocks(inner, numberer, appendix, in_callout or is_callout(block))
        result.append(block)
    return result


# ---- references and paths ---------------------------------------------------------------------

def _resolve_cites(node: Any, state: _State, rel: str) -> None:
    """Replace crossref citations in every inline list under ``node``."""
    if isinstance(node, dict):
        for value in node.values():
            _resolve_cites(value, state, rel)
        return
    if not isinstance(node, list):
        return
    for index, item in enumerate(node):
        if isinstance(item, dict) and item.get("t") == "Cite":
            citations = item["c"][0]
            if citations and all(c["citationId"].split("-", 1)[0].lower() in KINDS for c in citations):
                node[index] = {"t": "Span", "c": [["", ["crossref"], []],
                                                  _cite_links(citations, state, rel)]}
                continue
        _resolve_cites(item, state, rel)


def _cite_links(citations: list[dict], state: _State, rel: str) -> list[dict]:
    inlines: list[dict] = []
    for index, citation in enumerate(citations):
        if index:
            inlines += [{"t": "Str", "c": ","}, {"t": "Space"}]
        ident = citation["citationId"]
        key = ident[0].lower() + ident[1:]
        target = state.targets.get(key)
        if citation["citationPrefix"]:
            inlines += citation["citationPrefix"] + [{"t": "Space"}]
        if target is None:
            state.problems.append(Problem(rel, f"cross-reference @{ident} points to no figure, table or section",
                                          fix=f"add the label #{key} to its target, or correct the reference"))
            inlines.append({"t": "Strong", "c": [{"t": "Str", "c": f"?@{ident}"}]})
        else:
            text = target.number or target.text or key
            inlines.append({"t": "Link", "c": [["", [], []], str_inlines(text), ["#" + key, ""]]})
        if citation["citationSuffix"]:
            inlines += citation["citationSuffix"]
    return inlines


def _rewrite_images(blocks: list[dict], chapter_dir: Path, root: Path, rel: str, problems: list[Problem]) -> None:
    for node in walk(blocks):
        if node["t"] != "Image":
            continue
        target = node["c"][2]
        url = target[0]
        if not url or "://" in url or url.startswith(("data:", "#")):
            continue
        path = Path(url) if os.path.isabs(url) else (chapter_dir / url)
        absolute = Path(os.path.normpath(path))
        try:
            target[0] = absolute.relative_to(root).as_posix()
        except ValueError:
            problems.append(Problem(rel, f"image {url} is outside the review project",
                                    fix="keep figures inside the project folder and use relative paths"))
            target[0] = Path(url).name


# ---- the pass ---------------------------------------------------------------------------------

@dataclass
class ChapterTree:
    """A chapter's AST being numbered (its blocks are changed in place)."""

    rel: str
    blocks: list[dict]
    appendix: bool = False
    title: str = ""  # used when the body has no level-1 heading
    number: str | None = None  # set by number_chapters


def _register_all(state: _State, rel: str, registered: list[tuple[str, _Target]]) -> None:
    """A chapter's labels into the book's targets (a label used twice is a problem where it is reused)."""
    for ident, target in registered:
        if ident in state.targets:
            state.problems.append(Problem(rel, f"the label #{ident} is used twice",
                                          fix="give each figure, table and section its own label"))
        state.targets[ident] = target


@dataclass(frozen=True)
class _Counters:
    """What numbering a chapter takes from the chapters before it."""

    chapters: int = 0
    appendices: int = 0
    loose_figures: int = 0  # figures/tables of unnumbered chapters: one book-wide count
    loose_tables: int = 0


@dataclass
class _Numbered:
    """One chapter numbered on its own (before its cross-references are resolved)."""

    blocks: list[dict]
    title: str
    number: str | None
    after: _Counters
    registered: list[tuple[str, _Target]]


def _number_one(chapter: ChapterTree, before: _Counters, *, number_sections: bool, number_depth: int,
                captions: bool) -> _Numbered:
    """Number one chapter given the counts of the chapters before it (its blocks are changed in place)."""
    chapter_counter, appendix_counter = before.chapters, before.appendices
    loose = [before.loose_figures, before.loose_tables]
    blocks = chapter.blocks
    first_h1 = next((b for b in blocks if b["t"] == "Header" and b["c"][0] == 1), None)
    if first_h1 is None and chapter.title:
        first_h1 = {"t": "Header", "c": [1, ["", [], []], str_inlines(chapter.title)]}
        blocks.insert(0, first_h1)
    number: str | None = None
    if first_h1 is not None and not ({"unnumbered", "-"} & set(first_h1["c"][1][1])):
        if chapter.appendix:
            appendix_counter += 1
            number = letters(appendix_counter)
        elif number_sections:
            chapter_counter += 1
            number = str(chapter_counter)
    title = stringify(first_h1["c"][2]) if first_h1 else chapter.title
    state = _State(number_sections=number_sections, number_depth=number_depth)
    numberer = _ChapterNumberer(state, number, loose, chapter.rel, captions)
    blocks[:] = _number_blocks(blocks, numberer, chapter.appendix)
    return _Numbered(blocks, title, number, _Counters(chapter_counter, appendix_counter, *loose),
                     numberer.registered)


def number_chapters(chapters: list[ChapterTree], *, number_sections: bool = True, number_depth: int = 6,
                    captions: bool = True) -> list[Problem]:
    """The one numbering pass: chapters 1, 2 … and appendices A, B … (a chapter whose first heading is
    ``{.unnumbered}`` gets no number, nor do its sections), section numbers written into the headings,
    and with ``captions`` figures and tables numbered and `@fig-x`/`@tbl-x`/`@sec-x` resolved.
    Without ``captions`` (a book built by hand, its captions written out) only headings are numbered."""
    state = _State(number_sections=number_sections, number_depth=number_depth)
    counters = _Counters()
    for chapter in chapters:
        done = _number_one(chapter, counters, number_sections=number_sections, number_depth=number_depth,
                           captions=captions)
        chapter.title, chapter.number, counters = done.title, done.number, done.after
        _register_all(state, chapter.rel, done.registered)
    if captions:
        for chapter in chapters:
            _resolve_cites(chapter.blocks, state, chapter.rel)
    return state.problems


# ---- the book pass, chapter by chapter (memoised) ----------------------------------------------------
#
# A chapter's numbers depend on the chapters before it only through _Counters, and its cross-references
# only on the targets it cites; its image paths on its own folder. So the pass is kept per chapter, keyed
# on exactly those inputs: a save to one chapter (the preview) numbers that chapter again, and another
# chapter only when its counters or the targets it cites changed. The result is the same as numbering the
# whole book afresh (tests/test_incremental_preview.py compares them).

_MEMO_SIZE = 96  # chapters: enough for a long book and its last edits, bounded in memory
_numbered_memo: dict[tuple, tuple[_Numbered, tuple[str, ...]]] = {}
_resolved_memo: dict[tuple, tuple[list[dict], list[Problem], list[Problem], list[str]]] = {}


def _remember(memo: dict, key: tuple, value):
    if len(memo) >= _MEMO_SIZE:
        memo.pop(next(iter(memo)))
    memo[key] = value
    return value


def _numbered_alone(chapter: SourceChapter, before: _Counters, blocks_of, *, number_sections: bool,
                    number_depth: int) -> tuple[_Numbered, tuple[str, ...]]:
    """A chapter numbered given the counters before it, and the labels it cites (memoised)."""
    key = (chapter.rel, chapter.markdown, chapter.appendix, chapter.title, before, number_sections, number_depth)
    found = _numbered_memo.get(key)
    if found is not None:
        return found
    tree = ChapterTree(chapter.rel, blocks_of(chapter.markdown), chapter.appendix, chapter.title)
    done = _number_one(tree, before, number_sections=number_sections, number_depth=number_depth, captions=True)
    cited = tuple(c["citationId"] for n in walk(done.blocks) if n["t"] == "Cite" for c in n["c"][0])
    return _remember(_numbered_memo, key, (done, cited))


def _resolved(chapter: SourceChapter, numbered_key: tuple, done: _Numbered, cited: tuple[str, ...],
              targets: dict[str, _Target], root: Path):
    """A numbered chapter with its cross-references resolved and image paths made project-relative:
    (blocks, cross-reference problems, image problems, images) — memoised on the targets it cites."""
    seen = tuple((ident, targets.get(ident[0].lower() + ident[1:])) for ident in cited)
    key = (numbered_key, repr(seen), str(root))
    found = _resolved_memo.get(key)
    if found is not None:
        return found
    blocks = copy_blocks(done.blocks)
    state = _State(number_sections=True, number_depth=6, targets=targets)
    _resolve_cites(blocks, state, chapter.rel)
    image_problems: list[Problem] = []
    _rewrite_images(blocks, (root / chapter.rel).parent, root, chapter.rel, image_problems)
    images = sorted({n["c"][2][0] for n in walk(blocks) if n["t"] == "Image"})
    return _remember(_resolved_memo, key, (blocks, state.problems, image_problems, images))


def number_book(chapters: list[SourceChapter], root: Path, *, number_sections: bool = True,
                number_depth: int = 6) -> tuple[list[NumberedChapter], list[Problem]]:
    """Parse each chapter's executed Markdown (once), number the book, resolve cross-references and make
    image paths relative to the project root. Chapter by chapter, memoised (see above): the numbered
    blocks returned are shared, so a caller copies them before changing them (writers do)."""
    root = root.resolve()
    known = {(key[0], key[1]) for key in _numbered_memo}
    todo = list(dict.fromkeys(c.markdown for c in chapters if (c.rel, c.markdown) not in known))
    parsed = dict(zip(todo, read_markdown_all(todo)))  # the pandoc reads side by side

    def blocks_of(markdown: str) -> list[dict]:
        blocks = parsed.pop(markdown) if markdown in parsed else read_markdown(markdown)
        apply_cell_options(blocks)  # a `.dhr-cell` div's label/fig-cap/tbl-cap on what it holds, before numbering
        return blocks

    state = _State(number_sections=number_sections, number_depth=number_depth)
    counters = _Counters()
    numbered: list[tuple[tuple, _Numbered, tuple[str, ...]]] = []
    for chapter in chapters:
        key = (chapter.rel, chapter.markdown, chapter.appendix, chapter.title, counters, number_sections,
               number_depth)
        done, cited = _numbered_alone(chapter, counters, blocks_of, number_sections=number_sections,
                                      number_depth=number_depth)
        _register_all(state, chapter.rel, done.registered)
        numbered.append((key, done, cited))
        counters = done.after
    problems = list(state.problems)
    image_problems: list[Problem] = []
    result = []
    for chapter, (key, done, cited) in zip(chapters, numbered):
        blocks, cite_problems, images_wrong, images = _resolved(chapter, key, done, cited, state.targets, root)
        problems += cite_problems
        image_problems += images_wrong
        result.append(NumberedChapter(chapter.rel, blocks, done.title, done.number, list(images)))
    return result, problems + image_problems
