"""End to end: a copy of the example whose QA letter is a Home Office letter as councils receive it
(text copied from a web page: `##` headings, `<sup>`, `<a href>`, letterhead and address block with
postcodes and telephone numbers, the Panel quoting the phrases it criticised), its points imported with
`dhr qa-letter import` and all answered, renders with `--publish --names`, and the annex shows the
letter cleanly in the HTML and the PDF (no markup visible)."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from conftest import copy_example
from dhr_kit.cli import main

pytestmark = pytest.mark.slow
LETTER = Path(__file__).parent / "fixtures" / "qa-letter" / "home-office-letter.txt"
MARKUP = re.compile(r"##|<sup>|</sup>|<a href|&lt;|\*\*")


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    from dhr_kit.render import render

    project = copy_example(tmp_path_factory.mktemp("letter") / "review")
    (project / "data" / "qa-letter.txt").write_text(LETTER.read_text(encoding="utf-8"), encoding="utf-8")
    review_yml = project / "data" / "review.yml"
    review_yml.write_text(review_yml.read_text(encoding="utf-8").replace("qa_letter: qa-letter.md",
                                                                         "qa_letter: qa-letter.txt"), encoding="utf-8")
    assert main(["qa-letter", "import", str(project / "data" / "qa-letter.txt"), str(project)]) == 0
    tracker = project / "data" / "qa_tracker.csv"
    with tracker.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    imported = [r for r in rows if r["status"] == "open"]
    assert len(imported) == 4  # the letter's four areas for final development
    for row in imported:
        row.update(status="addressed", where="Report",
                   response="The chair revised the report on this point and the panel agreed the change.")
    with tracker.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    names = tmp_path_factory.mktemp("private") / "names.txt"
    names.write_text("Marguerite Oakhampton\nTobias Quenby\n", encoding="utf-8")
    return render(project, to="all", publish=True, names_file=names, quiet=True, engine="embedded")


def test_the_annex_page_shows_the_letter_without_markup(published) -> None:
    page = (published.output_dir / "a3-qa-letter.html").read_text(encoding="utf-8")
    body = page[page.index("Interpersonal Abuse Unit"):page.index("Home Office DHR Quality Assurance Panel")]
    assert "3<sup>rd</sup> December 2025" in body
    assert '<a href="mailto:DHREnquiries@homeoffice.gov.uk"' in body
    assert "<strong>Areas for final development:</strong>" in body and "<li>" in body
    assert "Dear Cllr Priya Ravensworth," in body and "<h2" not in body and "<strong>Dear" not in body
    text = re.sub(r"<[^>]+>", "", body)
    assert not MARKUP.search(text), MARKUP.search(text)
    assert "for telling the agency that asked when a request cannot be met" in " ".join(text.split())


def test_the_pdf_annex_reads_as_the_letter(published) -> None:
    from dhr_kit.qa.publication import pdf_page_texts

    pdf = next(p for p in published.output_dir.glob("*.pdf") if p.name != "executive-summary.pdf")
    pages = [t for t in pdf_page_texts(pdf) if "Interpersonal Abuse Unit" in t or "Yours sincerely" in t]
    text = "\n".join(pages)
    assert pages and "Areas for final development:" in text and "December 2025" in text
    assert not MARKUP.search(text), MARKUP.search(text)
