"""docx writer: the package opens as a zip; the text, numbering, draft marking and metadata are right."""
from __future__ import annotations

import importlib.util
import re
import zipfile
from pathlib import Path

import pytest

from dhr_kit.render.docx import write_docx

_spec = importlib.util.spec_from_file_location("writers_sample", Path(__file__).parent / "fixtures/writers/sample.py")
sample = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sample)

DRAFT = "DRAFT — not for publication"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def paragraphs(document_xml: str) -> list[str]:
    import xml.etree.ElementTree as ET

    body = ET.fromstring(document_xml).find(f"{W}body")
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]


@pytest.fixture(scope="module")
def docx(tmp_path_factory):
    root = tmp_path_factory.mktemp("docx-review")
    outputs = {}
    for publish in (False, True):
        path = write_docx(sample.make_book(root, publish=publish), root / "_book" / f"report-{publish}.docx")
        with zipfile.ZipFile(path) as package:
            outputs[publish] = {name: package.read(name) for name in package.namelist()}
    return {"root": root, "draft": outputs[False], "published": outputs[True]}


def test_draft_marking_is_the_first_paragraph(docx):
    text = [p for p in paragraphs(docx["draft"]["word/document.xml"].decode()) if p.strip()]
    assert text[0] == DRAFT
    published = [p for p in paragraphs(docx["published"]["word/document.xml"].decode()) if p.strip()]
    assert DRAFT not in published and published[0] == "OFFICIAL-SENSITIVE"


def test_title_block_chapters_and_numbering(docx):
    text = paragraphs(docx["draft"]["word/document.xml"].decode())
    for expected in ("Domestic Homicide Review", "Ayesha who died in March 2024",
                     "Independent Chair and Author: Sam Taylor", "Executive summary", "1 Introduction",
                     "1.1 Purpose of the review", "2 Analysis", "References", "Appendix A: Action plan",
                     "A.1 Status key"):
        assert expected in text
    order = [text.index(t) for t in ("Executive summary", "1 Introduction", "2 Analysis", "References",
                                     "Appendix A: Action plan")]
    assert order == sorted(order)


def test_citations_callouts_tables_and_figure(docx):
    package = docx["draft"]
    text = " ".join(paragraphs(package["word/document.xml"].decode()))
    assert "(Home Office, 2016, p. 12)" in text and "Monckton Smith, J. (2020)" in text
    assert "About this report" in text and "[@" not in text
    assert "Table A.1: Action plan" in text and "Review the referral pathway, step 70" in text
    assert any(name.startswith("word/media/") for name in package)
    assert 'descr="Line chart: contacts with agencies rose' in package["word/document.xml"].decode()


def test_metadata_and_parts_hold_no_local_paths(docx):
    core = docx["draft"]["docProps/core.xml"].decode()
    assert re.search(r"<dc:title>Domestic Homicide Review</dc:title>", core)
    assert "<dc:creator>Sam Taylor</dc:creator>" in core
    for name, data in docx["draft"].items():
        assert str(docx["root"]).encode() not in data, name
        assert b"dhr-docx-" not in data and b"/tmp/" not in data, name
