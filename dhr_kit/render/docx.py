"""docx writer, for circulating drafts to the panel: the book's AST → Word, numbered like the PDF.

Section numbers are written into the headings (Word's own numbering cannot letter appendices). The
document opens with the "DRAFT — not for publication" marking (when not publishing), then the title
block and a contents field that Word fills in on opening.
"""
from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from html import escape
from pathlib import Path

from ..tools.pandoc import run_pandoc
from .book import Book
from .pandoc_ast import div, node_id, para, raw_block, retarget_links, walk
from .pandoc_book import (DRAFT_TEXT, ImageCopier, common_meta, filter_path, parse_book, people, references_blocks,
                          rewrite_images, victim_line_needed)

CONTENTS_FIELD = (
    '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/>'
    '</w:docPartObj></w:sdtPr><w:sdtContent><w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr><w:r>'
    '<w:t>Contents</w:t></w:r></w:p><w:p><w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/>'
    '<w:instrText xml:space="preserve">TOC \\o "1-2" \\h \\z \\u</w:instrText>'
    '<w:fldChar w:fldCharType="separate"/><w:fldChar w:fldCharType="end"/></w:r></w:p></w:sdtContent></w:sdt>'
)


def write_docx(book: Book, out_path: Path) -> Path:
    pbook = parse_book(book)
    blocks = _title_block(book) + [raw_block("openxml", CONTENTS_FIELD)]
    needs_references = bool(pbook.cites and book.bibliography and not pbook.has_refs_div)
    for chapter in pbook.chapters:
        if chapter.appendix and needs_references:
            blocks += references_blocks()
            needs_references = False
        blocks += chapter.blocks
    if needs_references:
        blocks += references_blocks()
    known = {ident for node in walk(blocks) if (ident := node_id(node))}
    retarget_links(blocks, lambda ident: f"#{ident}" if ident in known else None)

    meta = common_meta(pbook)
    for key in ("title", "subtitle"):  # the title block is _title_block's; core.xml is filled in below
        meta.pop(key, None)
    author = book.title_page.get("author") or book.title_page.get("chair") or ""

    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dhr-docx-") as tmp:
        workdir = Path(tmp)  # pandoc's cwd: images and bibliography are copied in under neutral names
        copier = ImageCopier(workdir, name=lambda number, path: f"figure-{number:03d}{path.suffix.lower()}")
        rewrite_images(pbook, blocks, lambda path: copier(_png_twin(path)))
        partial = workdir / "out.docx"
        run_pandoc(pbook.document(blocks, meta), [
            "--from", "json", "--to", "docx", "--output", partial.name,
            "--lua-filter", filter_path(), *pbook.citeproc_args(workdir)], cwd=workdir)
        _set_core_properties(partial, title=book.title, creator=author)
        shutil.move(partial, out_path)  # only now: a failed build leaves the old file
    return out_path


def _title_block(book: Book) -> list[dict]:
    page = book.title_page

    def styled(style: str, text: str) -> dict:
        node = div([para(text)])
        node["c"][0][2].append(["custom-style", style])
        return node

    blocks = [] if book.publish else [styled("Draft marking", DRAFT_TEXT)]
    if page.get("marking"):
        blocks.append(para(page["marking"]))
    if page.get("csp"):
        blocks.append(para(page["csp"]))
    blocks.append(styled("Title", book.title))
    if book.subtitle:
        blocks.append(styled("Subtitle", book.subtitle))
    if page.get("victim") and victim_line_needed(page, book.title, book.subtitle or ""):  # else the subtitle says it
        blocks.append(para(" ".join(s for s in (page["victim"], page.get("died", "")) if s)))
    blocks += [para(f"{role}: {name}") for role, name in people(page)]
    if page.get("date"):
        blocks.append(para(f"Date: {page['date']}"))
    return blocks


def _set_core_properties(docx: Path, *, title: str, creator: str) -> None:
    """Word's document title and author (docProps/core.xml): pandoc fills them only from a title block."""
    rewritten = docx.with_suffix(".tmp")
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                text = re.sub(r"<dc:(title|creator)>.*?</dc:\1>|<dc:(title|creator)\s*/>", "", data.decode("utf-8"))
                props = f"<dc:title>{escape(title)}</dc:title>" + (f"<dc:creator>{escape(creator)}</dc:creator>"
                                                                   if creator else "")
                data = text.replace("</cp:coreProperties>", props + "</cp:coreProperties>").encode("utf-8")
            target.writestr(item, data)
    rewritten.replace(docx)


def _png_twin(path: Path) -> Path:
    """Word versions before 2016 and many viewers show no SVG: use the chart's PNG twin when it has one."""
    png = path.with_suffix(".png")
    return png if path.suffix.lower() == ".svg" and png.is_file() else path
