"""Drafts that circulate (QA errors listed on a findings page at the front of every output) and partial
builds (`--to FORMAT` leaves the other outputs as they were), on a `dhr new` skeleton rendered for real."""
from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from dhr_kit.cli import main
from dhr_kit.render.draft import FINDINGS_TITLE
from dhr_kit.scaffold import new_review

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures" / "drafts"
LANGUAGE_ERROR = "Alex failed to engage with the housing service."  # DHR-L003: an error in draft and publish


def _digests(out: Path, pattern: str) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.glob(pattern)) if p.is_file()}


def _pages(out: Path) -> dict[str, str]:
    """The HTML report's pages (not qa-report.html: every build writes its own QA evidence)."""
    return {rel: digest for rel, digest in _digests(out, "**/*.html").items() if rel != "qa-report.html"}


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\n\n{text}\n")


@pytest.fixture(scope="module")
def draft(tmp_path_factory) -> Path:
    """A new review with a known language error, rendered as a draft (all formats)."""
    root = new_review(tmp_path_factory.mktemp("drafts") / "review")
    _append(root / "chapters" / "09-overview.qmd", LANGUAGE_ERROR)
    assert main(["render", str(root), "--engine", "embedded", "--quiet"]) == 0
    return root


def _pdf_pages(path: Path) -> list[str]:
    from dhr_kit.qa.publication import pdf_page_texts

    return pdf_page_texts(path)


def test_draft_with_a_language_error_renders_with_the_findings_page(draft: Path) -> None:
    out = draft / "_book"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert FINDINGS_TITLE in index and "DHR-L003" in index and "chapters/09-overview.qmd" in index
    assert index.index(FINDINGS_TITLE) < index.index("</main>")
    pages = _pdf_pages(out / "dhr-overview-report.pdf")
    body = [n for n, text in enumerate(pages) if "Contents" not in text]  # past the title and contents pages
    findings_page = next(n for n in body if FINDINGS_TITLE in pages[n])
    preface_page = next(n for n in body if "Preface" in pages[n])
    assert findings_page < preface_page  # at the front, before the report's first chapter
    assert "DHR-L003" in pages[findings_page] and "chapters/09-overview.qmd" in pages[findings_page]
    with zipfile.ZipFile(out / "dhr-overview-report.docx") as docx:
        document = docx.read("word/document.xml").decode("utf-8")
    assert FINDINGS_TITLE in document and "DHR-L003" in document
    assert document.index(FINDINGS_TITLE) < document.index("Preface")


def test_the_draft_executive_summary_lists_the_open_findings_too(draft: Path) -> None:
    """The summary is circulated on its own: its readers see the open findings before the summary."""
    pages = _pdf_pages(draft / "_book" / "executive-summary.pdf")
    findings_page = next(n for n, text in enumerate(pages) if FINDINGS_TITLE in text)
    summary_page = next(n for n, text in enumerate(pages) if "Executive summary" in text and n > findings_page)
    assert "DHR-L003" in pages[findings_page] and "chapters/09-overview.qmd" in pages[findings_page]
    assert findings_page < summary_page
    assert all("DRAFT" in text for text in pages)  # the draft marking on every page


def test_publish_stays_strict_and_keeps_the_draft(draft: Path, capsys) -> None:
    before = _digests(draft / "_book", "**/*")
    assert main(["render", str(draft), "--engine", "embedded", "--quiet", "--publish", "--no-names"]) == 1
    assert "DHR-L003" in capsys.readouterr().err
    assert _digests(draft / "_book", "**/*") == before
    assert not (draft / "_upload").exists()


def test_to_docx_alone_leaves_pdf_and_html_in_place(draft: Path) -> None:
    out = draft / "_book"
    others = {**_digests(out, "*.pdf"), **_pages(out), **_digests(out, "assets/*")}
    old_docx = _digests(out, "*.docx")
    _append(draft / "chapters" / "07-background.qmd", "A sentence added for the Word copy.")
    assert main(["render", str(draft), "--engine", "embedded", "--quiet", "--to", "docx"]) == 0
    assert {**_digests(out, "*.pdf"), **_pages(out), **_digests(out, "assets/*")} == others
    assert _digests(out, "*.docx") != old_docx
    with zipfile.ZipFile(out / "dhr-overview-report.docx") as docx:
        assert "A sentence added for the Word copy." in docx.read("word/document.xml").decode("utf-8")
    log = json.loads((out / "build-log.json").read_text(encoding="utf-8"))["formats"]
    assert log["docx"]["state"] == "built"
    assert log["html"]["state"] == "stale" and log["pdf"]["state"] == "stale"  # built before the new sentence


def test_to_html_then_brings_html_up_to_date_and_keeps_the_rest(draft: Path) -> None:
    out = draft / "_book"
    kept = {**_digests(out, "*.pdf"), **_digests(out, "*.docx")}
    assert main(["render", str(draft), "--engine", "embedded", "--quiet", "--to", "html"]) == 0
    assert {**_digests(out, "*.pdf"), **_digests(out, "*.docx")} == kept
    assert "A sentence added for the Word copy." in (out / "07-background.html").read_text(encoding="utf-8")
    log = json.loads((out / "build-log.json").read_text(encoding="utf-8"))["formats"]
    assert (log["html"]["state"], log["docx"]["state"], log["pdf"]["state"]) == ("built", "current", "stale")
    assert not [p for p in draft.iterdir() if p.name.startswith("._book")]  # no staging folder left behind


def test_a_missing_required_section_still_stops_a_draft(tmp_path: Path, capsys) -> None:
    root = new_review(tmp_path / "review")
    config = root / "_quarto.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("    - chapters/a1-action-plan.qmd\n", ""),
                      encoding="utf-8")
    assert main(["render", str(root), "--engine", "embedded", "--quiet"]) == 1
    assert "DHR-S003" in capsys.readouterr().err
    assert not (root / "_book").exists()


def test_a_draft_lists_errors_found_only_in_its_outputs(tmp_path: Path) -> None:
    """A chart without alt text is seen only in the written HTML: the draft is written again with it listed."""
    root = new_review(tmp_path / "review")
    shutil.copy(FIXTURES / "chart-without-alt.qmd", root / "chapters" / "09-overview.qmd")
    assert main(["render", str(root), "--engine", "embedded", "--quiet", "--to", "html"]) == 0
    index = (root / "_book" / "index.html").read_text(encoding="utf-8")
    findings = index[index.index(FINDINGS_TITLE):index.index("</main>")]
    assert "DHR-P004" in findings and "_book/09-overview.html" in findings and ".tmp-" not in findings
    # Nothing changed: a partial build of another format finds the HTML current (it was written again with
    # its outputs' findings; that second writing is what its stamp must describe — no false "stale").
    assert main(["render", str(root), "--engine", "embedded", "--quiet", "--to", "docx"]) == 0
    log = json.loads((root / "_book" / "build-log.json").read_text(encoding="utf-8"))["formats"]
    assert (log["docx"]["state"], log["html"]["state"]) == ("built", "current")


def test_input_problems_and_qa_findings_in_one_run(tmp_path: Path, capsys) -> None:
    root = new_review(tmp_path / "review")
    _append(root / "chapters" / "09-overview.qmd", LANGUAGE_ERROR)
    chronology = root / "data" / "chronology.csv"
    chronology.write_text(chronology.read_text(encoding="utf-8") + "14/02/2021,police,An event,,,\n", encoding="utf-8")
    assert main(["check", str(root)]) == 2
    captured = capsys.readouterr()
    assert "data/chronology.csv" in captured.err and "DHR-L003" in captured.out
    assert main(["render", str(root), "--engine", "embedded"]) == 2
    captured = capsys.readouterr()
    assert "data/chronology.csv" in captured.err and "DHR-L003" in captured.err
