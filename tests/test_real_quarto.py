"""The example under the real Quarto CLI (`scripts/dev test-quarto`; deselected from `scripts/dev test`):
`dhr render --engine quarto` writes every format into _book/, in the house style of _extensions/dhr/."""
from __future__ import annotations

import shutil

import pikepdf
import pytest
from pypdf import PdfReader

from dhr_kit.render import render

from conftest import REPO, copy_example

pytestmark = pytest.mark.quarto


def test_quarto_on_path():
    assert shutil.which("quarto"), "scripts/dev test-quarto needs the `quarto` CLI (>= 1.9.18) on PATH"


def test_example_under_quarto(tmp_path):


    project = copy_example(tmp_path / "review")
    shutil.copytree(REPO / "_extensions", project / "_extensions")
    for name in ("_quarto-publish.yml", "_environment-publish"):
        shutil.copy2(REPO / name, project / name)
    result = render(project, to="all", engine="quarto", quiet=True)
    book = project / "_book"
    assert result.engine == "quarto"
    pdf = book / "dhr-anna-overview-report.pdf"
    assert pdf.is_file() and (book / "index.html").is_file() and (book / "dhr-anna-overview-report.docx").is_file()
    with pikepdf.open(pdf) as doc:
        assert str(doc.Root.Lang) == "en-GB"
        assert doc.open_metadata().get("pdfuaid:part") == "1"
        assert doc.Root.MarkInfo.Marked
    first = PdfReader(pdf).pages[0].extract_text()
    for line in ("OFFICIAL", "Calderbrook Community Safety Partnership", "who died in March 2024",
                 "Dr Ruth Adeyemi", "September 2025"):
        assert line in first
    assert "2025-09-01" not in (book / "index.html").read_text(encoding="utf-8")
    # executive-summary.pdf: not a Quarto output; written beside it by the embedded summary writer, standalone
    summary = book / "executive-summary.pdf"
    assert summary in result.outputs
    with pikepdf.open(summary) as doc:
        assert str(doc.Root.Lang) == "en-GB" and doc.Root.MarkInfo.Marked and "/StructTreeRoot" in doc.Root
        assert doc.open_metadata().get("pdfuaid:part") == "1"
    pages = [page.extract_text() for page in PdfReader(summary).pages]
    assert "Executive summary" in pages[0] and "who died in March 2024" in pages[0]
    text = " ".join(" ".join(pages).split())
    assert "of the overview report" in text  # @sec-timescales points into the report
    assert "Terms of Reference" not in text and len(pages) < len(PdfReader(pdf).pages)
