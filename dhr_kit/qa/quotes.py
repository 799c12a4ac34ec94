"""Whose words: the spans of a text that are others' words, which the language rules skip.

Two kinds, both offset-preserving (masked with spaces, so a finding still points at its line and column):

* **names** of organisations, statutes, schemes and roles that contain a flagged phrase ("Standing
  Together Against Domestic Violence", "Domestic Violence, Crime & Victims Act 2004"): data, in
  ``rules/others_words.yml``, each with the source where the name is published; matched case-sensitively
  (a Title Case name is skipped, the author's own lower-case "domestic violence" is not);
* **quotations** inside a paragraph: “…”, "…", ‘…’ and '…' (an apostrophe inside or after a word does
  not open or close one). Block quotes, ``[…]{.quote}`` spans and quote divs are already left out of the
  prose by :mod:`.document`.

The anonymity rules never use this: a real name or a date of death is identifying in anyone's words.
"""
from __future__ import annotations

import re
from functools import cache

from .catalogue import load_rule_data

_BODY = r"(?:[^{close}\n]|\n(?!\s*\n){more}){{1,800}}?"
_QUOTATIONS = re.compile("|".join([
    r"“" + _BODY.format(close="”", more="") + r"”",
    r"(?<![\w\"])\"(?=\S)" + _BODY.format(close='"', more="") + r"(?<=\S)\"(?!\w)",
    r"(?<!\w)‘(?=\S)" + _BODY.format(close="’", more=r"|’(?=\w)") + r"(?<=\S)’(?!\w)",
    r"(?<![\w'])'(?=\w)" + _BODY.format(close="'", more=r"|'(?=\w)") + r"(?<=[\w.,!?)])'(?!\w)",
]))


@cache
def _names() -> re.Pattern | None:
    entries = load_rule_data("others_words.yml").get("names") or []
    patterns = [re.sub(r"(?<!\\) ", r"\\s+", entry["pattern"]) for entry in entries]
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def others_words(text: str) -> list[tuple[int, int]]:
    """(start, end) of every name from the data and every quotation in ``text``."""
    spans = [m.span() for m in _QUOTATIONS.finditer(text)] if any(q in text for q in "“\"‘'") else []
    names = _names()
    if names is not None:
        spans += [m.span() for m in names.finditer(text)]
    return spans


def mask_others_words(text: str) -> str:
    """``text`` with others' words replaced by spaces (line breaks kept, so offsets still map)."""
    spans = others_words(text)
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for index in range(start, end):
            if chars[index] != "\n":
                chars[index] = " "
    return "".join(chars)
