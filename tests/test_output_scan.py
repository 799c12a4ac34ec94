"""Names hidden in outputs where a reader does not look: HTML attributes, a Word copy's text and
properties; and published files over the size limit. The Word file is written by the real pandoc."""
from __future__ import annotations

from pathlib import Path

from dhr_kit.qa.names import NameList
from dhr_kit.qa.outputscan import docx_findings, html_attribute_findings, size_findings
from dhr_kit.tools.pandoc import run_pandoc

NAMES = NameList(["Martin Yardley", "Fenella Quigley"])


def test_names_in_html_attributes(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text('<p>As argued <span class="citation" data-cites="yardley2019">(Author, 2019)</span>.</p>\n'
                    '<img src="figures/Fenella_Quigley_home.svg" alt="A street">\n<p id="sec-intro">Clean</p>\n',
                    encoding="utf-8")
    found = html_attribute_findings(page, "_book/p.html", NAMES)
    assert [(f.rule, f.line, f.message.split(" in the page's ")[1]) for f in found] == [
        ("DHR-A001", 1, "data-cites= attribute"), ("DHR-A001", 2, "src= attribute")]
    assert not any("Yardley" in f.message or "Quigley" in f.message for f in found)


def test_names_in_a_word_copy_and_its_properties(tmp_path: Path) -> None:
    docx = tmp_path / "report.docx"
    run_pandoc("---\nauthor: Martin Yardley\n---\n\nThe report text is clean.\n",
               ["--from", "markdown", "--to", "docx", "--output", str(docx)])
    found = docx_findings(docx, "_book/report.docx", NAMES)
    # pandoc writes the author on the title page and into docProps/core.xml: both are found
    assert sorted(f.message.split(" in ")[1].split(" of the Word")[0] for f in found) == [
        "the document properties", "the text"]


def test_clean_word_copy(tmp_path: Path) -> None:
    docx = tmp_path / "report.docx"
    run_pandoc("The report text is clean.\n", ["--from", "markdown", "--to", "docx", "--output", str(docx)])
    assert docx_findings(docx, "_book/report.docx", NAMES) == []


def test_a_page_over_the_size_limit(tmp_path: Path) -> None:
    page = tmp_path / "dump.html"
    page.write_bytes(b"<p>" + b"x" * (2 * 1024 * 1024) + b"</p>")
    assert size_findings(page, "_book/dump.html", limit_mb=3) == []
    assert [f.rule for f in size_findings(page, "_book/dump.html", limit_mb=1)] == ["DHR-P009"]
