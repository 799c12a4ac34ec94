"""Dates as a report shows them: month precision when publishing, full dates in drafts where known."""
from __future__ import annotations

import calendar
import re
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


_ISO_DATE = re.compile(r"(?<![\w-])((?:19|20)\d\d)-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?(?![\w-])")


def humanise_dates(text: str) -> str:
    """Free text from the data with its ISO dates in the report's one date style:
    "by 2026-01" -> "by January 2026", "2025-11-03" -> "3 November 2025"."""

    def label(match: re.Match) -> str:
        year, month, day = int(match[1]), int(match[2]), match[3]
        month_year = f"{calendar.month_name[month]} {year}"
        return f"{int(day)} {month_year}" if day else month_year

    return _ISO_DATE.sub(label, text)
