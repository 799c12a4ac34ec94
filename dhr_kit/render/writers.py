"""The output writers run side by side on a Book (HTML, PDF + executive summary, docx, Markdown), and the
stamp of everything they read (so an unchanged book is not written again)."""
from __future__ import annotations

import functools
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .book import Book, BookChapter
from .cache import Hasher, code_version
from .outputs import OutputStamp, tree_digest

WRITER_THREADS = 3
Job = tuple[Callable[[], object], list[Path]]


def write_markdown(book: Book, out_dir: Path) -> list[Path]:
    folder = out_dir / "markdown"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for chapter in book.chapters:
        path = folder / f"{chapter.slug}.md"
        path.write_text(chapter.markdown, encoding="utf-8")
        paths.append(path)
    return paths


def write_outputs(book: Book, formats: tuple[str, ...], out_dir: Path, single_file: bool) -> list[Path]:
    """Run the selected writers side by side: each spends most of its time in pandoc or typst."""
    jobs = [job for fmt in formats for job in writer_jobs(book, fmt, out_dir, single_file, with_pdf="pdf" in formats)]
    with ThreadPoolExecutor(max_workers=max(1, min(len(jobs), WRITER_THREADS))) as pool:
        futures = [pool.submit(write) for write, _ in jobs]
        for future in futures:
            future.result()  # the first writer error propagates; the staging folder is then discarded
    return [path for _, paths in jobs for path in paths]


def writer_jobs(book: Book, fmt: str, out_dir: Path, single_file: bool, with_pdf: bool = False) -> list[Job]:
    """(callable, files it writes) for one output format."""
    if fmt == "markdown":
        paths = [out_dir / "markdown" / f"{c.slug}.md" for c in book.chapters]
        return [(lambda: write_markdown(book, out_dir), paths)]
    if fmt == "html":
        from .html import write_html
        return [(lambda: write_html(book, out_dir, single_file=single_file, with_pdf=with_pdf),
                 [out_dir / "index.html"])]
    if fmt == "pdf":
        from .pdf import write_executive_summary_pdf, write_pdf
        report = out_dir / f"{book.output_stem}.pdf"
        jobs: list[Job] = [(lambda: write_pdf(book, report), [report])]
        if any(c.executive_summary for c in book.chapters):
            summary = out_dir / "executive-summary.pdf"
            jobs.append((lambda: write_executive_summary_pdf(book, summary), [summary]))
        return jobs
    if fmt == "docx":
        from .docx import write_docx
        document = out_dir / f"{book.output_stem}.docx"
        return [(lambda: write_docx(book, document), [document])]
    raise AssertionError(fmt)


def writers_stamp(book: Book, formats: tuple[str, ...], single_file: bool, images: list[str]) -> str:
    """Digest of everything the writers read: the Book, the images it shows, templates and dhr-kit's code."""
    from ..paths import templates_dir

    package = Path(__file__).resolve().parent.parent
    try:
        templates = tree_digest(templates_dir())
    except FileNotFoundError:
        templates = ""
    chapters = OutputStamp.digest(*(_chapter_digest(c) for c in book.chapters))
    meta = json.dumps({k: v for k, v in book.__dict__.items() if k != "chapters"}, sort_keys=True, default=str)
    hasher = Hasher(book.root)
    figures = OutputStamp.digest(*(f"{rel}={hasher.file(rel)}" for rel in images))
    return OutputStamp.digest(code_version(), ",".join(formats), str(single_file), chapters, meta, templates,
                              figures, _code_digest(package))


@functools.lru_cache(maxsize=1)
def _code_digest(package: Path) -> str:
    """dhr-kit's own code, as this process runs it (read once: a later edit does not run here until restarted)."""
    return tree_digest(package, "*.py")


# A chapter's numbered blocks are shared between builds (crossref's memo): digested once per process.
_BLOCK_DIGESTS: dict[int, tuple[list, str]] = {}


def _chapter_digest(chapter: BookChapter) -> str:
    fields = {k: v for k, v in chapter.__dict__.items() if k != "blocks"}
    blocks = chapter.blocks
    if blocks is None:
        blocks_digest = ""
    else:
        known = _BLOCK_DIGESTS.get(id(blocks))
        if known is None or known[0] is not blocks:
            if len(_BLOCK_DIGESTS) >= 96:
                _BLOCK_DIGESTS.pop(next(iter(_BLOCK_DIGESTS)))
            known = _BLOCK_DIGESTS[id(blocks)] = (blocks, OutputStamp.digest(json.dumps(blocks, sort_keys=True)))
        blocks_digest = known[1]
    return OutputStamp.digest(json.dumps(fields, sort_keys=True, default=str), blocks_digest)
