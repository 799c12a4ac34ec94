"""DHR-L: language rules (victim-blaming, mutualising, perpetrator-excusing, stigmatising, outdated).

The rules are data (``rules/language.yml``). All patterns are compiled once into a single regular
expression, so each text is scanned once whatever the number of rules. For speed, the alternation is
dispatched on the first letter of each pattern (``(?=d)(?:did…|does…)|(?=f)(?:fail…)``): at a word
start the engine tries only the patterns that can begin there (35x faster than a flat alternation).
"""
from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from .catalogue import load_rule_data
from .document import Document, Segment
from .findings import Finding
from .workspace import DataText, Workspace


@dataclass(frozen=True)
class LanguageRule:
    id: str
    family: str
    severity: str
    message: str
    suggestion: str
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


def first_letters(pattern: str) -> set[str] | None:
    """The lower-case characters a match of ``pattern`` can start with; None when not determinable."""

    def first(items) -> set[str] | None:
        found: set[str] = set()
        for op, av in items:
            if op is sre.LITERAL:
                return found | {chr(av).lower()}
            if op is sre.IN:
                for kind, value in av:
                    if kind is sre.LITERAL:
                        found.add(chr(value).lower())
                    elif kind is sre.RANGE:
                        found.update(chr(c).lower() for c in range(value[0], value[1] + 1))
                    else:
                        return None
                return found
            if op is sre.SUBPATTERN:
                inner = first(av[3])
                return None if inner is None else found | inner
            if op is sre.BRANCH:
                for branch in av[1]:
                    inner = first(branch)
                    if inner is None:
                        return None
                    found |= inner
                return found
            if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
                inner = first(av[2])
                if inner is None:
                    return None
                found |= inner
                if av[0] > 0:
                    return found
                continue
            if op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):
                continue
            return None
        return None

    return first(sre_parse.parse(pattern, re.IGNORECASE))


class Linter:
    """All language rules as one compiled regular expression."""

    def __init__(self, entries: list[dict], sources: dict[str, str]):
        self.rules: dict[str, LanguageRule] = {}
        by_letter: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for entry in entries:
            exceptions = entry.get("exceptions") or []
            exception_re = re.compile("|".join(_bounded(p) for p in exceptions), re.IGNORECASE) \
                if exceptions else None
            rule = LanguageRule(entry["id"], entry.get("family", ""), entry["severity"], entry["message"],
                                entry["suggestion"], sources.get(entry.get("source", ""), entry.get("source", "")),
                                exception_re)
            self.rules[rule.id] = rule
            for pattern in entry["patterns"]:
                flexible = _flexible_spaces(pattern)
                for letter in sorted(first_letters(flexible) or {""}):
                    by_letter[letter][rule.id].append(flexible)
        parts = []
        for index, (letter, rules) in enumerate(sorted(by_letter.items())):
            alternatives = "|".join(f"(?P<g{index}__{rule_id.replace('-', '_')}>" + "|".join(patterns) + ")"
                                    for rule_id, patterns in rules.items())
            parts.append((f"(?={re.escape(letter)})" if letter else "") + f"(?:{alternatives})")
        self.pattern = re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)

    def scan(self, text: str) -> Iterator[tuple[LanguageRule, int, int]]:
        """(rule, start, end) of each match not cancelled by one of the rule's exceptions."""
        for match in self.pattern.finditer(text):
            rule = self.rules[match.lastgroup.split("__", 1)[1].replace("_", "-")]
            start, end = match.span()
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
    return Linter(data["rules"], data.get("sources") or {})


def _finding(rule: LanguageRule, file: str, line: int, column: int, matched: str, where: str = "") -> Finding:
    phrase = " ".join(matched.split())
    return Finding(rule.id, rule.severity, file, line, column, f"{rule.message}: \"{phrase}\"{where}",
                   f"use {rule.suggestion}" if not rule.suggestion.startswith(("use", "describe", "say", "name"))
                   else rule.suggestion)


def lint_segments(file: str, segments: Iterable[Segment], where: str = "") -> list[Finding]:
    found = []
    lint = linter()
    for segment in segments:
        for rule, start, end in lint.scan(segment.text):
            line, column = segment.locate(start)
            found.append(_finding(rule, file, line, column, segment.text[start:end], where))
    return found


def lint_data(texts: Iterable[DataText]) -> list[Finding]:
    found = []
    lint = linter()
    for item in texts:
        if item.quote:
            continue
        for rule, start, end in lint.scan(item.text):
            found.append(_finding(rule, item.file, item.line, 1, item.text[start:end], f" in {item.label}"))
    return found


def suppression_findings(doc: Document) -> list[Finding]:
    return [Finding("DHR-L000", "error", doc.file, s.line, s.column,
                    f"suppression of {', '.join(s.rules)} has no reason",
                    f"write why, e.g. <!-- dhr-disable {s.rules[0]}: quoting the IMR's own wording -->")
            for s in doc.suppressions if not s.reason]


def check_language(ws: Workspace) -> list[Finding]:
    found: list[Finding] = []
    for doc in ws.documents:
        found += lint_segments(doc.file, doc.prose)
        found += suppression_findings(doc)
    found += lint_data(ws.data_texts)
    return found
