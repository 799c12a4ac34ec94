"""Short standard sections built from review.yml: dissemination."""
from __future__ import annotations

from ..errors import InputError, Problem
from ..model import Review
from ._review import get_review
from .markdown import Markdown, bullet_list, escape


def dissemination(review: Review | None = None) -> Markdown:
    """Who receives the report, as a bulleted list."""
    review = get_review(review)
    problems = dissemination_problems(review)
    if problems:
        raise InputError(problems)
    return Markdown(bullet_list(escape(r) for r in review.metadata.dissemination if r.strip()))


def dissemination_problems(review: Review, publish: bool = False) -> list[Problem]:
    """What stops dissemination() (``dhr check`` runs the same validation)."""
    if any(r.strip() for r in review.metadata.dissemination):
        return []
    return [Problem("data/review.yml", "the dissemination list is empty", key="dissemination",
                    fix="list who receives the report, including the Domestic Abuse Commissioner")]
