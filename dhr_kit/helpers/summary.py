"""The data-built block of the executive summary: people, month of death, agencies, period, outcomes."""
from __future__ import annotations

from collections import Counter

from ..model import PARALLEL_REVIEW_TYPES, Review
from ._review import get_review
from .dates import month_label
from .markdown import Markdown, bullet_list, escape, join_blocks, sentence
from .panel import number_word
from .plan import SCOPES


def _person(pseudonym: str, detail: str) -> str:
    return f"**{escape(pseudonym)}**" + (f", {escape(detail)}" if detail else "")


def _people(review: Review) -> list[str]:
    victim, perpetrator = review.victim, review.perpetrator
    lines = [_person(victim.pseudonym, f"the victim{f', aged {victim.age}' if victim.age else ''}"),
             _person(perpetrator.pseudonym,
                     f"the perpetrator{f', aged {perpetrator.age}' if perpetrator.age else ''}")]
    lines += [_person(p.pseudonym, p.relationship) for p in review.metadata.others]
    return lines


def _scope_counts(review: Review) -> str:
    counts = Counter(r.scope for r in review.recommendations)
    total = len(review.recommendations)
    parts = [f"{counts[s]} {s}" for s in SCOPES if counts[s]]
    return f"{total} recommendation{'s' if total != 1 else ''}" + (f" ({', '.join(parts)})" if parts else "")


def executive_summary(review: Review | None = None) -> Markdown:
    """Facts for the executive summary chapter, all from the data (no prose judgement)."""
    review = get_review(review)
    meta = review.metadata
    involved = [a for a in meta.agencies if a.involved]
    facts = [
        f"{escape(meta.victim.pseudonym)} died in {meta.death.label}.",
        f"{number_word(len(involved)).capitalize()} agenc{'ies' if len(involved) != 1 else 'y'} had contact "
        f"with the people in this review.",
    ]
    chronology = review.chronology
    if not chronology.empty:
        facts.append(f"The chronology covers {month_label(chronology['date'].min())} to "
                     f"{month_label(chronology['date'].max())} ({len(chronology)} events).")
    facts.append(f"The review makes {_scope_counts(review)}.")
    outcomes = [f"{escape(PARALLEL_REVIEW_TYPES.get(p.type, p.type))}: {escape(p.decision)}"
                + (f" — {sentence(p.outcome)}" if p.outcome else ".") for p in review.parallel_reviews]
    blocks = ["The people in this review (pseudonyms):", bullet_list(_people(review)), " ".join(facts)]
    if outcomes:
        blocks += ["Parallel reviews:", bullet_list(outcomes)]
    return Markdown(join_blocks(blocks))
