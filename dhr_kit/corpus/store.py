"""The corpus database: one DuckDB file, one row per review and flat tables of its parts.

Tables (``review_id`` joins them; documented in the README, National record):
reviews, agencies, characteristics, parallel_reviews, recommendations, actions, qa_points.
The whole record is kept as JSON in ``reviews.record``, so a later schema version can be re-derived.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ..errors import InputError, Problem

DDL = """
CREATE TABLE IF NOT EXISTS reviews (review_id VARCHAR PRIMARY KEY, schema_version VARCHAR, csp VARCHAR,
  title VARCHAR, area VARCHAR, death VARCHAR, commissioned VARCHAR, completed VARCHAR, submitted VARCHAR,
  published VARCHAR, panel_meetings INTEGER, family_contributed BOOLEAN, months_to_completion INTEGER,
  record JSON);
CREATE TABLE IF NOT EXISTS agencies (review_id VARCHAR, agency_id VARCHAR, name VARCHAR, type VARCHAR,
  involved BOOLEAN, imr BOOLEAN, recommendations INTEGER);
CREATE TABLE IF NOT EXISTS characteristics (review_id VARCHAR, key VARCHAR, relevant BOOLEAN);
CREATE TABLE IF NOT EXISTS parallel_reviews (review_id VARCHAR, type VARCHAR, held BOOLEAN, decision VARCHAR);
CREATE TABLE IF NOT EXISTS recommendations (review_id VARCHAR, rec_id VARCHAR, agency_type VARCHAR,
  scope VARCHAR, topics VARCHAR[], tor VARCHAR[]);
CREATE TABLE IF NOT EXISTS actions (review_id VARCHAR, recommendation VARCHAR, lead_agency VARCHAR,
  target_date VARCHAR, status VARCHAR, updates INTEGER, first_update DATE, last_update DATE);
CREATE TABLE IF NOT EXISTS qa_points (review_id VARCHAR, point_id VARCHAR, status VARCHAR, themes VARCHAR[]);
"""
TABLES = ("reviews", "agencies", "characteristics", "parallel_reviews", "recommendations", "actions", "qa_points")


def connect(db: Path, *, create: bool = False, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the corpus; a missing file is bad input unless ``create``."""
    if not create and not db.is_file():
        raise InputError(Problem(str(db), "the corpus database does not exist",
                                 fix="load records first with `dhr corpus add --db FILE RECORD…`, or give --db"))
    if create:
        db.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(db), read_only=read_only)
    except duckdb.Error as exc:
        raise InputError(Problem(str(db), f"is not a DuckDB corpus database ({exc})",
                                 fix="give the file `dhr corpus add` wrote, with --db")) from None
    if not read_only:
        con.execute(DDL)
    return con


def _months(start: str | None, end: str | None) -> int | None:
    if not start or not end:
        return None
    return (int(end[:4]) - int(start[:4])) * 12 + int(end[5:7]) - int(start[5:7])


def rows_of(records: Iterable[dict[str, Any]]) -> dict[str, pd.DataFrame]:
    """The records as one DataFrame per table (built in plain lists: linear in the number of records)."""
    out: dict[str, list[tuple]] = {t: [] for t in TABLES}
    for rec in records:
        r, d = rec["review"], rec["review"]["dates"]
        rid = r["id"]
        out["reviews"].append((rid, rec["schema_version"], r["csp"], r.get("title", ""), r.get("area", ""),
                               r["death"], d["commissioned"], d["completed"], d.get("submitted"),
                               d.get("published"), r.get("panel_meetings", 0), r.get("family_contributed", False),
                               _months(d["commissioned"], d["completed"]), json.dumps(rec, ensure_ascii=False)))
        for a in rec["agencies"]:
            out["agencies"].append((rid, a["id"], a["name"], a["type"], a["involved"], a["imr"],
                                    len(a.get("recommendations", []))))
        for c in rec["protected_characteristics"]:
            out["characteristics"].append((rid, c["key"], c["relevant"]))
        for p in rec["parallel_reviews"]:
            out["parallel_reviews"].append((rid, p["type"], p.get("held", True), p["decision"]))
        for m in rec["recommendations"]:
            out["recommendations"].append((rid, m["id"], m.get("agency_type", "other"), m["scope"],
                                           m.get("topics", []), m.get("tor", [])))
        for a in rec["action_plan"]:
            dates = sorted(u["date"] for u in a.get("updates", []))
            out["actions"].append((rid, a["recommendation"], a["lead_agency"], a["target_date"], a["status"],
                                   len(dates), dates[0] if dates else None, dates[-1] if dates else None))
        for q in rec["qa_letter"]:
            out["qa_points"].append((rid, q["id"], q["status"], q.get("themes", [])))
    columns = {
        "reviews": ["review_id", "schema_version", "csp", "title", "area", "death", "commissioned", "completed",
                    "submitted", "published", "panel_meetings", "family_contributed", "months_to_completion",
                    "record"],
        "agencies": ["review_id", "agency_id", "name", "type", "involved", "imr", "recommendations"],
        "characteristics": ["review_id", "key", "relevant"],
        "parallel_reviews": ["review_id", "type", "held", "decision"],
        "recommendations": ["review_id", "rec_id", "agency_type", "scope", "topics", "tor"],
        "actions": ["review_id", "recommendation", "lead_agency", "target_date", "status", "updates",
                    "first_update", "last_update"],
        "qa_points": ["review_id", "point_id", "status", "themes"],
    }
    return {t: pd.DataFrame(out[t], columns=columns[t]) for t in TABLES}


def insert(con: duckdb.DuckDBPyConnection, records: list[dict[str, Any]]) -> int:
    """Load the records in one transaction; a review already in the corpus is replaced (same review id)."""
    latest = {rec["review"]["id"]: rec for rec in records}  # the last record of a review id in a batch wins
    frames = rows_of(latest.values())
    ids = frames["reviews"][["review_id"]].drop_duplicates()
    con.execute("BEGIN TRANSACTION")
    try:
        con.register("new_ids", ids)
        for table in TABLES:
            con.execute(f"DELETE FROM {table} WHERE review_id IN (SELECT review_id FROM new_ids)")
        for table, frame in frames.items():
            con.register("incoming", frame)
            con.execute(f"INSERT INTO {table} SELECT * FROM incoming")
            con.unregister("incoming")
        con.unregister("new_ids")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(ids)
