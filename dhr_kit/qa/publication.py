"""DHR-P: publication — placeholders and figures without alt text in the sources; in the rendered
outputs: PDF size and tagging, image alt text, leaks (names, dates, local paths, tracebacks, comments)
in PDF text and metadata and in HTML text and meta tags."""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from .anonymity import NameList, load_names, scan_identifiers
from .catalogue import Where, finding, where
from .document import Document
from .findings import Finding
from .outputmap import OutputMap, Place
from .outputscan import MAX_OUTPUT_MB, docx_findings, html_attribute_findings, size_findings
from .workspace import Workspace

MAX_PDF_BYTES = 20 * 1024 * 1024
PLACEHOLDER = re.compile(r"\[PLACEHOLDER|\bTODO\b|\bFIXME\b|\bTBC\b|\bXXX+\b|\?\?\?", re.IGNORECASE)
_PLACEHOLDER_STRICT = re.compile(r"\[PLACEHOLDER|\bTODO\b|\bFIXME\b|\bXXX+\b")  # case-sensitive in outputs
LOCAL_PATH = re.compile(r"(?<![\w/])(?:/home/|/root/|/tmp/|/Users/|/var/folders/|[A-Za-z]:\\Users\\)[^\s\"'<>]*")
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|\b\w+Error: .*\n?|File \"[^\"]+\", line \d+")
_TRACEBACK_HEAD = re.compile(r"Traceback \(most recent call last\)")
# markup a reader should never see as text: a pandoc raw attribute, HTML/CSS of a cell's output
_LEAKED_MARKUP = re.compile(r"\{=(?:html5?|latex|tex|typst|openxml|docx)\}|<(?:style|script|table|div)\b[^>\n]{0,80}>"
                            r"|</(?:style|script|table|div)>|\.dataframe\s+(?:tbody|thead)\b")
_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\([^)]*\)(?:\{(?P<attrs>[^}]*)\})?")


def _may_hold_placeholder(text: str) -> bool:
    lowered = text.lower()
    return any(n in lowered for n in ("placeholder", "todo", "fixme", "tbc", "xxx", "???"))


def placeholder_findings(doc: Document) -> list[Finding]:
    found = []
    for segment in doc.segments:
        if not _may_hold_placeholder(segment.text):
            continue
        for match in PLACEHOLDER.finditer(segment.text):
            line, column = segment.locate(match.start())
            found.append(finding("DHR-P001", doc.file, line, column, note=match.group(0)))
    for line, column, text in doc.comments:
        match = PLACEHOLDER.search(text)
        if match:
            found.append(finding("DHR-P001", doc.file, line, column, variant="comment", note=match.group(0)))
    return found


def figure_alt_findings(doc: Document) -> list[Finding]:
    found = []
    for number, text in enumerate(doc.lines, 1):
        for match in _IMAGE.finditer(text):
            if not match["alt"].strip() and "fig-alt" not in (match["attrs"] or ""):
                found.append(finding("DHR-P004", doc.file, number, match.start() + 1))
    for cell in doc.cells:
        if "fig-cap" in cell.options and "fig-alt" not in cell.options and not cell.calls:
            found.append(finding("DHR-P004", doc.file, cell.line, variant="figure-cell"))
    return found


def check_publication(ws: Workspace) -> list[Finding]:
    found: list[Finding] = []
    for doc in ws.documents:
        found += placeholder_findings(doc)
        found += figure_alt_findings(doc)
    return found


# Outputs ----------------------------------------------------------------------------------------
class _HtmlText(HTMLParser):
    """Visible text, meta tag contents, images without alt, and comments of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.meta: list[str] = []
        self.images_without_alt: list[tuple[int, str]] = []
        self.comments: list[tuple[int, str]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "meta" and values.get("content"):
            self.meta.append(str(values["content"]))
        elif tag == "img":
            if not (values.get("alt") or "").strip() and values.get("role") != "presentation" \
                    and values.get("aria-hidden") != "true":
                self.images_without_alt.append((self.getpos()[0], str(values.get("src", ""))))
        elif tag == "title":
            pass

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)

    def handle_comment(self, data):
        self.comments.append((self.getpos()[0], data))


def _text_findings(file: str, text: str, names: NameList, at: Where | None, omap: OutputMap | None = None,
                   locate: Callable[[int], Place | None] | None = None, output: str = "") -> list[Finding]:
    """Leaks in an output's text. With an :class:`OutputMap` (a render: the executed chapters are known),
    a problem whose text is in an executed chapter is left out (``check``/``check_book`` report it at its
    source), and one only the output holds is placed by ``locate`` at its chapter and section."""
    def line_of(offset: int) -> int:
        return text.count("\n", 0, offset) + 1

    raw: list[tuple[int, int, str, str | None, dict]] = []  # (start, end, rule, variant, fields)
    for match in names.finditer(text) if names else ():
        raw.append((match.start, match.end, "DHR-A001", None,
                    {"entry_line": match.entry_line, "length": match.end - match.start}))
    for hit in scan_identifiers(text):
        raw.append((hit.start, hit.end, hit.rule, hit.variant, dict(hit.fields)))
    raw += [(m.start(), m.end(), "DHR-P005", None, {"path": m.group(0)}) for m in LOCAL_PATH.finditer(text)]
    raw += [(m.start(), m.end(), "DHR-P006", None, {}) for m in _TRACEBACK_HEAD.finditer(text)]
    raw += [(m.start(), m.end(), "DHR-P001", None, {"note": m.group(0)}) for m in _PLACEHOLDER_STRICT.finditer(text)]
    leaked = _LEAKED_MARKUP.search(text)
    if leaked:  # once per text: one leak usually brings many tags
        raw.append((leaked.start(), leaked.end(), "DHR-P010", None, {"markup": leaked.group(0)}))
    found = []
    for start, end, rule, variant, fields in raw:
        if omap and omap.known(text[start:end]):
            continue  # the same problem, reported once, at its source (or accepted there)
        place = locate(start) if omap and locate is not None else None
        if place is not None:
            found.append(finding(rule, place.file, place.line, variant=variant, at=where(
                "output_section", output=output or file, chapter=place.chapter, section=place.section), **fields))
        else:
            found.append(finding(rule, file, line_of(start), variant=variant, at=at, **fields))
    return found


def check_pdf(path: Path, file: str, names: NameList, omap: OutputMap | None = None) -> list[Finding]:
    from pypdf import PdfReader  # imported here: `dhr check` on sources does not need it

    found: list[Finding] = []
    size = path.stat().st_size
    if size >= MAX_PDF_BYTES:
        found.append(finding("DHR-P002", file, 1, megabytes=size / 1024 / 1024))
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    mark_info = root.get("/MarkInfo")
    marked = bool(mark_info and mark_info.get_object().get("/Marked"))
    if "/StructTreeRoot" not in root or not marked:
        found.append(finding("DHR-P003", file, 1))
    metadata = reader.metadata or {}
    meta_text = "\n".join(str(v) for v in metadata.values())
    found += _text_findings(file, meta_text, names, where("pdf_metadata"))
    pages = pdf_page_texts(path)
    for number, text in enumerate(pages, 1):
        before = "\n".join(pages[:number - 1])
        for item in _text_findings(file, text, names, where("pdf_page", page=number), omap,
                                   lambda start, text=text, before=before: omap.place(before + "\n" + text[:start]),
                                   output=file):
            if item.file == file:
                item.line = number
            found.append(item)
    return found


def pdf_page_texts(path: Path) -> list[str]:
    """Each page's text, by PDFium (pypdfium2): some 30x faster than pypdf's extractor on a long report."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    texts = []
    try:
        for page in pdf:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return texts


_PAGES: dict[str, "_HtmlText"] = {}  # a page's parse by its text, in this process (the preview re-checks unchanged pages)


def _parsed_page(source: str) -> "_HtmlText":
    parser = _PAGES.get(source)
    if parser is None:
        parser = _HtmlText()
        parser.feed(source)
        if len(_PAGES) >= 128:
            _PAGES.pop(next(iter(_PAGES)))
        _PAGES[source] = parser
    return parser


def check_html(path: Path, file: str, names: NameList, omap: OutputMap | None = None) -> list[Finding]:
    parser = _parsed_page(path.read_text(encoding="utf-8", errors="replace"))
    found: list[Finding] = []
    for line, src in parser.images_without_alt:
        found.append(finding("DHR-P004", file, line, variant="html", src=src))
    for line, comment in parser.comments:
        found.append(finding("DHR-P007", file, line, comment=comment.strip()))
    text = html.unescape("".join(parser.text))
    chapter = omap.chapter_of_page(path.stem) if omap else None
    found += _text_findings(file, text, names, None, omap, lambda start: omap.place(text[:start], chapter), output=file)
    found += _text_findings(file, "\n".join(parser.meta), names, where("html_meta"), omap)
    return found


def check_output_files(root: Path, output_dir: Path, *, names_file, shown_as: str | None = None,
                       max_output_mb: float = MAX_OUTPUT_MB, executed: dict[str, str] | None = None) -> list[Finding]:
    """``executed`` (rel → executed Markdown, from a render): see :class:`OutputMap` — one finding per problem."""
    names, _ = load_names(names_file)
    omap = OutputMap(executed) if executed else None
    found: list[Finding] = []
    output_dir = Path(output_dir)
    pdfs = sorted(output_dir.rglob("*.pdf"))
    pages = sorted(output_dir.rglob("*.html"))
    from ..errors import relpath

    def shown(path: Path) -> str:
        if shown_as is None:
            return relpath(path, root)
        return f"{shown_as}/{path.relative_to(output_dir).as_posix()}"

    if not pdfs and not pages:
        found.append(finding("DHR-P008", shown_as or relpath(output_dir, root), 1))

    for path in pdfs:
        found += check_pdf(path, shown(path), names, omap)
    for path in pages:
        found += check_html(path, shown(path), names, omap)
        found += html_attribute_findings(path, shown(path), names)
        found += size_findings(path, shown(path), max_output_mb)
    for path in sorted(output_dir.rglob("*.docx")):
        found += docx_findings(path, shown(path), names)
        found += size_findings(path, shown(path), max_output_mb)
    return found
