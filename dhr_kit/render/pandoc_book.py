"""The book as pandoc documents, shared by the PDF, HTML and docx writers.

A Book from the renderer carries each chapter's numbered AST (:mod:`.crossref`): each writer gets its
own copy. A Book built by hand (tests, other callers) holds Markdown: each chapter is parsed on its own
(footnote labels and reference links stay per chapter, as in Quarto) and its headings numbered by the
same numbering pass, unless the Markdown is numbered already. Heading ids are made unique across the book.
"""
from __future__ import annotations

import copy
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Problem
from ..paths import templates_dir
from .activecontent import neutralise, publication_problems
from .book import Book, BookChapter
from .crossref import ChapterTree, number_chapters
from .pandoc_ast import (Node, attr, copy_blocks, div, document, header, images, meta_bool, meta_string, node_id,
                         read_markdown_all, retarget_links, walk)

__all__ = ["DRAFT_TEXT", "Chapter", "ImageCopier", "PandocBook", "common_meta", "default_csl", "filter_path",
           "image_path", "nocite", "parse_book", "people", "references_blocks", "rewrite_images",
           "victim_line_needed"]

DRAFT_TEXT = "DRAFT — not for publication"


def filter_path() -> Path:
    return templates_dir() / "pandoc" / "dhr-writers.lua"


def default_csl() -> Path:
    return templates_dir() / "csl" / "harvard-cite-them-right.csl"


@dataclass
class ChapterFacts:
    """What the writers need to know of a chapter's prepared AST without walking it again: ``prepared`` is
    the numbered AST with comments removed and raw HTML made inert (shared: never changed; a writer
    edits its own copy, :attr:`Chapter.blocks`)."""

    prepared: list[Node]
    found: list  # raw HTML made inert (activecontent.RawHtml)
    ids: list[str]  # element ids in document order (repeats kept)
    cites: list[Node]  # Cite inlines in order
    image_urls: list[str]
    links: list[str]  # internal link targets ("#x" → "x") in order
    has_refs: bool  # holds a `::: {#refs}` div


def chapter_facts(blocks: list[Node], *, publish: bool) -> ChapterFacts:
    """Neutralise ``blocks`` in place (they become ``prepared``) and read what the writers need, in one walk."""
    found = neutralise(blocks, publish=publish)
    ids, cites, urls, links, has_refs = [], [], [], [], False
    for node in walk(blocks):
        kind = node.get("t")
        ident = node_id(node)
        if ident:
            ids.append(ident)
            has_refs = has_refs or (kind == "Div" and ident == "refs")
        if kind == "Cite":
            cites.append(node)
        elif kind == "Image":
            urls.append(node["c"][2][0])
        elif kind == "Link" and node["c"][2][0].startswith("#"):
            links.append(node["c"][2][0][1:])
    return ChapterFacts(blocks, found, ids, cites, urls, links, has_refs)


# The renderer's Book shares each chapter's numbered blocks between builds (crossref's memo): their facts
# are read once per process (keyed on the blocks object, which is kept alive here).
_FACTS_SIZE = 96
_facts_memo: dict[tuple[int, bool], tuple[list[Node], ChapterFacts]] = {}


def _shared_chapter_facts(blocks: list[Node], publish: bool) -> ChapterFacts:
    key = (id(blocks), publish)
    found = _facts_memo.get(key)
    if found is not None and found[0] is blocks:
        return found[1]
    facts = chapter_facts(copy_blocks(blocks), publish=publish)
    if len(_facts_memo) >= _FACTS_SIZE:
        _facts_memo.pop(next(iter(_facts_memo)))
    _facts_memo[key] = (blocks, facts)
    return facts


class Chapter:
    """A chapter as a writer sees it: its facts, and its own copy of the AST (made when first asked for)."""

    def __init__(self, source: BookChapter, facts: ChapterFacts, number: str | None):
        self.source, self.facts, self.number = source, facts, number  # number: "3" or "B"; None when unnumbered
        self._blocks: list[Node] | None = None
        self.renamed = False  # ids made unique by renaming some of this chapter's: facts re-read from blocks

    @property
    def blocks(self) -> list[Node]:
        if self._blocks is None:
            self._blocks = copy_blocks(self.facts.prepared)
        return self._blocks

    @blocks.setter
    def blocks(self, value: list[Node]) -> None:
        self._blocks = value

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

    def current_facts(self) -> ChapterFacts:
        """The facts of the chapter as the writer has it (after ids were renamed, read again)."""
        if not self.renamed:
            return self.facts
        return chapter_facts(self.blocks, publish=False)  # (already neutralised: nothing more to find)

    def ids(self) -> set[str]:
        return set(self.current_facts().ids)


@dataclass
class PandocBook:
    book: Book
    chapters: list[Chapter]
    cites: list[Node] = field(default_factory=list)  # every Cite inline, in order of appearance

    @property
    def has_refs_div(self) -> bool:
        return any(ch.current_facts().has_refs for ch in self.chapters)

    def document(self, blocks: list[Node], meta: dict[str, Node] | None = None) -> str:
        return document(blocks, meta)

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


def parse_book(book: Book) -> PandocBook:
    """The chapters' numbered ASTs (a copy per call: writers edit them), ids made unique, images checked."""
    if all(chapter.blocks is not None for chapter in book.chapters):
        facts = [_shared_chapter_facts(chapter.blocks, book.publish) for chapter in book.chapters]
        numbers = [chapter.number for chapter in book.chapters]
    else:
        trees = read_markdown_all([chapter.markdown for chapter in book.chapters])
        numbers = _number_by_hand_built_rules(book, trees)
        facts = [chapter_facts(tree, publish=book.publish) for tree in trees]
    chapters = [Chapter(source, fact, number) for source, fact, number in zip(book.chapters, facts, numbers)]
    _refuse_active_content(book, chapters)
    _make_ids_unique(chapters)
    pbook = PandocBook(book, chapters)
    pbook.cites = [n for ch in chapters for n in ch.current_facts().cites]
    _check_images(pbook)
    return pbook


def _number_by_hand_built_rules(book: Book, trees: list[list[Node]]) -> list[str | None]:
    """Markdown whose headings carry numbers already (``[2]{.header-section-number}``) keeps them;
    otherwise the headings are numbered by the book's numbering pass (captions are left as written)."""
    if any(_has_number_span(node) for blocks in trees for node in walk(blocks) if node.get("t") == "Header"):
        return [chapter.number for chapter in book.chapters]
    chapters = [ChapterTree(source.rel, blocks, source.appendix) for source, blocks in zip(book.chapters, trees)]
    number_chapters(chapters, captions=False)
    return [chapter.number for chapter in chapters]


def _refuse_active_content(book: Book, chapters: list[Chapter]) -> None:
    """Comments removed, raw HTML made inert; in a publication build raw HTML is refused (see activecontent)."""
    problems = []
    for chapter in chapters:
        found = chapter.facts.found  # (neutralised when its facts were read)
        if found and book.publish:
            problems += publication_problems(found, book.root / chapter.source.rel, chapter.source.rel, book.root)
    if problems:
        raise InputError(problems)


def _has_number_span(header_node: Node) -> bool:
    return any(n.get("t") == "Span" and "header-section-number" in n["c"][0][1] for n in walk(header_node["c"][2]))


def _make_ids_unique(chapters: list[Chapter]) -> None:
    seen: set[str] = set()
    for chapter in chapters:
        ids = chapter.facts.ids
        if seen.isdisjoint(ids) and len(set(ids)) == len(ids):
            seen.update(ids)  # nothing to rename here: the chapter's copy is not even made
            continue
        chapter.renamed = True
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
                attr(node)[0] = renamed[ident]
                ident = renamed[ident]
            seen.add(ident)
        if renamed:
            retarget_links(chapter.blocks, lambda target: "#" + renamed.get(target, target))


def _check_images(pbook: PandocBook) -> None:
    problems = []
    for chapter in pbook.chapters:
        for url in chapter.current_facts().image_urls:
            path = image_path(pbook.book, url)
            if path is not None and not path.is_file():
                problems.append(Problem(chapter.source.rel, f"image not found: {url}",
                                        "check the path (relative to the project root) or re-run the cell that makes it"))
    if problems:
        raise InputError(problems)


def image_path(book: Book, url: str) -> Path | None:
    """The file an image URL names (None for data: or remote URLs)."""
    if url.startswith(("data:", "http://", "https://")):
        return None
    path = Path(url)
    return path if path.is_absolute() else book.root / path


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
