"""The title page: CSP, title, the victim's pseudonym and the month and year of death (never the day)."""
from __future__ import annotations

from ..model import Review
from ._review import get_review
from .markdown import Markdown, escape, join_blocks


def title_page_data(review: Review | None = None) -> dict[str, str]:
    """The title page's fields, used by the Typst and HTML templates and by :func:`title_page`."""
    review = get_review(review)
    meta = review.metadata
    return {
        "csp": meta.csp,
        "title": meta.title,
        "victim": meta.victim.pseudonym,
        "died": f"who died in {meta.death.label}",
        "chair": meta.chair.name,
        "author": review.author.name,
        "date": meta.dates.completed.label,
        "marking": meta.protective_marking,
    }


def _people_lines(review: Review) -> list[str]:
    chair, author = review.metadata.chair, review.author
    if review.metadata.author is None or author.name == chair.name:
        return [f"{escape(chair.role)}: {escape(chair.name)}"]
    return [f"{escape(chair.role)}: {escape(chair.name)}", f"{escape(author.role)}: {escape(author.name)}"]


def title_page(review: Review | None = None) -> Markdown:
    """The title page block: marking, CSP, title, '<pseudonym>, who died in <Month Year>', chair, date."""
    review = get_review(review)
    data = title_page_data(review)
    people = "  \\\n".join([*_people_lines(review), f"Report completed: {escape(data['date'])}"])
    body = join_blocks([
        escape(data["marking"]),
        f"**{escape(data['csp'])}**",
        f"**{escape(data['title'])}**",
        f"{escape(data['victim'])}, {escape(data['died'])}",
        people,
    ])
    return Markdown(f"::: {{.title-page}}\n{body}\n:::")
