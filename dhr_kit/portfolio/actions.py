"""Every action of every review, with the flags a board looks at first: overdue and unevidenced.

* **overdue**: the plan says so (status 'overdue'), or the action is not completed and ``as_of`` is past the
  end of its target month;
* **unevidenced**: the action is under way or said to be completed, overdue or not, but has no dated
  implementation update (the QA Panel's expectation for a live action plan).
"""
from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date
from typing import Any

import pandas as pd

COLUMNS = ["review", "review_id", "recommendation", "action", "lead_agency", "lead", "target_date", "status",
           "overdue", "unevidenced", "updates", "last_update", "last_update_text"]


def month_end(month: str) -> date:
    year, number = int(month[:4]), int(month[5:7])
    return date(year, number, calendar.monthrange(year, number)[1])


def is_overdue(action: dict[str, Any], as_of: date) -> bool:
    if action["status"] == "overdue":
        return True
    return action["status"] != "completed" and as_of > month_end(action["target_date"])


def is_unevidenced(action: dict[str, Any]) -> bool:
    return action["status"] != "not started" and not action.get("updates")


def review_label(record: dict[str, Any]) -> str:
    """'Review of March 2024' style label (the month of the death, as a published report gives it)."""
    year, number = record["review"]["death"].split("-")
    return f"DHR {calendar.month_name[int(number)]} {year}"


def actions_frame(records: Iterable[dict[str, Any]], as_of: date) -> pd.DataFrame:
    """One row per action, overdue first, then unevidenced, then by target date."""
    rows = []
    for record in records:
        for action in record["action_plan"]:
            updates = sorted(action.get("updates", []), key=lambda u: u["date"])
            rows.append({
                "review": review_label(record), "review_id": record["review"]["id"],
                "recommendation": action["recommendation"], "action": action["action"],
                "lead_agency": action["lead_agency"], "lead": action.get("lead", ""),
                "target_date": action["target_date"], "status": action["status"],
                "overdue": is_overdue(action, as_of), "unevidenced": is_unevidenced(action),
                "updates": len(updates), "last_update": updates[-1]["date"] if updates else "",
                "last_update_text": updates[-1]["text"] if updates else ""})
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if frame.empty:
        return frame
    return frame.sort_values(["overdue", "unevidenced", "target_date", "review", "recommendation"],
                             ascending=[False, False, True, True, True], kind="stable").reset_index(drop=True)


def summary(frame: pd.DataFrame) -> dict[str, int]:
    return {"actions": len(frame), "overdue": int(frame["overdue"].sum()) if len(frame) else 0,
            "unevidenced": int(frame["unevidenced"].sum()) if len(frame) else 0,
            "completed": int((frame["status"] == "completed").sum()) if len(frame) else 0}
