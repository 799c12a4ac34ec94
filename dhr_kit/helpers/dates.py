"""Dates as a report shows them: month precision when publishing, full dates in drafts where known."""
from __future__ import annotations

import calendar
from datetime import date

import pandas as pd

from ..context import is_publish
from ..model import MonthYear


def month_label(value: date | pd.Timestamp | MonthYear) -> str:
    """'March 2024'."""
    if isinstance(value, MonthYear):
        return value.label
    return f"{calendar.month_name[value.month]} {value.year}"


def day_label(value: date | pd.Timestamp) -> str:
    """'14 March 2024'."""
    return f"{value.day} {month_label(value)}"


def event_date_label(value: date | pd.Timestamp, precision: str = "day", publish: bool | None = None) -> str:
    """A chronology date: full in drafts when the day is known, month and year when publishing."""
    publish = is_publish() if publish is None else publish
    if publish or precision != "day":
        return month_label(value)
    return day_label(value)


def months_between(start: MonthYear, end: MonthYear) -> int:
    return (end.year - start.year) * 12 + end.month - start.month
