"""The QA Panel letter annex (from a Markdown, text or PDF letter in data/) and the response tracker."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

from ..context import is_publish
from ..errors import InputError, Problem, ToolError
from ..model import Review
from ._review import get_review
from .figures import image_markdown, store
from .letter_text import markdown_letter, text_letter
from .markdown import Markdown, Raw, callout, escape, join_blocks, pipe_table

PAGE_ALT = "Page {n} of the Home Office QA Panel letter"
PAGE_DPI = 110
LETTER_CLASS = ".qa-letter"
TRACKER_STATUSES = ("addressed", "not accepted", "open")


def _letter_path(review: Review) -> Path | None:
    name = review.metadata.qa_letter
    if not name:
        return None
    path = review.root / "data" / name
    if not path.is_file():
        raise InputError(Problem("data/review.yml", f"the QA letter data/{name} does not exist", key="qa_letter",
                                 fix="put the letter in data/ (Markdown, text or PDF) or correct the file name"))
    return path


def _annex(markdown: str) -> str:
    """The letter in a ``{.qa-letter}`` div: the checks know these are the QA Panel's words (the language
    rules skip them; the anonymity rules still apply, accepting the letterhead and address block)."""
    return f"::: {{{LETTER_CLASS}}}\n{markdown.strip()}\n:::" if markdown.strip() else ""


def _pdf_pages(path: Path) -> list[Path]:
    """Each page of the PDF as a PNG in the figures cache (pdftoppm); [] when pdftoppm is not installed."""
    tool = shutil.which("pdftoppm")
    if not tool:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            subprocess.run([tool, "-png", "-r", str(PAGE_DPI), str(path), f"{tmp}/page"], check=True,
                           capture_output=True, timeout=120)
        except subprocess.CalledProcessError as exc:
            raise ToolError("pdftoppm", f"could not read {path.name}: {exc.stderr.decode(errors='replace').strip()}",
                            fix="check the PDF opens, or save the letter as text in data/") from None
        pages = sorted(Path(tmp).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        return [store(p.read_bytes(), f"qa-letter-page-{n}", "png") for n, p in enumerate(pages, start=1)]


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n\n".join((page.extract_text() or "").strip() for page in PdfReader(path).pages)


def _pdf_letter(path: Path) -> str:
    pages = _pdf_pages(path)
    text = text_letter(_pdf_text(path))
    if not pages:
        return _annex(text)
    images = [image_markdown(p, PAGE_ALT.format(n=n), PAGE_ALT.format(n=n)) for n, p in enumerate(pages, start=1)]
    html_text = f"::: {{.content-visible when-format=\"html\"}}\n{text}\n:::" if text else ""
    return _annex(join_blocks([*images, html_text]))


def letter_problems(review: Review, publish: bool | None = None) -> list[Problem]:
    """What stops qa_letter() (``dhr check`` runs the same validation)."""
    try:
        path = _letter_path(review)
    except InputError as exc:
        return list(exc.problems)
    if path is None and (is_publish() if publish is None else publish):
        return [Problem("data/review.yml", "no QA Panel letter: a published report must include it",
                        key="qa_letter", fix="save the letter in data/ and name it in `qa_letter:`")]
    return []


def qa_letter(review: Review | None = None) -> Markdown:
    """The Home Office QA Panel's letter, to be published as an annex of the report."""
    review = get_review(review)
    problems = letter_problems(review)
    if problems:
        raise InputError(problems)
    path = _letter_path(review)
    if path is None:
        return Markdown(callout("The Home Office QA Panel's letter will be added here once it has been received."))
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return Markdown(_pdf_letter(path))
    text = path.read_text(encoding="utf-8")
    return Markdown(_annex(markdown_letter(text) if suffix == ".md" else text_letter(text)))


def _panel_words(point: str) -> Raw | str:
    """A point in the Panel's own words, as a ``{.quote}`` span: the language rules skip it (it quotes the
    very phrases the Panel criticised); the response beside it is the author's and is checked."""
    return Raw(f"[{escape(point)}]{{.quote}}") if point.strip() else ""


def qa_responses(review: Review | None = None) -> Markdown:
    """The tracker of the QA Panel's points: point, status, the review's response and where it is addressed."""
    review = get_review(review)
    items = review.qa_tracker
    if not items:
        return Markdown("No points from the QA Panel have been recorded yet.")
    counts = Counter(i.status for i in items)
    summary = (f"The QA Panel raised {len(items)} point{'s' if len(items) != 1 else ''}: "
               + ", ".join(f"{counts[s]} {s}" for s in TRACKER_STATUSES if counts[s]) + ".")
    table = pipe_table(["ID", "Point", "Status", "Response", "Where addressed"],
                       [(i.id, _panel_words(i.point), i.status.capitalize(), i.response, i.where) for i in items],
                       widths=[6, 30, 13, 35, 16],
                       caption="The QA Panel's points and the review's responses", label="tbl-qa-responses")
    return Markdown(join_blocks([summary, table]))
