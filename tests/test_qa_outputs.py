"""check_outputs on generated PDFs and HTML (nothing large is committed: the big PDF is made here)."""
from __future__ import annotations

import os
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, BooleanObject, DecodedStreamObject, DictionaryObject, NameObject

from dhr_kit.qa import check_outputs
from dhr_kit.qa.publication import MAX_PDF_BYTES


def write_pdf(path: Path, text: str = "Overview report", *, tagged: bool = True, padding: int = 0,
              author: str = "Westvale CSP") -> Path:
    """A one-page PDF with real text (Helvetica), optional structure tree, and an optional large
    incompressible stream (the letter's 20 MB limit)."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 11 Tf 50 780 Td ({escaped}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(content)
    if padding:
        blob = DecodedStreamObject()
        blob.set_data(os.urandom(padding))
        page[NameObject("/PieceInfo")] = writer._add_object(blob)
    if tagged:
        tree = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot"), NameObject("/K"): ArrayObject()})
        writer._root_object[NameObject("/StructTreeRoot")] = writer._add_object(tree)
        writer._root_object[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(True)})
    writer.add_metadata({"/Title": "Domestic Homicide Review: Beth", "/Author": author})
    with path.open("wb") as out:
        writer.write(out)
    return path


def rules(result) -> list[str]:
    return sorted(f.rule for f in result.findings)


def test_clean_outputs(tmp_path: Path) -> None:
    out = tmp_path / "_book"
    out.mkdir()
    write_pdf(out / "report.pdf")
    (out / "index.html").write_text(
        '<html><head><meta name="author" content="Westvale CSP"></head><body><h1>Beth</h1>'
        '<img src="fig.png" alt="Events per agency by year"></body></html>', encoding="utf-8")
    assert check_outputs(tmp_path, out, publish=True).findings == []


def test_pdf_over_20_mb(tmp_path: Path) -> None:
    """Letter: the PDF must be smaller than 20 MB."""
    out = tmp_path / "_book"
    out.mkdir()
    pdf = write_pdf(out / "report.pdf", padding=MAX_PDF_BYTES + 1024)
    assert pdf.stat().st_size >= MAX_PDF_BYTES
    result = check_outputs(tmp_path, out)
    assert rules(result) == ["DHR-P002"]
    assert result.findings[0].file == "_book/report.pdf" and result.findings[0].severity == "error"


def test_untagged_pdf(tmp_path: Path) -> None:
    write_pdf(tmp_path / "report.pdf", tagged=False)
    assert rules(check_outputs(tmp_path, tmp_path)) == ["DHR-P003"]


def test_leaks_in_pdf_text_and_metadata(tmp_path: Path) -> None:
    names = tmp_path.parent / f"{tmp_path.name}-names.txt"
    names.write_text("Jane Whitcombe\n", encoding="utf-8")
    write_pdf(tmp_path / "report.pdf", "Traceback (most recent call last) in /home/chair/review sentenced on 3 May 2024",
              author="Jane Whitcombe")
    result = check_outputs(tmp_path, tmp_path, publish=True, names_file=names)
    assert rules(result) == ["DHR-A001", "DHR-A003", "DHR-P005", "DHR-P006"]
    assert all(f.severity == "error" for f in result.findings)
    assert any("PDF metadata" in f.message for f in result.findings if f.rule == "DHR-A001")


def test_html_alt_comments_meta_and_paths(tmp_path: Path) -> None:
    names = tmp_path.parent / f"{tmp_path.name}-names.txt"
    names.write_text("Jane Whitcombe\n", encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<html><head><meta name="author" content="Jane Whitcombe"></head>\n<body>\n'
        '<!-- check this with the family -->\n<p>See C:\\Users\\chair\\draft.qmd and [PLACEHOLDER]</p>\n'
        '<img src="timeline.png">\n</body></html>\n', encoding="utf-8")
    result = check_outputs(tmp_path, tmp_path, publish=True, names_file=names)
    assert rules(result) == ["DHR-A001", "DHR-P001", "DHR-P004", "DHR-P005", "DHR-P007"]
    assert next(f for f in result.findings if f.rule == "DHR-P004").line == 5


def test_no_outputs(tmp_path: Path) -> None:
    assert rules(check_outputs(tmp_path, tmp_path / "_book")) == ["DHR-P008"]


def test_findings_in_a_build_folder_are_shown_under_the_output_folder_name(tmp_path: Path) -> None:
    staging = tmp_path / "._book.tmp-x1y2"
    staging.mkdir()
    (staging / "09-overview.html").write_text('<html><body>\n<img src="chart.svg">\n</body></html>\n', encoding="utf-8")
    result = check_outputs(tmp_path, staging, shown_as="_book")
    assert [(f.rule, f.file) for f in result.findings] == [("DHR-P004", "_book/09-overview.html")]
