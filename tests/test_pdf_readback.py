"""The published PDF read back with real PDF libraries (pikepdf, pypdf) and rendered with pdftoppm."""
from __future__ import annotations

import getpass
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from conftest import need

pytestmark = pytest.mark.slow

A4 = (595.28, 841.89)
LOCAL_PATH = re.compile(r"(/home/|/root/|/tmp/|/work/|[A-Za-z]:\\Users\\)")


@pytest.fixture(scope="module")
def pdf_path(rendered_example):
    pdfs = [p for p in rendered_example.outputs if p.suffix == ".pdf" and p.name != "executive-summary.pdf"]
    assert pdfs, rendered_example.outputs
    return pdfs[0]


@pytest.fixture(scope="module")
def pdf(pdf_path):
    with pikepdf.open(pdf_path) as doc:
        yield doc


def test_pdf_is_tagged_pdf_ua_1_with_title_and_language(pdf):
    assert pdf.Root.MarkInfo.Marked is True
    assert "/StructTreeRoot" in pdf.Root
    assert str(pdf.Root.Lang) == "en-GB"
    with pdf.open_metadata() as xmp:
        assert xmp.get("pdfuaid:part") == "1"
        assert xmp.get("dc:title")
    assert str(pdf.docinfo.get("/Title", "")).strip()
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True


def test_every_page_is_a4(pdf):
    for number, page in enumerate(pdf.pages, 1):
        box = [float(v) for v in page.MediaBox]
        width, height = box[2] - box[0], box[3] - box[1]
        assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1, (number, width, height)


def test_every_font_is_embedded(pdf):
    unembedded = set()
    for page in pdf.pages:
        for font in (page.Resources.get("/Font") or {}).values():
            fonts = [font] + list(font.get("/DescendantFonts") or [])
            for f in fonts:
                descriptor = f.get("/FontDescriptor")
                if descriptor is not None and not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    unembedded.add(str(f.get("/BaseFont")))
    assert not unembedded


def test_metadata_has_no_local_paths_or_user_names(pdf):
    user = getpass.getuser()
    values = [str(v) for v in pdf.docinfo.values()]
    with pdf.open_metadata() as xmp:
        values += [str(v) for v in xmp.values()]
    for value in values:
        assert not LOCAL_PATH.search(value), value
        assert user == "root" or user not in value, value


def test_size_is_under_twenty_megabytes(pdf_path):
    assert pdf_path.stat().st_size < 20 * 1024 * 1024


def _struct_elements(pdf):
    """Every structure element (dictionaries with /S) of the structure tree, depth first."""
    stack = [pdf.Root.StructTreeRoot]
    seen = set()
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed(list(node)))
            continue
        if not isinstance(node, pikepdf.Dictionary):
            continue
        key = node.objgen
        if key != (0, 0):
            if key in seen:
                continue
            seen.add(key)
        if "/S" in node:
            yield node
        kids = node.get("/K")
        if kids is not None:
            stack.append(kids)


def test_every_figure_has_alt_text_in_the_structure_tree(pdf):
    figures = [e for e in _struct_elements(pdf) if str(e.S) == "/Figure"]
    assert len(figures) >= 2, "the example has at least two charts"
    missing = [i for i, f in enumerate(figures) if not str(f.get("/Alt", "")).strip()]
    assert not missing, f"{len(missing)} of {len(figures)} figures have no /Alt"


def test_headings_are_tagged_in_order(pdf, rendered_example):
    headings = [e for e in _struct_elements(pdf) if re.fullmatch(r"/H\d?", str(e.S))]
    assert len(headings) >= len(rendered_example.book.chapters)


def test_title_page_and_chapter_order(pdf_path, rendered_example):
    reader = PdfReader(pdf_path)
    first = " ".join(reader.pages[0].extract_text().split())
    assert "March 2024" in first, first[:500]
    assert "Anna" in first
    # The bookmarks (outline) list every chapter heading, in book order, on increasing pages.
    entries = []
    for item in reader.outline:
        if not isinstance(item, list):
            entries.append((" ".join(item.title.split()), reader.get_destination_page_number(item)))
    position, last_page = 0, -1
    for chapter in rendered_example.book.chapters:
        title = " ".join(chapter.title.split())
        index = next((i for i in range(position, len(entries)) if title in entries[i][0]), None)
        assert index is not None, f"chapter {title!r} missing from the outline or out of order: {entries}"
        assert entries[index][1] >= last_page
        position, last_page = index + 1, entries[index][1]


def test_executive_summary_pdf_exists_and_is_tagged(rendered_example):
    summary = rendered_example.output_dir / "executive-summary.pdf"
    assert summary.is_file()
    with pikepdf.open(summary) as doc:
        assert doc.Root.MarkInfo.Marked is True
        with doc.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"


def test_title_page_renders_as_an_image(pdf_path, artifacts_dir):
    need(shutil.which("pdftoppm") is not None, "poppler-utils (pdftoppm) is not installed")
    prefix = artifacts_dir / "pdf-page"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", str(pdf_path), str(prefix)], check=True)
    pages = sorted(artifacts_dir.glob("pdf-page-*.png"))
    assert pages and all(p.stat().st_size > 5000 for p in pages)


def test_independent_pdf_ua_checker_finds_nothing(pdf_path):
    """pdfua (PyPI) checks the machine-checkable subset of PDF/UA-1 with its own code (veraPDF, the
    reference validator, is a JVM application no reachable registry ships)."""
    checker = Path(sys.executable).parent / "pdfua"
    need(checker.is_file(), "pdfua is not installed (pip install -e '.[test]')")
    done = subprocess.run([str(checker), "check", str(pdf_path)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "result: PASS" in done.stdout
