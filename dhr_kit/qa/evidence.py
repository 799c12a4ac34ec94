"""DHR-E: evidence — research claims carry a citation; every citation key is in the bibliography."""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from .catalogue import finding, load_rule_data
from .document import Segment
from .fastscan import DispatchScanner
from .findings import Finding
from .language import _flexible_spaces
from .workspace import Workspace

# Pandoc citations: [@key], [see @key, p. 3], @key in text; not e-mail addresses or cross-references.
_CITATION = re.compile(r"(?<![\w@.])-?@\{?([A-Za-z0-9_][\w:.#$%&\-+?<>~/]*?)\}?(?=[\s;,\].)]|$)")
_CROSSREF = re.compile(r"^(?:fig|tbl|sec|eq|lst|thm|lem|cor|prp|cnj|def|exm|exr|nte|wrn|tip|imp|cau)-")
_BIB_ENTRY = re.compile(r"@\s*(\w+)\s*[{(]\s*([^,\s]+)\s*,")


@cache
def claims_scanner() -> DispatchScanner:
    claims = load_rule_data("evidence.yml")["claims"]
    return DispatchScanner([("claim", [_flexible_spaces(c) for c in claims])])


@cache
def population_claims() -> tuple[re.Pattern, tuple[str, ...]] | None:
    """Claims about populations ("one in four women", "a strong link between"), as one expression tried
    only on paragraphs that contain one of its gate strings (rules/evidence.yml)."""
    data = load_rule_data("evidence.yml").get("population_claims") or {}
    if not data.get("patterns"):
        return None
    expression = r"(?<![\w.-])(?:" + "|".join(_flexible_spaces(p) for p in data["patterns"]) + r")(?!\w)"
    return re.compile(expression, re.IGNORECASE), tuple(data.get("gates") or ())


def citations(text: str) -> list[tuple[int, str]]:
    """(offset, key) of each citation in text, cross-references excluded."""
    if "@" not in text:
        return []
    return [(m.start(1) - 1, m.group(1).rstrip(".:")) for m in _CITATION.finditer(text)
            if not _CROSSREF.match(m.group(1))]


def bibliography_keys(paths: Iterable[Path]) -> set[str]:
    keys: set[str] = set()
    for path in paths:
        if path.is_file() and path.suffix.lower() == ".bib":
            for kind, key in _BIB_ENTRY.findall(path.read_text(encoding="utf-8", errors="replace")):
                if kind.lower() not in ("comment", "string", "preamble"):
                    keys.add(key)
    return keys


def claim_findings(file: str, segments: Iterable[Segment]) -> list[Finding]:
    """Research claims without a citation (the QA Panel returns reports for unsupported claims);
    suppress a false positive inline, with a reason."""
    found = []
    scanner = claims_scanner()
    for segment in segments:
        if citations(segment.text):
            continue
        spans = [(start, end) for _, start, end in scanner.finditer(segment.text)]
        population = population_claims()
        if population is not None:
            lowered = segment.text.lower()
            if any(gate in lowered for gate in population[1]):
                spans += [m.span() for m in population[0].finditer(segment.text)]
        for start, end in sorted(spans):
            line, column = segment.locate(start)
            found.append(finding("DHR-E001", file, line, column, claim=" ".join(segment.text[start:end].split())))
    return found


def check_evidence(ws: Workspace) -> list[Finding]:
    found: list[Finding] = []
    keys = bibliography_keys(ws.project.bibliography)
    for doc in ws.documents:
        found += claim_findings(doc.file, [s for s in doc.segments if s.kind == "prose"])
        for segment in doc.segments:
            if segment.kind == "quote":
                continue
            for offset, key in citations(segment.text):
                if key not in keys:
                    line, column = segment.locate(offset)
                    found.append(finding("DHR-E002", doc.file, line, column, key=key))
    return found
