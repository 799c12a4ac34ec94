"""DHR-L: language rules (victim-blaming, mutualising, perpetrator-excusing, stigmatising, outdated).

The rules are data (``rules/language.yml``). All patterns are compiled once into one regular
expression dispatched on first letters (:mod:`.fastscan`), so each text is scanned once, fast, however
many rules there are.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from .catalogue import Where, finding, load_rule_data, where
from .document import Document, Segment, joined
from .fastscan import DispatchScanner
from .findings import Finding
from .quotes import mask_others_words
from .workspace import DataText, Workspace


@dataclass(frozen=True)
class LanguageRule:
    """A language rule's patterns (severity and wording are the catalogue's, by id)."""

    id: str
    category: str
    source: str
    exceptions: re.Pattern | None


def _flexible_spaces(pattern: str) -> str:
    """A literal space matches any whitespace run (phrases may wrap lines); ' ?' matches optional space.
    Spaces inside character classes are left alone."""
    out: list[str] = []
    in_class = escaped = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif in_class:
            out.append(char)
            in_class = char != "]"
        elif char == "[":
            out.append(char)
            in_class = True
        elif char == " ":
            if pattern[i + 1:i + 2] == "?":
                out.append(r"\s*")
                i += 1
            else:
                out.append(r"\s+")
        else:
            out.append(char)
        i += 1
    return "".join(out)


def _bounded(pattern: str) -> str:
    return rf"(?<![\w-])(?:{_flexible_spaces(pattern)})(?![\w])"


class Linter:
    """All language rules as one compiled regular expression."""

    def __init__(self, entries: list[dict], sources: dict[str, str], macros: dict[str, str] | None = None):
        self.rules: dict[str, LanguageRule] = {}
        groups = []

        def expand(pattern: str) -> str:
            for name, value in (macros or {}).items():
                pattern = pattern.replace("{" + name + "}", value)
            return pattern

        for entry in entries:
            exceptions = [expand(e) for e in entry.get("exceptions") or []]
            exception_re = re.compile("|".join(_bounded(p) for p in exceptions), re.IGNORECASE) \
                if exceptions else None
            rule = LanguageRule(entry["id"], entry.get("category", ""),
                                sources.get(entry.get("source", ""), entry.get("source", "")), exception_re)
            self.rules[rule.id] = rule
            groups.append((rule.id, [_flexible_spaces(expand(p)) for p in entry["patterns"]]))
        self.scanner = DispatchScanner(groups)

    def scan(self, text: str) -> Iterator[tuple[LanguageRule, int, int]]:
        """(rule, start, end) of each match not cancelled by one of the rule's exceptions."""
        for rule_id, start, end in self.scanner.finditer(text):
            rule = self.rules[rule_id]
            if rule.exceptions is not None:
                window_start = max(0, start - 100)
                window = text[window_start:end + 100]
                if any(e.start() + window_start < end and e.end() + window_start > start
                       for e in rule.exceptions.finditer(window)):
                    continue
            yield rule, start, end


@cache
def linter() -> Linter:
    data = load_rule_data("language.yml")
    return Linter(data["rules"], data.get("sources") or {}, data.get("macros") or {})


def _finding(rule: LanguageRule, file: str, line: int, column: int, matched: str, at: Where | None = None) -> Finding:
    return finding(rule.id, file, line, column, at=at, match=" ".join(matched.split()))


_SCANS: dict[str, list] = {}  # text → its matches, in this process (the preview checks every chapter per save)


def lint_text(text: str) -> list[tuple[LanguageRule, int, int]]:
    """The language rules' matches in the author's own words: names of organisations and statutes and
    quotations (:mod:`.quotes`) are skipped. Remembered by text: most of a review has not changed since
    the last check."""
    found = _SCANS.get(text)
    if found is None:
        found = list(linter().scan(mask_others_words(text)))
        if len(_SCANS) >= 1024:
            _SCANS.pop(next(iter(_SCANS)))
        _SCANS[text] = found
    return found


def lint_segments(file: str, segments: Iterable[Segment], at: Where | None = None) -> list[Finding]:
    found = []
    text, locate = joined(list(segments))
    for rule, start, end in lint_text(text):
        place = locate(start, end)
        if place is not None:
            segment, offset = place
            line, column = segment.locate(offset)
            found.append(_finding(rule, file, line, column, text[start:end], at))
    return found


def lint_data(texts: Iterable[DataText]) -> list[Finding]:
    found = []
    for item in texts:
        if item.quote:
            continue
        for rule, start, end in lint_text(item.text):
            found.append(_finding(rule, item.file, item.line, 1, item.text[start:end], where("data", label=item.label)))
    return found


def suppression_findings(doc: Document) -> list[Finding]:
    return [finding("DHR-L000", doc.file, s.line, s.column, rules=", ".join(s.rules), first=s.rules[0])
            for s in doc.suppressions if not s.reason]


def check_language(ws: Workspace) -> list[Finding]:
    found: list[Finding] = []
    for doc in ws.documents:
        found += lint_segments(doc.file, doc.prose)
        found += suppression_findings(doc)
    found += lint_data(ws.data_texts)
    return found
