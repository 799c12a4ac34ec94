"""Progress over time (per review, per agency) and review timescales against the statutory expectation.

An action counts as completed from the date of its last dated update, when its status is 'completed'; a
completed action with no update cannot be placed in time and is shown as unevidenced instead.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

STATUTORY_MONTHS = 6
# The December 2016 guidance sets timescales in its Section 5, "Timescales for conducting a Domestic Homicide
# Review" (contents checked in a transcript: https://fdocuments.net/document/multi-agency-statutory-guidance-
# for-the-conduct-of-statutory-guidance-for-the.html); the six months run from the decision to hold the review.
STATUTORY_SOURCE = ("Home Office, Multi-agency Statutory Guidance for the Conduct of Domestic Homicide Reviews, "
                    "December 2016, Section 5 'Timescales for conducting a Domestic Homicide Review': the review "
                    "is expected to be completed within six months of the decision to hold it")


def _months(start: str, end: str) -> list[str]:
    return [p.strftime("%Y-%m") for p in pd.period_range(start, end, freq="M")]


def progress_over_time(frame: pd.DataFrame, by: str, as_of: date) -> pd.DataFrame:
    """Rows: month (YYYY-MM); columns: each value of ``by``, most actions first; cells: % of its actions
    completed by that month."""
    if frame.empty:
        return pd.DataFrame()
    done = frame[(frame["status"] == "completed") & (frame["last_update"] != "")]
    first = min(done["last_update"].str[:7]) if len(done) else as_of.strftime("%Y-%m")
    last = max([as_of.strftime("%Y-%m"), *done["last_update"].str[:7]])  # updates may postdate --as-of
    months = _months(first, last)
    totals = frame.groupby(by).size()
    totals = totals.iloc[sorted(range(len(totals)), key=lambda i: (-totals.iloc[i], totals.index[i]))]  # largest first
    table = {}
    for key, total in totals.items():
        completed_months = done.loc[done[by] == key, "last_update"].str[:7]
        table[key] = [round(100 * int((completed_months <= m).sum()) / total) for m in months]
    return pd.DataFrame(table, index=pd.Index(months, name="month"))


def per_group(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts per review or agency: actions, completed, overdue, unevidenced."""
    if frame.empty:
        return pd.DataFrame(columns=["actions", "completed", "overdue", "unevidenced"])
    grouped = frame.groupby(by)
    return pd.DataFrame({"actions": grouped.size(),
                         "completed": grouped["status"].apply(lambda s: int((s == "completed").sum())),
                         "overdue": grouped["overdue"].sum().astype(int),
                         "unevidenced": grouped["unevidenced"].sum().astype(int)})


def _span(start: str | None, end: str | None) -> int | None:
    if not start or not end:
        return None
    return (int(end[:4]) - int(start[:4])) * 12 + int(end[5:7]) - int(start[5:7])


def timescales(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Per review: months from commissioning to completion and to submission, against the expectation."""
    from .actions import review_label

    rows = []
    for record in records:
        dates = record["review"]["dates"]
        to_complete = _span(dates["commissioned"], dates["completed"])
        rows.append({"review": review_label(record), "commissioned": dates["commissioned"],
                     "completed": dates["completed"], "submitted": dates.get("submitted") or "",
                     "months_to_completion": to_complete,
                     "months_to_submission": _span(dates["commissioned"], dates.get("submitted")),
                     "over_expectation_by": None if to_complete is None else max(0, to_complete - STATUTORY_MONTHS)})
    return pd.DataFrame(rows)
