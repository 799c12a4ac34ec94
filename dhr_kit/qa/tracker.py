"""DHR-Q: the QA Panel letter's tracker (data/qa_tracker.csv), and importing a letter into it.

``import_letter`` reads the letter (Markdown, text or PDF), takes the bullets under "areas for final
development", and merges them into the tracker: existing points keep their status and response; new
points are added as open; nothing is ever removed. The file is replaced atomically.
"""
from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Problem
from .catalogue import finding
from .findings import Finding
from .structure import is_trivial
from .workspace import Workspace

TRACKER = "qa_tracker.csv"
COLUMNS = ["id", "point", "status", "response", "where"]
_HEADING = re.compile(r"areas?\s+(?:for|of)\s+(?:final\s+)?development", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•▪●◦–·]|\d{1,2}[.)])\s+(?P<text>.*)$")
_END = re.compile(r"^\s*(?:#{1,6}\s|\*\*|once\s+completed|yours\s+sincerely|please\s)", re.IGNORECASE)


def check_tracker(ws: Workspace) -> list[Finding]:
    found: list[Finding] = []
    items = ws.review.qa_tracker
    if ws.review.metadata.qa_letter and not items:
        found.append(finding("DHR-Q002", "data/review.yml", ws.yaml_line("review.yml", ("qa_letter",)),
                             letter=ws.review.metadata.qa_letter))
    for item in items:
        line = ws.csv_line(TRACKER, "id", item.id)
        if item.status == "open":
            found.append(finding("DHR-Q001", f"data/{TRACKER}", line, point_id=item.id, point=item.point))
        elif is_trivial(item.response, 3):
            found.append(finding("DHR-Q003", f"data/{TRACKER}", line, point_id=item.id, status=item.status))
    return found


# Import -----------------------------------------------------------------------------------------
def read_letter(path: Path) -> str:
    if not path.is_file():
        raise InputError(Problem(str(path), "the letter file does not exist", fix="give the path of the QA Panel letter"))
    if path.suffix.lower() == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return path.read_text(encoding="utf-8", errors="replace")


def letter_points(text: str) -> list[str]:
    """The bullets under the letter's 'areas for final development' heading, each as one line of text."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if _HEADING.search(line)), None)
    if start is None:
        return []
    points: list[str] = []
    current: list[str] | None = None
    blank_run = 0
    for line in lines[start + 1:]:
        bullet = _BULLET.match(line)
        if bullet:
            if current:
                points.append(" ".join(current))
            current = [bullet["text"].strip()]
            blank_run = 0
        elif not line.strip():
            blank_run += 1
        elif current is not None and blank_run == 0 and not _END.match(line):
            current.append(line.strip())  # continuation of a wrapped bullet
        elif current is None and not _END.match(line):
            continue  # text between the heading and the first bullet
        else:
            break
    if current:
        points.append(" ".join(current))
    return [re.sub(r"\s+", " ", p).strip() for p in points if p.strip()]


def _key(point: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", point.lower()).strip()


@dataclass
class ImportResult:
    rows: list[dict[str, str]]
    added: list[str]
    kept: list[str]
    path: Path


def _read_tracker(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{c: (row.get(c) or "").strip() for c in COLUMNS} for row in csv.DictReader(handle)]


def import_letter(root: Path | str, letter: Path | str) -> ImportResult:
    """Merge the letter's points into data/qa_tracker.csv (created if absent); returns what changed."""
    root = Path(root).resolve()
    letter = Path(letter)
    points = letter_points(read_letter(letter))
    if not points:
        raise InputError(Problem(str(letter), "no 'areas for final development' bullets found in the letter",
                                 fix="check the letter has that heading followed by bullet points (- or •)"))
    data = root / "data"
    if not data.is_dir():
        raise InputError(Problem(str(root), "no data/ folder here", fix="pass --dir with the review project"))
    path = data / TRACKER
    rows = _read_tracker(path)
    known = {_key(r["point"]): r for r in rows}
    numbers = [int(m[1]) for r in rows if (m := re.fullmatch(r"QA(\d+)", r["id"]))]
    next_number = max(numbers, default=0) + 1
    added, kept = [], []
    for point in points:
        existing = known.get(_key(point))
        if existing is not None:
            kept.append(existing["id"])
            continue
        row = {"id": f"QA{next_number}", "point": point, "status": "open", "response": "", "where": ""}
        next_number += 1
        rows.append(row)
        known[_key(point)] = row
        added.append(row["id"])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    handle, temp = tempfile.mkstemp(dir=data, prefix=".qa_tracker.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(buffer.getvalue())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return ImportResult(rows, added, kept, path)
