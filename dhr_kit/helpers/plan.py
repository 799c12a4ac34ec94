"""Recommendations, and the action plan annex (actions, milestones, status, dated updates, progress)."""
from __future__ import annotations

from collections import Counter
from typing import Literal

from ..errors import InputError, Problem
from ..model import Action, Recommendation, Review
from ._review import get_review
from .dates import day_label, humanise_dates
from .markdown import Markdown, bullet_list, escape, join_blocks, pipe_table, sentence
from .panel import agency_name

SCOPES = ("local", "regional", "national")
STATUSES = ("completed", "in progress", "not started", "overdue")
LIVE_DOCUMENT = ("This action plan is a live document: it is subject to change as outcomes are delivered, "
                 "and {csp} will keep it under review until every action is complete.")


def _rec_row(review: Review, rec: Recommendation, compact: bool) -> tuple:
    if compact:
        return (rec.id, agency_name(review, rec.agency), rec.text)
    return (rec.id, agency_name(review, rec.agency), rec.scope.capitalize(), rec.text, ", ".join(rec.tor))


def recommendations(review: Review | None = None, by: Literal["scope", "agency"] = "scope", *,
                    compact: bool = False, label: str = "tbl-recommendations",
                    caption: str = "The review's recommendations") -> Markdown:
    """The recommendations as one captioned table, ordered by scope (local, regional, national) or by agency.

    ``compact=True`` drops the scope and ToR columns (e.g. for the executive summary); give each call its
    own ``label`` when the recommendations appear twice in the book.
    """
    review = get_review(review)
    if by not in ("scope", "agency"):
        raise InputError(Problem("chapter cell", f"recommendations(by={by!r}) is not known", key="by",
                                 fix="use by='scope' or by='agency'"))
    if not review.recommendations:
        return Markdown("The review makes no recommendations.")
    if by == "scope":
        ordered = [r for scope in SCOPES for r in review.recommendations if r.scope == scope]
    else:
        order = list(dict.fromkeys(r.agency for r in review.recommendations))
        ordered = [r for a in order for r in review.recommendations if r.agency == a]
    headers, widths = (["ID", "Agency", "Recommendation"], [6, 24, 70]) if compact else \
        (["ID", "Agency", "Scope", "Recommendation", "ToR"], [6, 20, 11, 51, 12])
    return Markdown(pipe_table(headers, [_rec_row(review, r, compact) for r in ordered], widths=widths,
                               caption=caption, label=label))


def progress_summary(actions: list[Action]) -> str:
    """'14 actions: 3 completed, 8 in progress, 2 not started, 1 overdue.'"""
    counts = Counter(a.status for a in actions)
    parts = [f"{counts[s]} {s}" for s in STATUSES if counts[s]]
    total = len(actions)
    return f"Progress: {total} action{'s' if total != 1 else ''} — {', '.join(parts)}."


def _recommendation_block(review: Review, rec: Recommendation) -> str:
    agency = agency_name(review, rec.agency)
    # The lead agency is named once: not again in brackets when the recommendation starts with its name.
    named = rec.text.lstrip().lower().startswith(agency.lower())
    lead = (f"**{escape(rec.id)}** ({rec.scope}{'' if named else f'; lead agency: {escape(agency)}'}). "
            f"{sentence(rec.text)}")
    actions = review.actions_for(rec.id)
    if not actions:
        return join_blocks([lead, "No action has been recorded for this recommendation yet."])
    table = pipe_table(["Action", "Lead", "Milestones", "Target date", "Status"],
                       [(a.action, a.lead, humanise_dates(a.milestones), a.target_date.label, a.status.capitalize())
                        for a in actions],
                       widths=[30, 21, 27, 11, 11], caption=f"Actions for recommendation {rec.id}",
                       label=f"tbl-actions-{rec.id.lower()}")
    updates = sorted({(u.date, u.text) for a in actions for u in a.updates})
    blocks = [lead, table]
    if updates:
        # A definition list: the label and its updates stay together (never a label alone at a page foot).
        items = bullet_list(f"{day_label(day)}: {sentence(humanise_dates(text))}" for day, text in updates)
        blocks.append("Implementation updates\n\n:   " + items.replace("\n", "\n    "))
    return join_blocks(blocks)


def action_plan(review: Review | None = None) -> Markdown:
    """The action plan annex: the live-document statement, progress by status, then each recommendation's
    actions (lead, milestones, target date, status) and dated implementation updates."""
    review = get_review(review)
    live = LIVE_DOCUMENT.format(csp=escape(review.metadata.csp))
    blocks = [live, progress_summary(review.action_plan) if review.action_plan else "No actions recorded yet."]
    blocks += [_recommendation_block(review, rec) for rec in review.recommendations]
    return Markdown(join_blocks(blocks))
