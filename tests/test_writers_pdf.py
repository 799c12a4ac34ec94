"""PDF writer: pandoc → typst → tagged PDF/UA-1 on A4, read back with pypdf."""
from __future__ import annotations

import getpass
import importlib.util
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import StreamObject

from dhr_kit.errors import InputError, ToolError
from dhr_kit.render.pdf import write_executive_summary_pdf, write_pdf
from dhr_kit.tools.pandoc import run_pandoc
from dhr_kit.tools.typst import compile_pdf

_spec = importlib.util.spec_from_file_location("writers_sample", Path(__file__).parent / "fixtures/writers/sample.py")
sample = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sample)

DRAFT = "DRAFT — not for publication"
FIG_ALT = "Line chart: contacts with agencies rose from one a month in 2022 to six a month in early 2024."


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("pdf-review")
    draft = sample.make_book(root)
    report = write_pdf(draft, root / "_book" / "overview-report.pdf")
    published = sample.make_book(root, publish=True)
    summary = write_executive_summary_pdf(published, root / "_book" / "executive-summary.pdf")
    readers = {"report": PdfReader(report), "summary": PdfReader(summary)}
    texts = {id(r): [page.extract_text() or "" for page in r.pages] for r in readers.values()}
    _TEXTS.update(texts)
    return {"root": root, "path": report, **readers}


_TEXTS: dict[int, list[str]] = {}


def page_texts(reader: PdfReader) -> list[str]:
    """Each page's text (extracted once per reader: extraction is the slow part of these tests)."""
    if id(reader) not in _TEXTS:
        _TEXTS[id(reader)] = [page.extract_text() or "" for page in reader.pages]
    return _TEXTS[id(reader)]


def struct_elements(reader: PdfReader):
    """Every structure element (tag, /Alt) under the StructTreeRoot."""
    found = []

    def visit(node):
        node = node.get_object()
        if isinstance(node, dict):
            if "/S" in node:
                found.append((str(node["/S"]), node.get("/Alt")))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
                if hasattr(kid, "get_object") or isinstance(kid, dict):
                    visit(kid)

    visit(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def outline_titles(reader: PdfReader) -> list[str]:
    titles = []

    def visit(items):
        for item in items:
            if isinstance(item, list):
                visit(item)
            else:
                titles.append(item.title)

    visit(reader.outline)
    return titles


@pytest.mark.parametrize("which", ["report", "summary"])
def test_every_page_is_a4(built, which):
    for page in built[which].pages:
        assert abs(float(page.mediabox.width) - 595.28) < 1
        assert abs(float(page.mediabox.height) - 841.89) < 1


@pytest.mark.parametrize("which", ["report", "summary"])
def test_tagged_pdf_ua1_with_language_and_title(built, which):
    reader = built[which]
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    xmp = reader.xmp_metadata.stream.get_data().decode("utf-8")
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
    assert "Domestic Homicide Review" in reader.metadata.title


def test_metadata_and_content_hold_no_local_paths_or_user_names(built):
    reader, root = built["report"], built["root"]
    leaks = [str(root), "/tmp", "dhr-typst", getpass.getuser() if getpass.getuser() != "root" else "/root"]
    xmp = reader.xmp_metadata.stream.get_data().decode("utf-8")
    info = " ".join(str(v) for v in reader.metadata.values())
    for leak in leaks:
        assert leak not in xmp and leak not in info
    streams = b"".join(obj.get_data() for obj in _all_objects(reader) if isinstance(obj, StreamObject))
    for leak in (str(root), "dhr-typst"):
        assert leak.encode() not in streams
    assert reader.metadata.author == "Sam Taylor"


def _all_objects(reader: PdfReader):
    for ref in list(reader.resolved_objects.values()) or []:
        yield ref
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(number)
        except Exception:  # free slots in the xref table
            continue
        if obj is not None:
            yield obj


def test_title_page(built):
    first = page_texts(built["report"])[0]
    for expected in ("Northshire Community Safety Partnership", "Domestic Homicide Review", "Ayesha",
                     "OFFICIAL-SENSITIVE", "Independent Chair and Author: Sam Taylor", "June 2025", DRAFT):
        assert expected in first
    assert re.search(r"who died in (January|February|March|April|May|June|July|August|September|October"
                     r"|November|December) \d{4}", first)


def test_contents_and_chapters_in_order(built):
    titles = outline_titles(built["report"])
    expected = ["Executive summary", "The review", "Introduction", "Analysis", "References",
                "Appendices", "Action plan"]
    positions = [next(i for i, t in enumerate(titles) if t.endswith(e)) for e in expected]
    assert positions == sorted(positions)
    body = "\n".join(page_texts(built["report"])[2:])
    # numbered by the book's one numbering pass (as the renderer's books are), not by the Typst template
    chapter_positions = [body.index(t) for t in ("Executive summary", "1 Introduction", "2 Analysis",
                                                 "References", "Appendix A: Action plan")]
    assert chapter_positions == sorted(chapter_positions)
    assert "1 Introduction" in titles and "Appendix A: Action plan" in titles and "A.1 Status key" in titles


def test_draft_marking_on_every_page(built):
    assert all(DRAFT in text for text in page_texts(built["report"]))


def test_published_summary_has_no_draft_marking_and_only_the_summary(built):
    texts = page_texts(built["summary"])
    assert not any(DRAFT in text for text in texts)
    assert "Executive summary" in texts[0] and "who died in March 2024" in texts[0]
    body = "\n".join(texts[1:])
    assert "This summary sets out how agencies responded" in body
    assert "Terms of reference one" not in body and "Contents" not in body


def test_figure_has_alt_text_in_structure_tree(built):
    figures = [alt for tag, alt in struct_elements(built["report"]) if tag == "/Figure"]
    assert FIG_ALT in figures


def test_long_table_breaks_across_pages_with_repeated_header(built):
    pages = [t for t in page_texts(built["report"]) if "Review the referral" in t]
    assert len(pages) >= 2
    assert all("Lead agency" in text for text in pages)
    tags = {tag for tag, _ in struct_elements(built["report"])}
    assert {"/Table", "/TH", "/TD"} <= tags


def test_citations_and_callouts(built):
    text = "\n".join(page_texts(built["report"]))
    assert "(Home Office, 2016, p. 12)" in text
    assert "Monckton Smith, J. (2020)" in text
    assert "About this report" in text and "Warning" in text
    assert "[@" not in text and ":::" not in text


def test_image_without_alt_text_is_an_input_error(tmp_path):
    book = sample.make_book(tmp_path)
    book.chapters[2].markdown = "# Analysis\n\n![](.dhr-cache/figures/timeline.png)\n"
    with pytest.raises(InputError) as caught:
        write_pdf(book, tmp_path / "out.pdf")
    assert "chapters/02-analysis.qmd" in str(caught.value) and "alt text" in str(caught.value)
    assert not (tmp_path / "out.pdf").exists()


def test_missing_image_is_an_input_error(tmp_path):
    book = sample.make_book(tmp_path)
    book.chapters[1].markdown = "# Introduction\n\n![Chart](missing.png){fig-alt=\"A chart\"}\n"
    with pytest.raises(InputError, match="image not found: missing.png"):
        write_pdf(book, tmp_path / "out.pdf")


def test_typst_failure_is_a_tool_error_with_its_diagnostics(tmp_path):
    sample.draw_figure(tmp_path / "a.png")
    (tmp_path / "doc.typ").write_text('#set document(title: [T])\n#image("a.png")\n', encoding="utf-8")
    with pytest.raises(ToolError) as caught:
        compile_pdf(tmp_path / "doc.typ", tmp_path / "doc.pdf", root=tmp_path)
    message = str(caught.value)
    assert "alt text" in message and "doc.typ" in message and "fix:" in message


def test_pandoc_failure_is_a_tool_error():
    with pytest.raises(ToolError, match="pandoc"):
        run_pandoc("x", ["--from", "no-such-format"])


@pytest.mark.parametrize("words, kept", [(40, True), (200, False)])
def test_a_short_lead_in_is_kept_with_its_table(words: int, kept: bool) -> None:
    """A paragraph introducing a table is labelled to stay on the table's page, inside cell outputs too;
    a long paragraph is left to break normally."""
    from dhr_kit.render.pdf import KEEP_WITH_NEXT, keep_lead_ins

    lead = {"t": "Para", "c": [{"t": "Str", "c": "word"}, {"t": "Space"}] * words}
    table = {"t": "Table", "c": []}
    for blocks, inner in [([lead, table], lambda out: out),
                          ([{"t": "Div", "c": [["", ["cell-output"], []], [lead, table]]}], lambda out: out[0]["c"][1])]:
        first = inner(keep_lead_ins(blocks))[0]
        assert (first["t"] == "Div" and first["c"][0][0] == KEEP_WITH_NEXT) is kept
    assert keep_lead_ins([lead, {"t": "Para", "c": []}])[0] is lead  # not before a table: untouched
