"""Build the versioned review record from a loaded review (no names of people, month-precision dates)."""
from __future__ import annotations

import re
from typing import Any

from .. import __version__
from ..model import Review
from .tables import export_tables, month
from .themes import themes_of

SCHEMA_VERSION = "1.0"
_TITLES = r"(?:(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof(?:essor)?)\.?\s+)?"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def review_id(review: Review) -> str:
    """A stable key for the review: its CSP and the month of the death ('calderbrook-csp-2024-03')."""
    return f"{slug(review.metadata.csp)}-{month(review.metadata.death)}"


def without_name(text: str, name: str, stand_in: str = "the chair") -> str:
    """``text`` with the person's name (whole, or title + surname, or first name) replaced by ``stand_in``."""
    parts = [p for p in re.split(r"\s+", re.sub(_TITLES, "", name).strip()) if len(p) > 1]
    if not parts:
        return text
    variants = sorted({" ".join(parts), parts[-1], parts[0]}, key=len, reverse=True)
    pattern = re.compile(_TITLES + "(?:" + "|".join(re.escape(v) for v in variants) + r")(?:['’]s)?\b")

    def replace(match: re.Match[str]) -> str:
        possessive = "'s" if match.group(0).endswith(("'s", "’s")) else ""
        at_start = match.start() == 0 or text[:match.start()].rstrip().endswith((".", "!", "?"))
        word = stand_in[0].upper() + stand_in[1:] if at_start else stand_in
        return word + possessive
    return pattern.sub(replace, text)


def build_record(review: Review) -> dict[str, Any]:
    """The record (a dict that validates against dhr-record.schema.json)."""
    meta = review.metadata
    tables = export_tables(review)
    dates = meta.dates
    agency_types = {a.id: a.type for a in meta.agencies}
    actions = []
    for row, action in zip(tables["action_plan"], review.action_plan):
        actions.append({**row, "updates": [{"date": u.date.isoformat(), "text": u.text}
                                           for u in sorted(action.updates, key=lambda u: u.date)]})
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": f"dhr-kit {__version__}",
        "review": {
            "id": review_id(review), "csp": meta.csp, "title": meta.title, "area": meta.area,
            "death": month(meta.death),
            "dates": {"commissioned": month(dates.commissioned),
                      "home_office_notified": month(dates.home_office_notified),
                      "first_panel": month(dates.first_panel), "completed": month(dates.completed),
                      "submitted": month(dates.submitted), "published": month(dates.published)},
            "panel_meetings": dates.panel_meetings,
            "family_contributed": meta.family.contributed,
            "practice_topics_without_recommendation": dict(meta.practice_topics),
        },
        "panel": {
            "chair_role": meta.chair.role,
            "chair_independence": without_name(meta.chair.independence, meta.chair.name),
            "members": [{"role": m.role, "agency": m.agency, "panel_role": m.panel_role,
                         "independence": without_name(m.independence, meta.chair.name)} for m in review.panel],
        },
        "agencies": tables["agencies"],
        "protected_characteristics": tables["protected_characteristics"],
        "parallel_reviews": [{"type": p.type, "label": p.label, "decision": p.decision,
                              "held": not p.decision.lower().startswith("not held"),
                              "rationale": p.rationale, "outcome": p.outcome} for p in review.parallel_reviews],
        "terms_of_reference": [{"id": t.id, "title": t.title, "text": t.text} for t in review.terms_of_reference],
        "recommendations": [{**r, "agency_type": agency_types.get(r["agency_id"], "other")}
                            for r in tables["recommendations"]],
        "action_plan": actions,
        "action_updates": tables["action_updates"],
        "qa_letter": [{"id": t.id, "point": t.point, "status": t.status, "response": t.response, "where": t.where,
                       "themes": themes_of(t.point)} for t in review.qa_tracker],
    }
