"""qa.fastscan: the first letters read from a pattern's text, and the dispatching scanner against a plain
alternation of the same rule patterns."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from dhr_kit.qa.catalogue import load_rule_data
from dhr_kit.qa.fastscan import DispatchScanner, first_letters
from dhr_kit.qa.language import _flexible_spaces

ROOT = Path(__file__).resolve().parent.parent

FIRST_LETTERS = [
    ("fail(?:s|ed)?\\s+to\\s+engage", {"f"}),
    ("(?:did|would)(?:n't|\\s+not)\\s+want", {"d", "w"}),
    ("(?:just\\s+)?flipped", {"j", "f"}),
    ("[A-Cz]ed", {"a", "b", "c", "z"}),
    ("(?<!a)b", {"b"}),
    ("(?=q)r", {"r"}),
    ("a{0,2}b", {"a", "b"}),
    ("a{2}x", {"a"}),
    ("(a|b*)c", {"a", "b", "c"}),
    ("\\bword", {"w"}),
    ("honou?r\\s+[\\w-]+", {"h"}),  # what follows the first item is not read
    ("x+?y", {"x"}),
    (".x", None),  # any character
    ("\\wy", None),
    ("[^a]b", None),
    ("(?i)abc", None),  # inline flags are not followed
    ("a|", None),  # can match nothing
    ("a*", None),
]


@pytest.mark.parametrize(("pattern", "expected"), FIRST_LETTERS)
def test_first_letters(pattern, expected):
    assert first_letters(pattern) == expected


def _rule_patterns() -> list[tuple[str, str]]:
    language = load_rule_data("language.yml")
    macros = language.get("macros") or {}
    patterns = []
    for rule in language["rules"]:
        for pattern in rule["patterns"]:
            for name, value in macros.items():
                pattern = pattern.replace("{" + name + "}", value)
            patterns.append((rule["id"], _flexible_spaces(pattern)))
    return patterns + [("claim", _flexible_spaces(c)) for c in load_rule_data("evidence.yml")["claims"]]


def test_every_rule_pattern_has_known_first_letters():
    assert [p for _, p in _rule_patterns() if not first_letters(p)] == []


def _texts() -> str:
    chapters = sorted((ROOT / "chapters").glob("*.qmd")) + sorted((ROOT / "tests" / "fixtures").rglob("*.qmd"))
    return "\n\n".join(p.read_text(encoding="utf-8") for p in chapters)


def test_every_match_starts_with_one_of_its_first_letters():
    text = _texts()
    for _, pattern in _rule_patterns():
        letters = first_letters(pattern)
        for match in re.finditer(pattern, text, re.IGNORECASE):
            if match.group(0):
                assert match.group(0)[0].lower() in letters, (pattern, match.group(0))


def test_the_scanner_finds_what_a_plain_alternation_finds():
    groups: dict[str, list[str]] = {}
    for rule, pattern in _rule_patterns():
        groups.setdefault(rule, []).append(pattern)
    text = _texts() + "\nShe refused support. Research shows it. He did not want help; a chaotic lifestyle.\n"
    scanner = DispatchScanner(list(groups.items()))
    found = {(start, end) for _, start, end in scanner.finditer(text)}
    plain = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for ps in groups.values() for p in ps) + r")(?!\w)",
                       re.IGNORECASE)
    expected = {(m.start(), m.end()) for m in plain.finditer(text)}
    assert found and found >= expected  # and the overlapping matches a plain alternation skips
    for rule, patterns in groups.items():  # every match of each rule on its own
        alone = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in patterns) + r")(?!\w)", re.IGNORECASE)
        assert {(m.start(), m.end()) for m in alone.finditer(text)} <= found, rule


def test_overlapping_matches_of_different_groups_are_all_found():
    scanner = DispatchScanner([("outdated", ["domestic violence"]), ("witness", ["witness(?:ed)? (?:domestic )?violence"]),
                               ("short", ["witness"]), ("long", ["witnessed domestic"])])
    found = sorted(scanner.finditer("He witnessed domestic violence."))
    assert found == [("long", 3, 21), ("outdated", 13, 30), ("witness", 3, 30)]
    assert list(scanner.finditer("a witness")) == [("short", 2, 9)]
