"""Short standard sections built from review.yml: dissemination."""
from __future__ import annotations

from ..errors import InputError, Problem
from ..model import Review
from ._review import get_review
from .markdown import Markdown, bullet_list, escape


def dissemination(review: Review | None = None) -> Markdown:
    """Who receives the report, as a bulleted list."""
    review = get_review(review)
    recipients = [r for r in review.metadata.dissemination if r.strip()]
    if not recipients:
        raise InputError(Problem("data/review.yml", "the dissemination list is empty", key="dissemination",
                                 fix="list who receives the report, including the Domestic Abuse Commissioner"))
    return Markdown(bullet_list(escape(r) for r in recipients))
