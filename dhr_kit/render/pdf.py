"""PDF writer: book → pandoc (typst writer, dhr-kit template) → typst → tagged PDF/UA-1, A4.

Typst compiles in a temporary folder that holds the .typ file and copies of the images (typst's root
must contain every file it reads); nothing of that folder's path reaches the PDF.
"""
from __future__ import annotations

import dataclasses
import os
import json
import re
import shutil
import tempfile
from pathlib import Path

from ..errors import InputError, Problem
from ..paths import templates_dir
from ..tools.pandoc import run_pandoc
from ..tools.typst import compile_pdf
from .book import Book
from .draft import FINDINGS_REL
from .outputs import remove_debris
from .pandoc_ast import (div, image_alt, images, meta_bool, meta_list, meta_map, meta_raw, meta_string, raw_block,
                         retarget_links, stringify, walk)
from .pandoc_book import (ImageCopier, PandocBook, common_meta, filter_path, parse_book, people, references_blocks,
                          rewrite_images, victim_line_needed)

APPENDICES_START = "\n".join([
    '#dhr-part("Appendices", newpage: true)',
    "#counter(heading).update(0)",
    "#set heading(numbering: dhr-appendix-numbering, supplement: [Appendix])",
])


def template_path() -> Path:
    return templates_dir() / "typst" / "report.typ"


def write_pdf(book: Book, out_path: Path) -> Path:
    """The whole report: title page, contents, chapters (parts, lettered appendices), references."""
    pbook = parse_book(book)
    return _write(pbook, out_path, title=book.title, subtitle=book.subtitle, toc=True)


def write_executive_summary_pdf(book: Book, out_path: Path) -> Path:
    """``executive-summary.pdf``: the title page and the executive summary chapter alone. A draft with open
    QA errors carries its "Draft: open QA findings" page in front of the summary too: the summary is often
    circulated on its own, and the panel must see what is still open in what it reads."""
    summary = [chapter for chapter in book.chapters if chapter.executive_summary]
    if not summary:
        raise InputError(Problem("_quarto.yml", "the review has no executive summary chapter",
                                 "name it under `dhr: executive-summary:` (e.g. chapters/executive-summary.qmd)",
                                 key="dhr.executive-summary"))
    summary = [chapter for chapter in book.chapters if chapter.rel == FINDINGS_REL and not book.publish] + summary
    pbook = parse_book(dataclasses.replace(book, chapters=summary))
    standalone(pbook)
    # The subtitle says whose review it is ("Executive summary: Overview report into the death of Anna, who
    # died in …"), so the title page need not repeat the victim's name on a line of its own.
    subtitle = f"Executive summary: {book.subtitle}" if book.subtitle else "Executive summary"
    return _write(pbook, out_path, title=book.title, subtitle=subtitle, toc=False,
                  running_title=f"Executive summary — {book.title}")


ELSEWHERE = "of the overview report"


def standalone(pbook: PandocBook) -> None:
    """Make a part of the book read on its own: no section numbers from the whole book ("1 Executive
    summary"), and a reference to what it does not contain says where that is ("Chapter 11 of the
    overview report") instead of pointing nowhere."""
    known = {ident for chapter in pbook.chapters for ident in chapter.ids()}
    elsewhere: list[dict] = []
    for word in ELSEWHERE.split():
        elsewhere += [{"t": "Space"}, {"t": "Str", "c": word}]
    for chapter in pbook.chapters:
        for node in walk(chapter.blocks):
            if node.get("t") == "Header":
                inlines = node["c"][2]
                if inlines and inlines[0].get("t") == "Span" and "header-section-number" in inlines[0]["c"][0][1]:
                    del inlines[:2 if len(inlines) > 1 and inlines[1].get("t") == "Space" else 1]
        _point_outward(chapter.blocks, known, elsewhere)


def _point_outward(tree: object, known: set[str], elsewhere: list[dict]) -> None:
    if isinstance(tree, dict):
        for value in tree.values():
            _point_outward(value, known, elsewhere)
        return
    if not isinstance(tree, list):
        return
    for index in range(len(tree) - 1, -1, -1):
        item = tree[index]
        if isinstance(item, dict) and item.get("t") == "Link":
            url = item["c"][2][0]
            if url.startswith("#") and url[1:] not in known:
                tree[index:index + 1] = [{"t": "Span", "c": [["", [], []], item["c"][1]]},
                                         *(dict(w) for w in elsewhere)]
                continue
        _point_outward(item, known, elsewhere)


def _write(pbook: PandocBook, out_path: Path, *, title: str, subtitle: str, toc: bool,
           running_title: str | None = None) -> Path:
    _check_alt_text(pbook)
    out_path = Path(out_path)
    remove_debris(Path(tempfile.gettempdir()), "dhr-typst-")  # left by a killed build
    with tempfile.TemporaryDirectory(prefix=f"dhr-typst-{os.getpid()}-") as tmp:
        workdir = Path(tmp)
        blocks = _body(pbook)
        rewrite_images(pbook, blocks, ImageCopier(workdir, "images"))
        meta = _metadata(pbook, title=title, subtitle=subtitle, toc=toc, running_title=running_title)
        source = run_pandoc(pbook.document(blocks, meta), [
            "--from", "json", "--to", "typst", "--template", template_path(),
            "--lua-filter", filter_path(), *pbook.citeproc_args(workdir)], cwd=workdir)
        (workdir / "report.typ").write_text(source, encoding="utf-8")
        compile_pdf(workdir / "report.typ", workdir / "report.pdf", root=workdir)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(workdir / "report.pdf", out_path)  # only now: a failed build leaves the old PDF
    return out_path


def _body(pbook: PandocBook) -> list[dict]:
    """All chapters in order, with part pages, the appendices' switch to letters, and references."""
    blocks: list[dict] = []
    needs_references = bool(pbook.cites and pbook.book.bibliography and not pbook.has_refs_div)
    part = None
    in_appendices = False
    for chapter in pbook.chapters:
        if chapter.appendix and not in_appendices:
            if needs_references:
                blocks += references_blocks()
                needs_references = False
            blocks.append(raw_block("typst", APPENDICES_START))
            in_appendices = True
        elif not chapter.appendix and chapter.source.part and chapter.source.part != part:
            blocks.append(raw_block("typst", f"#dhr-part({typst_string(chapter.source.part)})"))
        if chapter.source.executive_summary and blocks:
            blocks.append(raw_block("typst", "#pagebreak(weak: true)"))  # it is read (and printed) on its own
        part = chapter.source.part
        blocks += chapter.blocks
        if chapter.source.rel == FINDINGS_REL:  # a draft's findings page: on its own, before the report
            blocks.append(raw_block("typst", "#pagebreak(weak: true)"))
    if needs_references:
        blocks += references_blocks()
    known = {ident for chapter in pbook.chapters for ident in chapter.ids()} | {"refs", "references"}
    retarget_links(blocks, lambda target: f"#{target}" if target in known else None)
    return keep_lead_ins(blocks)


KEEP_WITH_NEXT = "dhr-keep-with-next"  # a typst label: the template keeps the labelled block with the next
LEAD_IN_WORDS = 90  # a paragraph this short that introduces a table stays on the table's page


def keep_lead_ins(blocks: list[dict]) -> list[dict]:
    """A short paragraph directly before a table (its lead-in, e.g. a recommendation before its actions)
    is kept with the table: never left at the foot of a page while the table starts the next."""
    out: list[dict] = []
    for i, block in enumerate(blocks):
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if block.get("t") == "Div":  # a cell's output: the helper's paragraph and table are inside
            block = {**block, "c": [block["c"][0], keep_lead_ins(block["c"][1])]}
        elif (block.get("t") == "Para" and following is not None and following.get("t") == "Table"
                and len(stringify(block).split()) <= LEAD_IN_WORDS):
            block = div([block], KEEP_WITH_NEXT)
        out.append(block)
    return out


def _check_alt_text(pbook: PandocBook) -> None:
    """PDF/UA-1 needs alt text on every image: say which, in the author's terms, before typst fails."""
    problems = [Problem(chapter.source.rel, f"figure has no alt text: {node['c'][2][0]}",
                        'add fig-alt="…" to the image (or alt= to the chart helper)')
                for chapter in pbook.chapters for node in images(chapter.blocks) if not image_alt(node)]
    if problems:
        raise InputError(problems)


def typst_string(text: str) -> str:
    """A typst string literal (typst accepts JSON's escapes except \\uXXXX, so drop control characters)."""
    return json.dumps(re.sub(r"[\x00-\x1f\x7f]", " ", text), ensure_ascii=False)


def _language(code: str) -> tuple[str, str]:
    match = re.fullmatch(r"([a-zA-Z]{2,3})(?:[-_]([a-zA-Z]{2}))?", (code or "").strip())
    if not match:
        return "en", "GB"
    return match.group(1).lower(), (match.group(2) or "").upper()


def _metadata(pbook: PandocBook, *, title: str, subtitle: str, toc: bool, running_title: str | None = None) -> dict:
    book, page = pbook.book, pbook.book.title_page
    lang, region = _language(book.lang)
    meta = common_meta(pbook)
    meta.update({
        "title": meta_string(title),
        "running-title": meta_string(running_title or title),
        "lang-code": meta_string(lang),
        "draft": meta_bool(not book.publish),
        "toc": meta_bool(toc),
        "people": meta_list([meta_map({"role": meta_string(role), "name": meta_string(name)})
                             for role, name in people(page)]),
    })
    meta.pop("subtitle", None)
    if subtitle:
        meta["subtitle"] = meta_string(subtitle)
    if region:
        meta["region"] = meta_string(region)
    keys = ["csp", "date", "marking"]
    if victim_line_needed(page, title, subtitle):
        keys += ["victim", "died"]
    for key in keys:
        if page.get(key):
            meta[key] = meta_string(str(page[key]))
    author = page.get("author") or page.get("chair") or page.get("csp")
    if author:
        meta["doc-author"] = meta_raw("typst", typst_string(str(author)))
    return meta


__all__ = ["write_pdf", "write_executive_summary_pdf"]
