"""DHR-P: publication — placeholders and figures without alt text in the sources; in the rendered
outputs: PDF size and tagging, image alt text, leaks (names, dates, local paths, tracebacks, comments)
in PDF text and metadata and in HTML text and meta tags."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

from .anonymity import identifier_findings, load_names, name_findings
from .document import Document
from .findings import Finding
from .outputscan import MAX_OUTPUT_MB, docx_findings, html_attribute_findings, size_findings
from .workspace import Workspace

MAX_PDF_BYTES = 20 * 1024 * 1024
PLACEHOLDER = re.compile(r"\[PLACEHOLDER|\bTODO\b|\bFIXME\b|\bTBC\b|\bXXX+\b|\?\?\?", re.IGNORECASE)
_PLACEHOLDER_STRICT = re.compile(r"\[PLACEHOLDER|\bTODO\b|\bFIXME\b|\bXXX+\b")  # case-sensitive in outputs
LOCAL_PATH = re.compile(r"(?<![\w/])(?:/home/|/root/|/tmp/|/Users/|/var/folders/|[A-Za-z]:\\Users\\)[^\s\"'<>]*")
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|\b\w+Error: .*\n?|File \"[^\"]+\", line \d+")
_TRACEBACK_HEAD = re.compile(r"Traceback \(most recent call last\)")
_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\([^)]*\)(?:\{(?P<attrs>[^}]*)\})?")


def _may_hold_placeholder(text: str) -> bool:
    lowered = text.lower()
    return any(n in lowered for n in ("placeholder", "todo", "fixme", "tbc", "xxx", "???"))


def placeholder_findings(doc: Document, publish: bool) -> list[Finding]:
    severity = "error" if publish else "warning"
    found = []
    for segment in doc.segments:
        if not _may_hold_placeholder(segment.text):
            continue
        for match in PLACEHOLDER.finditer(segment.text):
            line, column = segment.locate(match.start())
            found.append(Finding("DHR-P001", severity, doc.file, line, column,
                                 f"placeholder or draft note \"{match.group(0)}\"", "finish or remove it before publishing"))
    for line, column, text in doc.comments:
        match = PLACEHOLDER.search(text)
        if match:
            found.append(Finding("DHR-P001", severity, doc.file, line, column,
                                 f"draft note in a comment \"{match.group(0)}\" (comments are kept in the HTML)",
                                 "resolve it and delete the comment"))
    return found


def figure_alt_findings(doc: Document) -> list[Finding]:
    found = []
    for number, text in enumerate(doc.lines, 1):
        for match in _IMAGE.finditer(text):
            if not match["alt"].strip() and "fig-alt" not in (match["attrs"] or ""):
                found.append(Finding("DHR-P004", "error", doc.file, number, match.start() + 1,
                                     "an image has no alternative text",
                                     "write a caption in ![...] and a description in {fig-alt=\"...\"}"))
    for cell in doc.cells:
        if "fig-cap" in cell.options and "fig-alt" not in cell.options and not cell.calls:
            found.append(Finding("DHR-P004", "error", doc.file, cell.line, 1,
                                 "a figure cell has a caption but no alternative text",
                                 "add '#| fig-alt: ...' describing what the figure shows"))
    return found


def check_publication(ws: Workspace) -> list[Finding]:
    found: list[Finding] = []
    for doc in ws.documents:
        found += placeholder_findings(doc, ws.publish)
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


def _text_findings(file: str, text: str, publish: bool, names, where: str) -> list[Finding]:
    found = name_findings(names, file, text) if names.pattern is not None else []
    for finding in found:
        finding.message += where
    found += identifier_findings(file, text, lambda offset: (text.count("\n", 0, offset) + 1, 1), publish, where)
    for match in LOCAL_PATH.finditer(text):
        found.append(Finding("DHR-P005", "error", file, text.count("\n", 0, match.start()) + 1, 1,
                             f"a local file path leaks into the output{where}: \"{match.group(0)[:60]}\"",
                             "do not print paths from cells; use paths relative to the project"))
    for match in _TRACEBACK_HEAD.finditer(text):
        found.append(Finding("DHR-P006", "error", file, text.count("\n", 0, match.start()) + 1, 1,
                             f"a Python traceback leaks into the output{where}",
                             "fix the failing cell (the build should stop on cell errors)"))
    for match in _PLACEHOLDER_STRICT.finditer(text):
        found.append(Finding("DHR-P001", "error" if publish else "warning", file,
                             text.count("\n", 0, match.start()) + 1, 1,
                             f"placeholder or draft note \"{match.group(0)}\"{where}", "finish or remove it"))
    return found


def check_pdf(path: Path, file: str, publish: bool, names) -> list[Finding]:
    from pypdf import PdfReader  # imported here: `dhr check` on sources does not need it

    found: list[Finding] = []
    size = path.stat().st_size
    if size >= MAX_PDF_BYTES:
        found.append(Finding("DHR-P002", "error", file, 1, 1,
                             f"the PDF is {size / 1024 / 1024:.1f} MB; the Home Office asks for less than 20 MB",
                             "reduce image resolution (figures at 150–200 dpi) and embed fonts as subsets"))
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    mark_info = root.get("/MarkInfo")
    marked = bool(mark_info and mark_info.get_object().get("/Marked"))
    if "/StructTreeRoot" not in root or not marked:
        found.append(Finding("DHR-P003", "error", file, 1, 1,
                             "the PDF is not tagged (no structure tree / MarkInfo), so screen readers cannot read it",
                             "render with dhr render (tagged PDF/UA-1)"))
    metadata = reader.metadata or {}
    meta_text = "\n".join(str(v) for v in metadata.values())
    found += _text_findings(file, meta_text, publish, names, " (PDF metadata)")
    for number, text in enumerate(pdf_page_texts(path), 1):
        for finding in _text_findings(file, text, publish, names, f" (PDF page {number})"):
            finding.line = number
            found.append(finding)
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


def check_html(path: Path, file: str, publish: bool, names) -> list[Finding]:
    source = path.read_text(encoding="utf-8", errors="replace")
    parser = _HtmlText()
    parser.feed(source)
    found: list[Finding] = []
    for line, src in parser.images_without_alt:
        found.append(Finding("DHR-P004", "error", file, line, 1, f"an image has no alt text ({src})",
                             "give the figure alternative text (fig-alt)"))
    for line, comment in parser.comments:
        found.append(Finding("DHR-P007", "error" if publish else "warning", file, line, 1,
                             f"an HTML comment is left in the page: \"<!--{comment[:40].strip()}…-->\"",
                             "remove draft comments from the chapters"))
    text = html.unescape("".join(parser.text))
    found += _text_findings(file, text, publish, names, "")
    found += _text_findings(file, "\n".join(parser.meta), publish, names, " (HTML meta tags)")
    return found


def check_output_files(root: Path, output_dir: Path, *, publish: bool, names_file,
                       shown_as: str | None = None, max_output_mb: float = MAX_OUTPUT_MB) -> list[Finding]:
    names, _ = load_names(names_file)
    found: list[Finding] = []
    output_dir = Path(output_dir)
    pdfs = sorted(output_dir.rglob("*.pdf"))
    pages = sorted(output_dir.rglob("*.html"))
    if not pdfs and not pages:
        found.append(Finding("DHR-P008", "error", str(output_dir), 1, 1, "no PDF or HTML output found",
                             "render the report first: dhr render"))
    from ..errors import relpath

    def shown(path: Path) -> str:
        if shown_as is None:
            return relpath(path, root)
        return f"{shown_as}/{path.relative_to(output_dir).as_posix()}"

    for path in pdfs:
        found += check_pdf(path, shown(path), publish, names)
    for path in pages:
        found += check_html(path, shown(path), publish, names)
        found += html_attribute_findings(path, shown(path), names)
        found += size_findings(path, shown(path), max_output_mb)
    for path in sorted(output_dir.rglob("*.docx")):
        found += docx_findings(path, shown(path), names)
        found += size_findings(path, shown(path), max_output_mb)
    return found
