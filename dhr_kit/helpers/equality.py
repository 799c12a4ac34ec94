"""Equality and diversity: the nine protected characteristics of the Equality Act 2010, each with a
case-specific reason, and an analysis of every relevant one."""
from __future__ import annotations

import re

from ..errors import InputError, Problem
from ..model import PROTECTED_CHARACTERISTICS, ProtectedCharacteristic, Review
from ._review import get_review
from .markdown import Markdown, escape_paragraphs, join_blocks, pipe_table

FILE = "data/protected_characteristics.yml"
MIN_REASON_CHARS = 40
STOCK_PHRASES: tuple[str, ...] = (
    "no evidence",
    "not relevant",
    "n/a",
    "not applicable",
    "nothing to suggest",
    "none identified",
    "no issues",
    "no concerns",
    "not known",
    "unknown",
    "none",
    "nil",
    "see above",
    "tbc",
    "to be confirmed",
)
"""Stock phrases that, without a mention of anyone in the case, make a reason generic."""

LABELS: dict[str, str] = {
    "age": "Age",
    "disability": "Disability",
    "gender_reassignment": "Gender reassignment",
    "marriage_and_civil_partnership": "Marriage and civil partnership",
    "pregnancy_and_maternity": "Pregnancy and maternity",
    "race": "Race",
    "religion_or_belief": "Religion or belief",
    "sex": "Sex",
    "sexual_orientation": "Sexual orientation",
}


def _mentions(text: str, words: list[str]) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.IGNORECASE) for w in words if w)


def is_generic(reason: str, pseudonyms: list[str]) -> bool:
    """True when a reason says nothing specific to the case: too short, or a stock phrase naming no one."""
    text = " ".join(reason.split())
    if len(text) < MIN_REASON_CHARS:
        return True
    return _mentions(text, list(STOCK_PHRASES)) and not _mentions(text, pseudonyms)


def _pseudonyms(review: Review) -> list[str]:
    return [review.victim.pseudonym, review.perpetrator.pseudonym, *(p.pseudonym for p in review.metadata.others)]


def _problems(review: Review) -> list[Problem]:
    problems = []
    for key in PROTECTED_CHARACTERISTICS:
        item = review.protected_characteristics.get(key)
        if item is None:
            problems.append(Problem(FILE, f"{LABELS[key].lower()} is missing", key=key,
                                    fix=f"add `{key}:` with `relevant:` (true/false) and a case-specific `reason:`"))
    # Whether a reason is generic or an analysis too thin is DHR-S013's to judge (`dhr check`, and the
    # render's source gate, which lists it on a draft's findings page): the helper refuses only what it
    # cannot show, so that it never stops a build the rule lets through (dhr check and dhr render agree).
    return problems


def characteristics_problems(review: Review, publish: bool = False) -> list[Problem]:
    """What stops protected_characteristics() (``dhr check`` runs the same validation)."""
    return _problems(review)


def protected_characteristics(review: Review | None = None, *, analyses: bool = True) -> Markdown:
    """A table of all nine characteristics (relevant or not, and why), then an analysis of each relevant one.

    Pass ``analyses=False`` when the chapter analyses the relevant characteristics in its own sections,
    so that no characteristic is analysed twice (``dhr check`` rule DHR-R003).
    """
    review = get_review(review)
    problems = _problems(review)
    if problems:
        raise InputError(problems)
    items: list[ProtectedCharacteristic] = [review.protected_characteristics[k] for k in PROTECTED_CHARACTERISTICS]
    table = pipe_table(["Protected characteristic", "Relevant", "Reason"],
                       [(LABELS[i.key], "Relevant" if i.relevant else "Not relevant", i.reason) for i in items],
                       widths=[26, 16, 58], caption="The protected characteristics of the Equality Act 2010",
                       label="tbl-protected-characteristics")
    if not analyses:
        return Markdown(table)
    paragraphs = [f"**{LABELS[i.key]}.** " + escape_paragraphs(i.analysis) for i in items if i.relevant]
    return Markdown(join_blocks([table, *paragraphs]))
