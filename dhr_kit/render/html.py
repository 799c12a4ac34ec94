"""HTML writer: a book site (``index.html`` = title block + first chapter, one page per chapter,
contents sidebar, previous/next links), and optionally one self-contained ``<output_stem>.html``.

Pandoc turns each page's blocks into an HTML fragment (citations by citeproc); dhr-kit's own template
(templates/html/page.html, string.Template) wraps it. Nothing is loaded from another host: the
stylesheet sits beside the pages (or inline), images are copied beside them (or embedded as data: URIs).
"""
from __future__ import annotations

import base64
import html
import json
import mimetypes
import re
import shutil
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from ..paths import fonts_dir, templates_dir
from ..tools.pandoc import run_pandoc
from .book import Book
from .pandoc_ast import PANDOC_WORKERS, copy_blocks, meta_bool, node_id, retarget_links, shift_headings, walk
from .pandoc_book import (DRAFT_TEXT, Chapter, ImageCopier, PandocBook, common_meta, filter_path, image_path, nocite,
                          parse_book, people, references_blocks, rewrite_images, victim_line_needed)

ASSETS_DIR = "assets"
FIGURES_DIR = "figures"
STYLESHEET = "dhr.css"


@dataclass
class Page:
    filename: str
    label: str  # as listed in the contents: "3 Analysis"
    title: str  # plain chapter title, for <title>
    blocks: list[dict] | None  # None: the chapter's (copied when the page is written)
    group: str | None = None  # the part (or "Appendices") it is listed under
    holds_references: bool = False
    ids: set[str] = field(default_factory=set)
    chapter: Chapter | None = None
    shift: int = 0  # heading levels to add (the index page: the report's title is its only <h1>)

    def content(self) -> list[dict]:
        """The page's own AST (headings shifted), made on first use."""
        if self.blocks is None:
            assert self.chapter is not None
            self.blocks = self.chapter.blocks
            shift_headings(self.blocks, self.shift)
        elif self.shift:
            shift_headings(self.blocks, self.shift)
        self.shift = 0
        return self.blocks


def html_template() -> Template:
    return Template((templates_dir() / "html" / "page.html").read_text(encoding="utf-8"))


# The report's own font, served with the site (no font service, no request off the machine).
FONT_FACES = {("normal", 400): "OpenSans-Regular.ttf", ("normal", 700): "OpenSans-Bold.ttf",
              ("italic", 400): "OpenSans-Italic.ttf", ("italic", 700): "OpenSans-BoldItalic.ttf"}
SINGLE_FILE_FACES = (("normal", 400), ("normal", 700))  # the browser slants these for italics: a smaller file


def stylesheet_text(font_url: Callable[[str], str] | None = None,
                    faces: Iterable[tuple[str, int]] = tuple(FONT_FACES)) -> str:
    """The site's CSS, headed by @font-face rules for Open Sans when ``font_url`` maps a font file to a URL."""
    css = (templates_dir() / "html" / STYLESHEET).read_text(encoding="utf-8")
    if font_url is None:
        return css
    rules = [f'@font-face {{ font-family: "Open Sans"; font-style: {style}; font-weight: {weight}; '
             f'font-display: swap; src: url("{font_url(FONT_FACES[style, weight])}") format("truetype"); }}'
             for style, weight in faces]
    return "\n".join(rules) + "\n" + css


def write_html(book: Book, out_dir: Path, single_file: bool = False, *, with_pdf: bool = False) -> list[Path]:
    """Write the site into ``out_dir``; with ``single_file`` also ``<output_stem>.html``. Returns the files.

    ``with_pdf``: the same build writes the PDFs beside the site, so every page links to them."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = _write_site(parse_book(book), out_dir, with_pdf)
    if single_file:
        written.append(_write_single_file(parse_book(book), out_dir / f"{book.output_stem}.html", with_pdf))
    return written


# ---- the site --------------------------------------------------------------------------------------


def _pages(pbook: PandocBook) -> list[Page]:
    pages: list[Page] = []
    needs_references = bool(pbook.cites and pbook.book.bibliography and not pbook.has_refs_div)

    def add_references() -> None:
        pages.append(Page("references.html", "References", "References", references_blocks(), None, True))

    for index, chapter in enumerate(pbook.chapters):
        if chapter.appendix and needs_references:
            add_references()
            needs_references = False
        filename = page_filename(index, chapter.source.slug)
        group = "Appendices" if chapter.appendix else chapter.source.part
        facts = chapter.current_facts()
        pages.append(Page(filename, chapter.label(), chapter.source.title, None, group, facts.has_refs,
                          set(facts.ids), chapter))
    if needs_references:
        add_references()
    for page in pages:
        if page.chapter is None:
            page.ids = {ident for node in walk(page.blocks) if (ident := node_id(node))}
    if pages:
        pages[0].shift = 1  # the report's title is the index page's only <h1>
    return pages


def page_filename(index: int, slug: str) -> str:
    """The page of the book's ``index``-th chapter: the first is the site's index.html. (A draft's findings
    page comes first, so the review's own `index.qmd` may come second: it then gets a page of its own.)"""
    if index == 0:
        return "index.html"
    return f"{slug}.html" if slug != "index" else "index-chapter.html"


def _write_site(pbook: PandocBook, out_dir: Path, with_pdf: bool = False) -> list[Path]:
    book = pbook.book
    pages = _pages(pbook)
    page_of = {ident: page.filename for page in pages for ident in page.ids}
    assets = out_dir / ASSETS_DIR
    assets.mkdir(exist_ok=True)
    fonts = assets / "fonts"
    fonts.mkdir(exist_ok=True)
    for name in FONT_FACES.values():
        shutil.copyfile(fonts_dir() / name, fonts / name)
    (assets / STYLESHEET).write_text(stylesheet_text(lambda name: f"fonts/{name}"), encoding="utf-8")
    copier = ImageCopier(out_dir, FIGURES_DIR)
    template = html_template()
    written = [assets / STYLESHEET, *(fonts / name for name in FONT_FACES.values())]
    fragments: list[str | None] = []
    todo: list[tuple[int, Page, tuple | None]] = []
    for page in pages:

        def target(ident: str, here: Page = page) -> str | None:
            if ident in here.ids:
                return f"#{ident}"
            return f"{page_of[ident]}#{ident}" if ident in page_of else None

        key = _page_key(pbook, page, copier, target)
        fragment = _PAGE_FRAGMENTS.get(key) if key is not None else None
        if fragment is not None and fragment[0] is page.chapter.facts.prepared:
            fragments.append(fragment[1])
            continue
        blocks = page.content()
        rewrite_images(pbook, blocks, copier)
        retarget_links(blocks, target)
        fragments.append(None)
        todo.append((len(fragments) - 1, page, key))
    with ThreadPoolExecutor(max_workers=PANDOC_WORKERS) as pool:  # one pandoc process per page
        done = list(pool.map(lambda item: _to_html(pbook, item[1].content(), references=item[1].holds_references),
                             todo))
    for (index, page, key), fragment in zip(todo, done):
        fragments[index] = fragment
        if key is not None:
            _remember_fragment(key, page, fragment)
    for index, (page, fragment) in enumerate(zip(pages, fragments)):
        text = template.substitute(
            lang=html.escape(book.lang or "en-GB"),
            page_title=html.escape(book.title if index == 0 else f"{page.label} — {book.title}"),
            stylesheet=f'<link rel="stylesheet" href="{ASSETS_DIR}/{STYLESHEET}">',
            home="index.html",
            nav=_nav(pages, current=page),
            title_block=_title_block(book) if index == 0 else "",
            content=fragment,
            pager=_pager(pages, index),
            **_furniture(book, with_pdf),
        )
        path = out_dir / page.filename
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


# A page's HTML fragment depends on its chapter's prepared AST (shared between builds, see
# pandoc_book.chapter_facts), the ids renamed in it, its heading shift, the URLs its images and internal
# links get on this site, and the book-wide pandoc settings: when none of these changed since a page was
# last written (the preview, after a save to another chapter), its fragment is reused without walking it.
_FRAGMENTS_SIZE = 256
_PAGE_FRAGMENTS: dict[tuple, tuple[list[dict], str]] = {}


def _page_key(pbook: PandocBook, page: Page, copier: ImageCopier, target: Callable[[str], str | None]) -> tuple | None:
    chapter = page.chapter
    if chapter is None:
        return None  # a references page: small, written afresh
    facts = chapter.current_facts()
    urls = tuple(copier(path) for url in facts.image_urls if (path := image_path(pbook.book, url)) is not None)
    links = tuple(target(ident) for ident in facts.links)
    settings = json.dumps([common_meta(pbook), pbook.citeproc_args(), pbook.cites if page.holds_references else None])
    renamed = tuple(facts.ids) if chapter.renamed else None
    return (id(chapter.facts.prepared), renamed, page.shift, page.holds_references, urls, links, settings)


def _remember_fragment(key: tuple, page: Page, fragment: str) -> None:
    if len(_PAGE_FRAGMENTS) >= _FRAGMENTS_SIZE:
        _PAGE_FRAGMENTS.pop(next(iter(_PAGE_FRAGMENTS)))
    assert page.chapter is not None
    _PAGE_FRAGMENTS[key] = (page.chapter.facts.prepared, fragment)


# ---- the single self-contained file ------------------------------------------------------------------


def _write_single_file(pbook: PandocBook, path: Path, with_pdf: bool = False) -> Path:
    book = pbook.book
    blocks: list[dict] = []
    entries: list[tuple[str, str, str | None]] = []  # (label, anchor, group)
    needs_references = bool(pbook.cites and pbook.book.bibliography and not pbook.has_refs_div)
    for chapter in pbook.chapters:
        if chapter.appendix and needs_references:
            blocks += references_blocks()
            entries.append(("References", "references", None))
            needs_references = False
        anchor = _first_heading_id(chapter) or f"chapter-{chapter.source.slug}"
        if not _first_heading_id(chapter):
            blocks.append({"t": "Div", "c": [[anchor, [], []], []]})
        entries.append((chapter.label(), anchor, "Appendices" if chapter.appendix else chapter.source.part))
        blocks += chapter.blocks
    if needs_references:
        blocks += references_blocks()
        entries.append(("References", "references", None))
    shift_headings(blocks, 1)
    rewrite_images(pbook, blocks, _data_uri)
    known = {ident for node in walk(blocks) if (ident := node_id(node))}
    retarget_links(blocks, lambda ident: f"#{ident}" if ident in known else None)
    fragment = _to_html(pbook, blocks, references=True)
    text = html_template().substitute(
        lang=html.escape(book.lang or "en-GB"),
        page_title=html.escape(book.title),
        stylesheet=f"<style>\n{_single_file_css()}\n</style>",
        home="#main",
        nav=_nav_entries([(label, f"#{anchor}", group, False) for label, anchor, group in entries]),
        title_block=_title_block(book),
        content=fragment,
        pager="",
        **_furniture(book, with_pdf),
    )
    path.write_text(text, encoding="utf-8")
    return path


def _first_heading_id(chapter: Chapter) -> str:
    return next((node["c"][1][0] for node in walk(chapter.blocks) if node.get("t") == "Header"), "")


_MIME = {".ttf": "font/ttf", ".svg": "image/svg+xml", ".png": "image/png"}  # not left to the OS's tables


def _single_file_css() -> str:
    return stylesheet_text(lambda name: _data_uri(fonts_dir() / name), SINGLE_FILE_FACES)


def _data_uri(path: Path) -> str:
    mime = _MIME.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


# ---- pieces --------------------------------------------------------------------------------------


def _to_html(pbook: PandocBook, blocks: list[dict], *, references: bool) -> str:
    meta = common_meta(pbook)
    if references:
        meta["nocite"] = nocite(pbook)  # works cited on other pages are listed here too
    else:
        meta["suppress-bibliography"] = meta_bool(True)
    fragment = run_pandoc(pbook.document(copy_blocks(blocks), meta), [
        "--from", "json", "--to", "html5", "--wrap", "none", "--mathml", "--lua-filter", filter_path(),
        *pbook.citeproc_args()])
    return accessible_tables(fragment)


def accessible_tables(fragment: str) -> str:
    """Header cells get ``scope``: col in <thead>, row in <tbody> (pandoc writes none)."""
    def scoped(match: re.Match, scope: str) -> str:
        return re.sub(r"<th(?=[\s>])(?![^>]*\bscope=)", f'<th scope="{scope}"', match.group(0))

    fragment = re.sub(r"<thead>.*?</thead>", lambda m: scoped(m, "col"), fragment, flags=re.S)
    return re.sub(r"<tbody>.*?</tbody>", lambda m: scoped(m, "row"), fragment, flags=re.S)


def _furniture(book: Book, with_pdf: bool = False) -> dict[str, str]:
    marking = html.escape(book.title_page.get("marking", ""))
    footer_bits = [b for b in (book.title_page.get("csp", ""), book.title_page.get("date", "")) if b]
    footer = "".join(f"<p>{html.escape(bit)}</p>" for bit in [book.title_page.get("marking", ""),
                                                             " · ".join(footer_bits)] if bit)
    return {
        "draft_banner": "" if book.publish else f'<p class="draft-banner">{DRAFT_TEXT}</p>\n',
        "site_title": html.escape(book.title),
        "marking": marking,
        "footer": footer or "<p>&nbsp;</p>",
        "downloads": _downloads(book) if with_pdf else "",
    }


def _downloads(book: Book) -> str:
    """Links to the PDFs written beside the site (the same render writes them)."""
    links = [(f"{book.output_stem}.pdf", "Full report (PDF)")]
    if any(c.executive_summary for c in book.chapters):
        links.append(("executive-summary.pdf", "Executive summary (PDF)"))
    items = "".join(f'<li><a href="{html.escape(href)}">{text}</a></li>' for href, text in links)
    return f'<nav class="downloads" aria-label="Downloads"><ul>{items}</ul></nav>'



def _title_block(book: Book) -> str:
    page = book.title_page
    esc = html.escape
    parts = ['<div class="title-block">']
    if page.get("csp"):
        parts.append(f'<p class="csp">{esc(page["csp"])}</p>')
    parts.append(f'<h1 class="title">{esc(book.title)}</h1>')
    if book.subtitle:
        parts.append(f'<p class="subtitle">{esc(book.subtitle)}</p>')
    if page.get("victim") and victim_line_needed(page, book.title, book.subtitle):
        died = f" {esc(page['died'])}" if page.get("died") else ""
        parts.append(f'<p class="victim"><strong>{esc(page["victim"])}</strong>{died}</p>')
    rows = [*people(page), ("Date", page.get("date", "")), ("Protective marking", page.get("marking", ""))]
    items = "".join(f"<dt>{esc(role)}</dt><dd>{esc(name)}</dd>" for role, name in rows if name)
    if items:
        parts.append(f"<dl>{items}</dl>")
    parts.append("</div>\n")
    return "\n".join(parts)


def _nav(pages: list[Page], current: Page) -> str:
    return _nav_entries([(p.label, p.filename, p.group, p is current) for p in pages])


def _nav_entries(entries: list[tuple[str, str, str | None, bool]]) -> str:
    """The contents sidebar: chapters in order, those of a part (or the appendices) nested under it."""
    lines = ['<nav class="sidebar" aria-label="Contents">', '<p class="sidebar-title">Contents</p>',
             '<ul class="toc">']
    group_open: str | None = None
    for label, href, group, current in entries:
        if group != group_open:
            if group_open is not None:
                lines.append("</ul></li>")
            if group is not None:
                lines.append(f'<li><span class="toc-group">{html.escape(group)}</span><ul>')
            group_open = group
        aria = ' aria-current="page"' if current else ""
        lines.append(f'<li><a href="{html.escape(href)}"{aria}>{html.escape(label)}</a></li>')
    if group_open is not None:
        lines.append("</ul></li>")
    lines += ["</ul>", "</nav>"]
    return "\n".join(lines)


def _pager(pages: list[Page], index: int) -> str:
    links = []
    if index > 0:
        prev = pages[index - 1]
        links.append(f'<a class="pager-prev" href="{prev.filename}" rel="prev">'
                     f'<span class="pager-direction">Previous</span> '
                     f'<span class="pager-chapter">{html.escape(prev.label)}</span></a>')
    if index + 1 < len(pages):
        nxt = pages[index + 1]
        links.append(f'<a class="pager-next" href="{nxt.filename}" rel="next">'
                     f'<span class="pager-direction">Next</span> '
                     f'<span class="pager-chapter">{html.escape(nxt.label)}</span></a>')
    if not links:
        return ""
    return '<nav class="pager" aria-label="Previous and next chapters">\n' + "\n".join(links) + "\n</nav>"
