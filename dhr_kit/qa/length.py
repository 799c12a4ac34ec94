"""Length and repetition (DHR-R…): what a QA Panel member objects to in a report sent back as
"repetitive and unnecessarily lengthy" — sections that are mostly tables of events, the same
chronology events printed twice, a protected characteristic analysed twice, ISO dates, the QA letter
not last, and (on the PDF) a report far longer than comparable reviews.

Source checks read the chapters' helper calls with the review's data (nothing is executed): a
``chronology_table(...)`` call's rows are the events its literal arguments select.
"""
from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

from ..errors import InputError
from .catalogue import finding, load_rule_data
from .document import CodeCell, Document
from .findings import Finding
from .workspace import Workspace

EVENT_TABLE_HELPERS = ("chronology_table",)
ISO_DATE = re.compile(r"(?<![\w/-])(?:19|20)\d\d-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?(?![\w/-])")


@cache
def _rules() -> dict:
    return load_rule_data("length.yml")


def threshold(name: str) -> int:
    return int(_rules()["thresholds"][name])


def _finding(rule: str, file: str, line: int, detail: str, column: int = 1) -> Finding:
    """Worded by the catalogue (rules/length.yml); the run resolves draft/publish severity."""
    return finding(rule, file, line, column, detail=detail)


# ---- helper calls with their keyword arguments --------------------------------------------------

def _literal_calls(cell: CodeCell, names: tuple[str, ...]) -> list[tuple[str, int, list, dict]]:
    """(name, file line, positional args, keyword args) of calls to ``names`` whose arguments are literals."""
    try:
        tree = ast.parse(cell.source)
    except SyntaxError:
        return []
    offset = cell.line + 1  # the fence line, then the code
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name not in names:
            continue
        try:
            args = [ast.literal_eval(a) for a in node.args]
            kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg}
        except ValueError:
            continue  # computed arguments: the rows cannot be known without running the cell
        found.append((name, offset + node.lineno - 1, args, kwargs))
    return sorted(found, key=lambda c: c[1])


def _selected_events(ws: Workspace, args: list, kwargs: dict) -> list[int] | None:
    from ..helpers.chronology import filter_events

    names = ["agency", "start", "end", "tor", "significance"]
    selection = dict(zip(names, args)) | {k: v for k, v in kwargs.items() if k in names}
    try:
        return list(filter_events(ws.review, **selection).index)
    except InputError:
        return None  # the helper reports bad arguments itself when the chapter runs


def _event_tables(ws: Workspace) -> list[tuple[Document, int, list[int]]]:
    tables = []
    for doc in ws.documents:
        for cell in doc.cells:
            if cell.options.get("include") == "false" or cell.options.get("output") == "false":
                continue
            for _, line, args, kwargs in _literal_calls(cell, EVENT_TABLE_HELPERS):
                rows = _selected_events(ws, args, kwargs)
                if rows:
                    tables.append((doc, line, rows))
    return tables


# ---- the rules ----------------------------------------------------------------------------------

def event_table_findings(ws: Workspace) -> list[Finding]:
    """DHR-R001 (a section outside the chronology chapter dominated by event rows) and DHR-R002
    (events printed more than once, anywhere)."""
    found: list[Finding] = []
    printed: dict[int, tuple[str, int]] = {}
    for doc, line, rows in _event_tables(ws):
        in_chronology = any(s.level == 1 and s.line <= line <= s.end_line and s.norm.startswith("chronology")
                            for s in doc.sections)
        section = min((s for s in doc.sections if s.line <= line <= s.end_line),
                      key=lambda s: s.end_line - s.line, default=None)
        words = doc.words_between(section.line, section.end_line) if section else doc.words_between(1, len(doc.lines))
        table_words = len(rows) * threshold("words_per_event_row")
        if not in_chronology and len(rows) >= threshold("event_rows") and table_words > words:
            where = f"'{section.title}'" if section else "this chapter"
            found.append(_finding("DHR-R001", doc.file, line,
                                  f"{where} is mostly a table of {len(rows)} chronology events "
                                  f"(about {table_words} words of table against {words} of analysis)"))
        repeated = [printed[r] for r in rows if r in printed]
        if repeated:
            first_file, first_line = repeated[0]
            found.append(_finding("DHR-R002", doc.file, line,
                                  f"{len(repeated)} of these {len(rows)} chronology events are already printed "
                                  f"by the table at {first_file}:{first_line}"))
        for row in rows:
            printed.setdefault(row, (doc.file, line))
    return found


def characteristic_findings(ws: Workspace) -> list[Finding]:
    """DHR-R003: protected_characteristics() writes an analysis of each relevant characteristic, and a
    heading in the report analyses the same one again."""
    from ..helpers.equality import LABELS

    relevant = {LABELS[k].casefold(): LABELS[k] for k, item in ws.review.protected_characteristics.items()
                if item.relevant and k in LABELS}
    calls = [(doc, line) for doc in ws.documents for cell in doc.cells
             for _, line, _, kwargs in _literal_calls(cell, ("protected_characteristics",))
             if kwargs.get("analyses", True)]
    if not calls:
        return []
    found = []
    for doc, line in calls:
        twice = [relevant[s.norm] for other in ws.documents for s in other.sections if s.norm in relevant]
        for label in dict.fromkeys(twice):
            found.append(_finding("DHR-R003", doc.file, line,
                                  f"{label} is analysed by protected_characteristics() and again under its own heading"))
    return found


def iso_date_findings(doc: Document, where: str = "") -> list[Finding]:
    """DHR-R005: an ISO date in prose (code and data are not text)."""
    found = []
    for segment in doc.segments:
        if segment.kind not in ("prose", "heading"):
            continue
        for match in ISO_DATE.finditer(segment.text):
            line, column = segment.locate(match.start())
            found.append(_finding("DHR-R005", doc.file, line, f"the date {match.group(0)!r} is in ISO form{where}",
                                  column))
    return found


def qa_letter_last_findings(ws: Workspace) -> list[Finding]:
    """DHR-R006: the Home Office asks for its QA letter at the end of the report."""
    appendices = [doc for doc in ws.documents if doc.appendix]
    letters = [i for i, doc in enumerate(appendices) if any(c.name == "qa_letter" for c in doc.calls)]
    if not letters or letters[-1] == len(appendices) - 1:
        return []
    letter = appendices[letters[-1]]
    return [_finding("DHR-R006", "_quarto.yml", _config_line(ws, letter.file),
                     f"the QA Panel letter ({letter.file}) is followed by {appendices[-1].file}")]


def _config_line(ws: Workspace, rel: str) -> int:
    for number, line in enumerate((ws.root / "_quarto.yml").read_text(encoding="utf-8").splitlines(), 1):
        if rel in line:
            return number
    return ws.config_line("appendices")


def check_length(ws: Workspace) -> list[Finding]:
    found = event_table_findings(ws) + characteristic_findings(ws) + qa_letter_last_findings(ws)
    for doc in ws.documents:
        found += iso_date_findings(doc)
    return found


def pdf_length_findings(pdf: Path, shown_as: str) -> list[Finding]:
    """DHR-R004 on the rendered overview report."""
    from pypdf import PdfReader

    pages = len(PdfReader(pdf).pages)
    limit = threshold("max_pdf_pages")
    if pages <= limit:
        return []
    return [_finding("DHR-R004", shown_as, 1, f"the report is {pages} pages long (comparable reviews: at most {limit})")]
