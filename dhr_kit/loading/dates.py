"""Dates as the data files write them: ``YYYY-MM-DD``, or ``YYYY-MM`` where only the month is known."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Literal

Precision = Literal["day", "month"]

DATE_FIX = "write YYYY-MM-DD, or YYYY-MM when only the month is known (e.g. 2023-08-14 or 2023-08)"

_ISO = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")
_UK = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


class DateError(ValueError):
    """A date that cannot be read; ``fix`` tells the author what to write instead."""

    def __init__(self, message: str, fix: str = DATE_FIX):
        super().__init__(message)
        self.fix = fix


def parse_date(value: Any) -> tuple[date, Precision]:
    """A date cell (text, or a date from a spreadsheet) as (date, precision); month precision → 1st."""
    if isinstance(value, datetime):
        return value.date(), "day"
    if isinstance(value, date):
        return value, "day"
    text = str(value).strip()
    if not text:
        raise DateError("the date is empty")
    match = _ISO.fullmatch(text)
    if match:
        year, month, day = int(match[1]), int(match[2]), match[3]
        try:
            return date(year, month, int(day) if day else 1), ("day" if day else "month")
        except ValueError as exc:
            raise DateError(f"{text!r} is not a valid date ({exc})") from None
    uk = _UK.fullmatch(text)
    if uk:
        day, month, year = int(uk[1]), int(uk[2]), int(uk[3])
        try:
            iso = date(year, month, day).isoformat()
        except ValueError:
            iso = "YYYY-MM-DD"
        raise DateError(f"{text!r} is not in the YYYY-MM-DD form", fix=f"write {iso}")
    raise DateError(f"{text!r} is not a date")
