"""`dhr export`: recommendations, action plan, agencies and protected-characteristics findings as JSON or CSV."""
from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import InputError, Problem
from .model import PRACTICE_TOPICS, Review

EXPORT_FORMATS = ("json", "csv")


def _agency(review: Review, agency_id: str) -> str:
    agency = review.agencies.get(agency_id)
    return agency.name if agency else agency_id


def export_tables(review: Review) -> dict[str, list[dict[str, Any]]]:
    """The exported tables, as lists of flat records (lists as lists; CSV joins them with ';')."""
    recommendations = [{
        "id": r.id, "agency_id": r.agency, "agency": _agency(review, r.agency), "scope": r.scope,
        "tor": r.tor, "topics": r.topics, "text": r.text} for r in review.recommendations]
    scope = {r.id: r.scope for r in review.recommendations}
    rec_agency = {r.id: r.agency for r in review.recommendations}
    actions = [{
        "recommendation": a.recommendation, "scope": scope.get(a.recommendation, ""),
        "lead_agency": _agency(review, rec_agency.get(a.recommendation, "")), "action": a.action, "lead": a.lead,
        "milestones": a.milestones, "target_date": f"{a.target_date.year:04d}-{a.target_date.month:02d}",
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


def _review_summary(review: Review) -> dict[str, Any]:
    meta = review.metadata
    return {"csp": meta.csp, "title": meta.title, "victim": meta.victim.pseudonym,
            "death": f"{meta.death.year:04d}-{meta.death.month:02d}",
            "completed": f"{meta.dates.completed.year:04d}-{meta.dates.completed.month:02d}",
            "practice_topics": PRACTICE_TOPICS}


def _csv(records: list[dict[str, Any]]) -> str:
    flat = [{k: ";".join(v) if isinstance(v, list) else v for k, v in rec.items()} for rec in records]
    buffer = io.StringIO()
    pd.DataFrame.from_records(flat).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def export_review(root: Path | str, fmt: str = "json") -> str | dict[str, str]:
    """JSON text (fmt='json'), or {file name: CSV text} with one CSV per table (fmt='csv')."""
    from .loader import load_review

    if fmt not in EXPORT_FORMATS:
        raise InputError(Problem("command line", f"unknown export format {fmt!r}", key="--format",
                                 fix="use --format json or --format csv"))
    review = load_review(root)
    tables = export_tables(review)
    if fmt == "json":
        return json.dumps({"review": _review_summary(review), **tables}, indent=2, ensure_ascii=False) + "\n"
    return {f"{name}.csv": _csv(records) for name, records in tables.items()}


def cmd_export(args: argparse.Namespace) -> int:
    """`dhr export DIR --format json|csv [--output FILE|FOLDER]`."""
    result = export_review(args.dir, args.format)
    output: Path | None = getattr(args, "output", None)
    if isinstance(result, str):
        if output is None:
            sys.stdout.write(result)
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(result, encoding="utf-8")
        return 0
    folder = output if output is not None else Path(args.dir) / "_export"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in result.items():
        (folder / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(result)} CSV files to {folder}", file=sys.stderr)
    return 0
