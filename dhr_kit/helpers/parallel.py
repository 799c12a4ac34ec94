"""Parallel reviews: criminal proceedings, inquest, MHHR, SAR, CSPR and IOPC — decision and rationale."""
from __future__ import annotations

from ..context import is_publish
from ..errors import InputError, Problem
from ..model import PARALLEL_REVIEW_TYPES, ParallelReview, Review
from ._review import get_review
from .markdown import Markdown, Raw, pipe_table, sentence

FILE = "data/parallel_reviews.yml"
NOT_RECORDED = "No decision recorded yet"


def problems_of(review: Review, publish: bool | None = None) -> list[Problem]:
    """What stops parallel_reviews() (``dhr check`` runs the same validation: see helpers/validation.py)."""
    return _problems(review, {p.type: p for p in review.parallel_reviews}, is_publish() if publish is None else publish)


def _problems(review: Review, by_type: dict[str, ParallelReview], publish: bool) -> list[Problem]:
    problems = []
    mental_health = [a.name for a in review.metadata.agencies if a.type == "mental-health" and a.involved]
    mhhr = by_type.get("mhhr")
    if mental_health and (mhhr is None or not mhhr.rationale.strip()):
        what = "has no entry" if mhhr is None else "has no rationale"
        problems.append(Problem(
            FILE, f"the Mental Health Homicide Review {what}, but {mental_health[0]} (mental health) was involved",
            key="mhhr" if mhhr is None else "mhhr.rationale",
            fix="add `- type: mhhr` with the decision (e.g. Not held) and the rationale: who decided, when, and why"))
    if publish:
        for kind, label in PARALLEL_REVIEW_TYPES.items():
            if kind not in by_type and not any(p.key and p.key.startswith(kind) for p in problems):
                problems.append(Problem(FILE, f"no decision recorded for the {label}", key=kind,
                                        fix=f"add `- type: {kind}` with its decision and rationale"))
    return problems


def parallel_reviews(review: Review | None = None) -> Markdown:
    """One row per kind of parallel review: its decision, and the rationale (and outcome) behind it."""
    review = get_review(review)
    by_type = {p.type: p for p in review.parallel_reviews}
    problems = _problems(review, by_type, is_publish())
    if problems:
        raise InputError(problems)
    rows = []
    for kind, label in PARALLEL_REVIEW_TYPES.items():
        item = by_type.get(kind)
        if item is None:
            rows.append((label, NOT_RECORDED, ""))
            continue
        detail = sentence(item.rationale)
        if item.outcome:
            detail += f" Outcome: {sentence(item.outcome)}"
        rows.append((label, item.decision, Raw(detail)))
    for item in review.parallel_reviews:  # other processes the data records (e.g. a professional standards review)
        if item.type not in PARALLEL_REVIEW_TYPES:
            rows.append((item.type, item.decision, Raw(sentence(item.rationale))))
    return Markdown(pipe_table(["Review", "Decision", "Rationale"], rows, widths=[26, 18, 56],
                               caption="Parallel reviews and proceedings: decisions and reasons",
                               label="tbl-parallel-reviews"))



