"""A review's flat tables (recommendations, actions, updates, agencies, characteristics): the rows both the
record (JSON) and the CSV export are made of."""
from __future__ import annotations

from typing import Any

from ..model import Review, MonthYear


def month(value: MonthYear | None) -> str | None:
    """'2024-03' (None stays None)."""
    return None if value is None else f"{value.year:04d}-{value.month:02d}"


def agency_name(review: Review, agency_id: str) -> str:
    agency = review.agencies.get(agency_id)
    return agency.name if agency else agency_id


def export_tables(review: Review) -> dict[str, list[dict[str, Any]]]:
    """The exported tables, as lists of flat records (lists as lists; CSV joins them with ';')."""
    recommendations = [{
        "id": r.id, "agency_id": r.agency, "agency": agency_name(review, r.agency), "scope": r.scope,
        "tor": r.tor, "topics": r.topics, "text": r.text} for r in review.recommendations]
    scope = {r.id: r.scope for r in review.recommendations}
    rec_agency = {r.id: r.agency for r in review.recommendations}
    actions = [{
        "recommendation": a.recommendation, "scope": scope.get(a.recommendation, ""),
        "lead_agency": agency_name(review, rec_agency.get(a.recommendation, "")), "action": a.action,
        "lead": a.lead, "milestones": a.milestones, "target_date": month(a.target_date),
        "status": a.status} for a in review.action_plan]
    updates = sorted({(a.recommendation, u.date.isoformat(), u.text) for a in review.action_plan for u in a.updates})
    recs_by_agency: dict[str, list[str]] = {}
    for r in review.recommendations:
        recs_by_agency.setdefault(r.agency, []).append(r.id)
    agencies = [{
        "id": a.id, "name": a.name, "type": a.type, "involved": a.involved, "imr": a.imr,
        "recommendations": recs_by_agency.get(a.id, []), "no_recommendation_reason": a.no_recommendation_reason}
        for a in review.metadata.agencies]
    characteristics = [{
        "key": c.key, "characteristic": c.label, "relevant": c.relevant, "reason": c.reason, "analysis": c.analysis}
        for c in review.protected_characteristics.values()]
    return {
        "recommendations": recommendations,
        "action_plan": actions,
        "action_updates": [{"recommendation": r, "date": d, "update": t} for r, d, t in updates],
        "agencies": agencies,
        "protected_characteristics": characteristics,
    }
