"""Places in the outputs where text hides from a reader but not from a search engine or a download:
HTML attributes (ids, citation keys in ``data-cites``, image file names, alt and title text), the Word
copy's text and properties, and the size of each published file.
"""
from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from .findings import Finding
from .names import NameList

MAX_OUTPUT_MB = 20  # the Home Office's limit for the PDF; a web page or Word copy larger than that is a fault
_SKIPPED_ATTRIBUTES = {"class", "style", "lang", "charset", "content", "rel", "type", "role", "scope", "width",
                       "height", "colspan", "rowspan", "tabindex", "aria-hidden", "http-equiv", "name", "viewbox"}
_WORD_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
_XML_TEXT = re.compile(r">([^<]+)<")


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: list[tuple[int, str, str]] = []  # (line, attribute, value)

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if value and key.lower() not in _SKIPPED_ATTRIBUTES:
                self.values.append((self.getpos()[0], key, value))


def html_attribute_findings(path: Path, file: str, names: NameList) -> list[Finding]:
    """Real names in the attributes of an HTML page (``id``, ``data-cites``, ``src``, ``alt``…)."""
    if not names:
        return []
    parser = _Attributes()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    found = []
    for line, key, value in parser.values:
        for match in names.finditer(value):
            found.append(Finding("DHR-A001", "error", file, line, 1,
                                 f"a real name from the private names list (its line {match.entry_line}) "
                                 f"in the page's {key}= attribute",
                                 "rename what carries it (a citation key, an image file, a label)"))
            break
    return found


def docx_texts(path: Path) -> list[tuple[str, str]]:
    """(part, text) of a Word file: the body, notes, headers and footers, and the document properties."""
    texts = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.endswith(".xml"):
                continue
            xml = archive.read(name).decode("utf-8", errors="replace")
            if name.startswith("word/"):
                text = " ".join(_WORD_TEXT.findall(xml))
            elif name.startswith("docProps/"):
                text = " ".join(_XML_TEXT.findall(xml))
            else:
                continue
            if text.strip():
                texts.append((name, text))
    return texts


def docx_findings(path: Path, file: str, names: NameList) -> list[Finding]:
    """Real names anywhere in a Word copy, its properties included (the panel's copy travels by e-mail)."""
    found = []
    for part, text in docx_texts(path) if names else []:
        match = next(names.finditer(text), None)
        if match is not None:
            where = "the document properties" if part.startswith("docProps/") else "the text"
            found.append(Finding("DHR-A001", "error", file, 1, 1,
                                 f"a real name from the private names list (its line {match.entry_line}) in {where} "
                                 f"of the Word copy ({part})", "use the pseudonym, or the person's role"))
    return found


def size_findings(path: Path, file: str, limit_mb: float = MAX_OUTPUT_MB) -> list[Finding]:
    """A published file over the size limit (a cell that printed a data dump, an image at print resolution)."""
    size = path.stat().st_size
    if size <= limit_mb * 1024 * 1024:
        return []
    return [Finding("DHR-P009", "error", file, 1, 1,
                    f"the file is {size / 1024 / 1024:.1f} MB, over the {limit_mb:g} MB limit for a published output",
                    "look for a cell that prints a large table or text, or an image at print resolution; "
                    "raise `dhr: max-output-mb:` in _quarto.yml only if the size is intended")]
