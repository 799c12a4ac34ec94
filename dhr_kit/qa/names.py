"""The private deny-list of real names, and finding them in any text however they are written.

A names file has one real name a line (``#`` starts a comment). Each line is searched as a whole, and
each part of it of two or more letters on its own ("Zoë Hartley-Quinn" → "Zoë", "Hartley", "Quinn",
"Hartley-Quinn"). A part in parentheses is searched only inside the whole name — for a part that is
also an ordinary word: ``(May) Collins`` finds "May Collins" and "Collins", not the month.

Text and names are compared after the same folding, so spelling variants a reader would still
recognise are found: Unicode compatibility forms (NFKC) and case (casefold), accents dropped or
decomposed ("Anais" = "Anaïs", NFD text), typographic apostrophes ("O’Connor" = "O'Connor"), soft
hyphens, a name hyphenated across a line break ("Pem-⏎berton"), plural and possessive endings ("the
Pembertons", "Pembertons'"), and names inside identifiers (``Fenella_Quigley_home.svg``,
``@yardley2019``): only a letter next to a match stops it.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "`": "'"}
_DROPPED = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}  # soft hyphen, zero-width characters
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_HYPHENATED = re.compile(r"([^\W\d_]+)-[ \t]*\r?\n[ \t]*([^\W\d_]+)")
_LETTERS = re.compile(r"[^\W\d_]")


def fold_char(char: str) -> str:
    """One character as names are compared: no accents, no case, plain apostrophe."""
    if char in _APOSTROPHES:
        return "'"
    if char in _DROPPED:
        return ""
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """``text`` folded (see :func:`fold_char`); for names and short strings."""
    return "".join(fold_char(c) for c in unicodedata.normalize("NFKC", text))


@dataclass
class FoldedText:
    """A text folded for matching, and the way back from a folded offset to the original one."""

    text: str
    _starts: list[int]  # folded offset where each piece starts
    _pieces: list[tuple[int, bool]]  # (original offset, is an ASCII run copied one to one)

    @classmethod
    def of(cls, original: str) -> FoldedText:
        """Fold ``original``; ASCII runs are copied (lower-cased) in one step, so long texts stay fast."""
        parts: list[str] = []
        starts: list[int] = []
        pieces: list[tuple[int, bool]] = []
        length = 0

        def add(piece: str, at: int, run: bool) -> None:
            nonlocal length
            starts.append(length)
            pieces.append((at, run))
            parts.append(piece)
            length += len(piece)

        position = 0
        for match in _NON_ASCII.finditer(original):
            if match.start() > position:
                add(original[position:match.start()].lower(), position, True)
            for offset, char in enumerate(match.group(0)):
                folded = fold_char(char)
                if folded:
                    add(folded, match.start() + offset, False)
            position = match.end()
        if position < len(original):
            add(original[position:].lower(), position, True)
        return cls("".join(parts), starts, pieces)

    def original(self, offset: int) -> int:
        """The original offset of the folded character at ``offset``."""
        index = bisect.bisect_right(self._starts, offset) - 1
        if index < 0:
            return 0
        at, run = self._pieces[index]
        return at + (offset - self._starts[index] if run else 0)


@dataclass(frozen=True)
class NameMatch:
    """Where a listed name was found (offsets in the original text) and which names-file line it came from."""

    start: int
    end: int
    entry_line: int


class NameList:
    """The deny-list as one compiled pattern over folded text."""

    def __init__(self, names: Iterable[str] | Iterable[tuple[int, str]]):
        self.entries: dict[str, int] = {}  # folded token -> line of the names file that listed it
        for line, name in (item if isinstance(item, tuple) else (n, item) for n, item in enumerate(names, 1)):
            for token in _tokens(name):
                self.entries.setdefault(token, line)
        self._lines = {_key(token): line for token, line in reversed(self.entries.items())}
        self.count = len(self.entries)
        self.pattern: re.Pattern[str] | None = None
        if self.entries:
            alternatives = "|".join(re.escape(t).replace(r"\ ", r"\s+").replace("'", "'?")
                                    for t in sorted(self.entries, key=len, reverse=True))
            self.pattern = re.compile(rf"(?<![^\W\d_])(?:{alternatives})(?:'s|s'|es|s|')?(?![^\W\d_])")

    def __bool__(self) -> bool:
        return self.pattern is not None

    def finditer(self, text: str) -> Iterator[NameMatch]:
        """Every listed name in ``text``, in order (also those hyphenated across a line break)."""
        if self.pattern is None:
            return iter(())
        folded = FoldedText.of(text)
        found = [NameMatch(folded.original(m.start()), folded.original(m.end() - 1) + 1, self._line(m.group(0)))
                 for m in self.pattern.finditer(folded.text)]
        for match in _HYPHENATED.finditer(folded.text):
            joined = match.group(1) + match.group(2)
            hit = self.pattern.fullmatch(joined)
            if hit:
                found.append(NameMatch(folded.original(match.start()), folded.original(match.end() - 1) + 1,
                                       self._line(hit.group(0))))
        return iter(sorted(found, key=lambda m: m.start))

    def _line(self, matched: str) -> int:
        """The names-file line of the entry that ``matched`` (folded text, perhaps with an ending) came from."""
        key = _key(matched)
        for ending in ("", "s", "es"):
            if key.endswith(ending) and key[: len(key) - len(ending)] in self._lines:
                return self._lines[key[: len(key) - len(ending)]]
        return 0


def _key(token: str) -> str:
    return re.sub(r"\s+", " ", token).replace("'", "")


def _tokens(name: str) -> set[str]:
    """The folded whole name and each searchable part of a names-file line."""
    name = " ".join(name.split())
    if not name:
        return set()
    whole = fold(re.sub(r"[()]", "", name))
    tokens = {whole} if _LETTERS.search(whole) else set()
    for word in name.split(" "):
        if word.startswith("(") and word.endswith(")"):
            continue  # searched only as part of the whole name
        folded = fold(word)
        for part in {folded, *re.split(r"[-‐]", folded)}:
            if len(_LETTERS.findall(part)) >= 2:
                tokens.add(part.strip("'"))
    return tokens
