"""The length rule on the rendered PDF (DHR-R004), and the build's QA evidence file. The source rules
of the family (DHR-R001–R003, R005, R006) are fixture folders in tests/fixtures/qa (length-*, fp-length-*)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfWriter

from dhr_kit.qa.build_report import write_build_report
from dhr_kit.qa.findings import CheckResult, Finding
from dhr_kit.qa.length import pdf_length_findings, threshold


def _blank_pdf(path: Path, pages: int) -> Path:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


@pytest.mark.parametrize("extra, fires", [(0, False), (1, True)])
def test_report_longer_than_comparable_reviews(tmp_path: Path, extra: int, fires: bool) -> None:
    limit = threshold("max_pdf_pages")
    pdf = _blank_pdf(tmp_path / "report.pdf", limit + extra)
    found = pdf_length_findings(pdf, "_book/report.pdf")
    assert [f.rule for f in found] == (["DHR-R004"] if fires else [])
    if fires:
        assert found[0].file == "_book/report.pdf" and f"{limit + 1} pages" in found[0].message


def test_build_report_lists_every_stage_and_finding(tmp_path: Path) -> None:
    warning = Finding("DHR-R005", "warning", "chapters/a.qmd", 3, 7, "the date '2026-01' is in ISO form", "write it")
    stages = [("in the sources", CheckResult([warning], files=2, rules=9)),
              ("in the rendered outputs", CheckResult([], files=1, rules=9))]
    written = write_build_report(tmp_path, stages, publish=True)
    assert [p.name for p in written] == ["qa-report.json", "qa-report.html"]
    report = json.loads((tmp_path / "qa-report.json").read_text(encoding="utf-8"))
    assert report["mode"] == "publish"
    assert [s["stage"] for s in report["stages"]] == ["in the sources", "in the rendered outputs"]
    assert report["stages"][0]["findings"][0]["rule"] == "DHR-R005"
    html = (tmp_path / "qa-report.html").read_text(encoding="utf-8")
    assert 'lang="en-GB"' in html and "chapters/a.qmd:3" in html and "&#x27;2026-01&#x27;" in html


def test_the_build_writes_its_qa_evidence_beside_the_report(rendered_example) -> None:
    """The readiness evidence is not printed into the report: it is in _book/qa-report.json/html."""
    out = rendered_example.output_dir
    report = json.loads((out / "qa-report.json").read_text(encoding="utf-8"))
    assert [s["stage"] for s in report["stages"]] == ["in the sources", "in the executed chapters",
                                                      "in the rendered outputs"]
    assert all(s["summary"]["errors"] == 0 and s["rules"] > 50 for s in report["stages"])
    assert (out / "qa-report.html").is_file()
    assert not (out / "a4-readiness.html").exists()
