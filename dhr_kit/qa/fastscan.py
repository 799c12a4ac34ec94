"""Scanning text for many patterns in one pass of one regular expression.

A flat alternation of a hundred patterns, each with its own word-boundary look-behind, is slow in
Python's engine: every alternative is tried at every position. Here the word boundary is tested once,
and the alternatives are dispatched on their possible first letter
(``[^\\w-](?:(?=d)(?:did…|does…)|(?=f)(?:fail…)|…)``), so the engine jumps in C from one word
start to the next and tries only the patterns that can begin there — about 50x faster on a long
review than a flat alternation (see bench/check.py).
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

_ZERO_WIDTH_ESCAPES = set("bBAZ")
_ASSERTIONS = ("(?=", "(?!", "(?<=", "(?<!")


class _Unknown(Exception):
    """The pattern uses something this reading does not follow: dispatch it on every word."""


def first_letters(pattern: str) -> set[str] | None:
    """The lower-case characters a case-insensitive match of ``pattern`` can start with; None when not
    determinable.

    Reads the pattern's text (the rule data's patterns are plain words, groups, alternatives, classes and
    quantifiers); anything else — ``.``, ``\\w``, flags, back-references — gives None, and the pattern is
    then tried at every word (correct, only slower). Look-arounds are skipped: they consume nothing.
    """
    try:
        found, nullable, end = _alternatives(pattern, 0)
    except (_Unknown, IndexError):
        return None
    return found if end == len(pattern) and not nullable else None


def _alternatives(pattern: str, i: int) -> tuple[set[str], bool, int]:
    """First characters and whether it can match empty, of alternatives from ``i`` up to ``)`` or the end."""
    found: set[str] = set()
    nullable = False
    while True:
        first, empty, i = _sequence(pattern, i)
        found |= first
        nullable |= empty
        if i < len(pattern) and pattern[i] == "|":
            i += 1
            continue
        return found, nullable, i


def _sequence(pattern: str, i: int) -> tuple[set[str], bool, int]:
    found: set[str] = set()
    nullable = True  # so far every item could match empty
    while i < len(pattern) and pattern[i] not in "|)":
        if not nullable:  # the first characters are known: only find where the sequence ends
            i = _skip_item(pattern, i)
            _, i = _quantifier(pattern, i, False)
            continue
        first, empty, i = _item(pattern, i)
        empty, i = _quantifier(pattern, i, empty)
        found |= first
        nullable = empty
    return found, nullable, i


def _skip_item(pattern: str, i: int) -> int:
    """The index after the item at ``i`` (an escape, a class, a group with what it nests, or a character)."""
    char = pattern[i]
    if char == "\\":
        return i + 2
    if char == "[":
        i += 2 if pattern[i + 1] == "^" else 1
        i += 1  # a "]" first in a class is a member
        while pattern[i] != "]":
            i += 2 if pattern[i] == "\\" else 1
        return i + 1
    if char == "(":
        depth = 0
        while True:
            if pattern[i] in "\\[":
                i = _skip_item(pattern, i)
                continue
            depth += {"(": 1, ")": -1}.get(pattern[i], 0)
            i += 1
            if depth == 0:
                return i
    return i + 1


def _item(pattern: str, i: int) -> tuple[set[str], bool, int]:
    """(first characters, can match empty, index after the item) of the item at ``i``."""
    char = pattern[i]
    if char == "(":
        for prefix in _ASSERTIONS:
            if pattern.startswith(prefix, i):
                _, _, end = _alternatives(pattern, i + len(prefix))
                return set(), True, _closing(pattern, end)
        if pattern.startswith("(?:", i):
            start = i + 3
        elif pattern.startswith("(?P<", i):
            start = pattern.index(">", i) + 1
        elif pattern.startswith("(?", i):
            raise _Unknown  # inline flags, comments, conditionals
        else:
            start = i + 1
        first, empty, end = _alternatives(pattern, start)
        return first, empty, _closing(pattern, end)
    if char == "[":
        return _class(pattern, i)
    if char == "\\":
        escaped = pattern[i + 1]
        if escaped in _ZERO_WIDTH_ESCAPES:
            return set(), True, i + 2
        if escaped.isalnum():
            raise _Unknown  # \w, \s, \d, back-references…
        return {escaped.lower()}, False, i + 2
    if char in "^$":
        return set(), True, i + 1
    if char in ".*+?{":
        raise _Unknown
    return {char.lower()}, False, i + 1


def _closing(pattern: str, i: int) -> int:
    if pattern[i] != ")":
        raise _Unknown
    return i + 1


def _class(pattern: str, i: int) -> tuple[set[str], bool, int]:
    i += 1
    if pattern[i] == "^":
        raise _Unknown
    found: set[str] = set()
    first = True
    while pattern[i] != "]" or first:
        first = False
        char = pattern[i]
        if char == "\\":
            if pattern[i + 1].isalnum():
                raise _Unknown
            char = pattern[i + 1]
            i += 1
        if pattern[i + 1] == "-" and pattern[i + 2] != "]":
            high = pattern[i + 2]
            if high == "\\":
                raise _Unknown
            found.update(chr(c).lower() for c in range(ord(char), ord(high) + 1))
            i += 3
        else:
            found.add(char.lower())
            i += 1
    return found, False, i + 1


def _quantifier(pattern: str, i: int, empty: bool) -> tuple[bool, int]:
    if i >= len(pattern):
        return empty, i
    char = pattern[i]
    if char in "?*":
        empty, i = True, i + 1
    elif char == "+":
        i += 1
    elif char == "{":
        match = re.match(r"\{(\d*)(?:,(\d*))?\}", pattern[i:])
        if not match:
            raise _Unknown
        empty = empty or not match.group(1) or int(match.group(1)) == 0
        i += match.end()
    else:
        return empty, i
    if i < len(pattern) and pattern[i] in "?+":  # lazy or possessive
        i += 1
    return empty, i


_INITIAL_FREQUENCY = "tasohwibmfcldpnegryuvjkqxz"  # English word-initial letters, most frequent first


class DispatchScanner:
    """Named groups of patterns (no capturing groups inside) matched as whole words; ``finditer``
    yields (name, start, end) for every match of every group, overlapping ones included: a match that
    starts inside another group's match ("witnessed *domestic violence*") or at the same word is kept,
    so one rule's match never hides another's."""

    def __init__(self, groups: Iterable[tuple[str, list[str]]], flags: int = re.IGNORECASE):
        self.names: dict[str, str] = {}
        by_letter: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self._alone: dict[str, re.Pattern] = {}  # key -> the group's patterns alone, to test one word
        self._by_first: dict[str, list[str]] = defaultdict(list)  # first letter ("" any) -> keys
        for index, (name, patterns) in enumerate(groups):
            key = f"n{index}"
            self.names[key] = name
            self._alone[key] = re.compile("(?:" + "|".join(f"(?:{p})" for p in patterns) + r")(?!\w)", flags)
            for pattern in patterns:
                letters = first_letters(pattern)
                for letter in sorted(letters) if letters and all(ch.isalpha() for ch in letters) else [""]:
                    by_letter[letter][key].append(pattern)
                    if key not in self._by_first[letter]:
                        self._by_first[letter].append(key)
        parts = []
        ordered = sorted(by_letter.items(), key=lambda item: _INITIAL_FREQUENCY.find(item[0]) % 100)
        for number, (letter, keyed) in enumerate(ordered):
            alternatives = "|".join(f"(?P<d{number}_{key}>" + "|".join(patterns) + ")"
                                    for key, patterns in keyed.items())
            parts.append((f"(?={re.escape(letter)})" if letter else "") + f"(?:{alternatives})")
        # The match starts with the non-word character before the word: a character class as the first
        # item lets the engine skip ahead in C (a leading look-behind would be tried at every position).
        # Words starting with a letter no pattern starts with are rejected by one class test.
        letters = "".join(sorted(by_letter)) if "" not in by_letter else ""
        head = f"(?=[{re.escape(letters)}])" if letters else ""
        self.pattern = re.compile(r"[^\w-]" + head + "(?:" + "|".join(parts) + r")(?!\w)", flags)

    def finditer(self, text: str) -> Iterator[tuple[str, int, int]]:
        """(name, start, end) of each match in ``text``, leftmost first; a group's match inside an
        earlier match of the same group is not repeated."""
        padded = " " + text
        reach: dict[str, int] = {}  # key -> end of its last match (padded offsets)
        position = 0
        while True:
            match = self.pattern.search(padded, position)
            if match is None:
                return
            key = match.lastgroup.split("_", 1)[1]
            start = match.start(match.lastgroup)
            found = [(key, start, match.end(match.lastgroup))]
            # other groups that match at the same word (one alternation reports only its first)
            first = padded[start].lower()
            for other in dict.fromkeys([*self._by_first.get(first, []), *self._by_first.get("", [])]):
                if other != key:
                    alone = self._alone[other].match(padded, start)
                    if alone is not None:
                        found.append((other, start, alone.end()))
            for name_key, begin, end in found:
                if begin >= reach.get(name_key, 0):
                    reach[name_key] = end
                    yield self.names[name_key], begin - 1, end - 1
            position = start  # the next word may start inside this match
