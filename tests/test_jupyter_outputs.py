"""Jupyter outputs as Quarto renders them, end to end: the `jupyter` fixture book executed in a real kernel
and written by real pandoc and Typst; every format read back (PDF with pypdf) and compared with the data
in ``fixtures/render/jupyter/expected-outputs.yml``."""
from __future__ import annotations

import html
import re
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from dhr_kit.render import render

CASE = Path(__file__).parent / "fixtures" / "render" / "jupyter"
EXPECTED = yaml.safe_load((CASE / "expected-outputs.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("jupyter") / "book"
    shutil.copytree(CASE, root, ignore=shutil.ignore_patterns("expected*", "_book", ".dhr-cache"))
    render(root, gates=(), to="all", quiet=True, engine="embedded")
    return root / "_book"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.alts: list[str] = []
        self.headers: list[list[str]] = []  # each table's first header row
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_head = False
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "style"}:
            self._skip += 1
        elif tag == "img":
            self.alts.append(attrs.get("alt") or "")
        elif tag == "thead":
            self._in_head, self._row = True, None
        elif tag == "tr" and self._in_head and self._row is None:
            self._row = []
        elif tag in {"th", "td"} and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1
        elif tag in {"th", "td"} and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._in_head and self._row is not None and self._cell is None:
            self.headers.append(self._row)
            self._row, self._in_head = [], False  # only the first header row
        elif tag == "thead":
            self._in_head, self._row = False, None

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)
            if self._cell is not None:
                self._cell.append(data)


def _html(book: Path) -> _Page:
    page = _Page()
    for path in sorted(book.glob("*.html")):
        page.feed(path.read_text(encoding="utf-8"))
    return page


def _pdf_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _pdf_struct(reader: PdfReader) -> tuple[int, list[str]]:
    """(number of /Table structure elements, alt texts of /Figure and /Formula elements)."""
    tables, alts = 0, []
    stack = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not hasattr(node, "get"):
            continue
        role = node.get("/S")
        if role == "/Table":
            tables += 1
        if role in {"/Figure", "/Formula"} and node.get("/Alt"):
            alts.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is not None:
            stack.append(kids)
    return tables, alts


def _docx(book: Path) -> tuple[str, int]:
    docx = next(book.glob("*.docx"))
    with zipfile.ZipFile(docx) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    text = html.unescape(" ".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", xml)))
    return text, xml.count("<w:tbl>")


def _normal(text: str) -> str:
    return " ".join(text.split())


def test_pdf(book):
    reader = PdfReader(next(book.glob("*.pdf")))
    text = _normal(_pdf_text(reader))
    for expected in EXPECTED["pdf"]["text"] + EXPECTED["shortcodes"]:
        assert expected in text
    for leaked in EXPECTED["absent_everywhere"]:
        assert leaked not in text
    before, after = EXPECTED["pdf"]["page_break_between"]
    pages = [_normal(page.extract_text()) for page in reader.pages]
    page = next(i for i, t in enumerate(pages) if before in t)
    assert after not in pages[page] and after in pages[page + 1]
    tables, alts = _pdf_struct(reader)
    assert tables == EXPECTED["pdf"]["tables"]
    for alt in EXPECTED["pdf"]["alt"]:
        assert alt in alts


def test_html(book):
    page = _html(book)
    text = _normal(" ".join(page.text))
    for expected in EXPECTED["html"]["text"] + EXPECTED["shortcodes"]:
        assert expected in text
    raw = "".join(p.read_text(encoding="utf-8") for p in book.glob("*.html"))
    for leaked in EXPECTED["absent_everywhere"]:
        assert leaked not in text and leaked not in raw
    assert len(page.headers) == EXPECTED["html"]["tables"]
    assert page.headers == EXPECTED["html"]["header"]
    for alt in EXPECTED["html"]["alt"]:
        assert alt in page.alts


def test_docx(book):
    text, tables = _docx(book)
    text = _normal(text)
    with zipfile.ZipFile(next(book.glob("*.docx"))) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert xml.count('<w:br w:type="page"/>') == EXPECTED["docx"]["page_breaks"]
    for expected in EXPECTED["docx"]["text"] + EXPECTED["shortcodes"]:
        assert expected in text
    for leaked in EXPECTED["absent_everywhere"]:
        assert leaked not in text
    assert tables == EXPECTED["docx"]["tables"]


PROBLEMS = Path(__file__).parent / "fixtures" / "render" / "book-problems"


@pytest.mark.parametrize("case", sorted(p.name for p in PROBLEMS.iterdir()))
def test_book_problems(case, tmp_path):
    """book-problems/<case>/: a shortcode or inline expression dhr-kit cannot resolve is named at its line;
    it stops a publication build, and a draft either stops (a failing expression, like a failing cell) or
    shows a bold ``?name`` where it stood, never the shortcode as text."""
    from dhr_kit.errors import BuildError

    expected = yaml.safe_load((PROBLEMS / case / "expected.yml").read_text(encoding="utf-8"))
    root = tmp_path / case
    shutil.copytree(PROBLEMS / case, root, ignore=shutil.ignore_patterns("expected*"))
    with pytest.raises(BuildError) as info:
        render(root, gates=(), to="markdown", quiet=True, engine="embedded", publish=True)
    assert expected["message"] in str(info.value)
    if expected["stops_a_draft"]:
        with pytest.raises(BuildError) as info:
            render(root, gates=(), to="markdown", quiet=True, engine="embedded")
        assert expected["message"] in str(info.value)
        return
    result = render(root, gates=(), to="markdown", quiet=True, engine="embedded")
    assert any(expected["message"] in warning for warning in result.warnings)
    markdown = result.book.chapters[0].markdown
    assert f"**{expected['shown']}**" in markdown and "{{<" not in markdown
