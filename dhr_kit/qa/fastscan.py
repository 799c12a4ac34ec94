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
import re._constants as sre
import re._parser as sre_parse
from collections import defaultdict
from collections.abc import Iterable, Iterator


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

    try:
        return first(sre_parse.parse(pattern, re.IGNORECASE))
    except re.error:
        return None


_INITIAL_FREQUENCY = "tasohwibmfcldpnegryuvjkqxz"  # English word-initial letters, most frequent first


class DispatchScanner:
    """Named groups of patterns (no capturing groups inside) matched as whole words; ``finditer``
    yields (name, match) for each match, leftmost first, without overlaps."""

    def __init__(self, groups: Iterable[tuple[str, list[str]]], flags: int = re.IGNORECASE):
        self.names: dict[str, str] = {}
        by_letter: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for index, (name, patterns) in enumerate(groups):
            key = f"n{index}"
            self.names[key] = name
            for pattern in patterns:
                letters = first_letters(pattern)
                for letter in sorted(letters) if letters and all(ch.isalpha() for ch in letters) else [""]:
                    by_letter[letter][key].append(pattern)
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
        """(name, start, end) of each match in ``text``."""
        for match in self.pattern.finditer(" " + text):
            key = match.lastgroup
            yield self.names[key.split("_", 1)[1]], match.start(key) - 1, match.end(key) - 1
