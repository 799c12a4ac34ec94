"""`dhr portfolio`: a Community Safety Partnership's live action plans across its reviews.

sources (which reviews) → records (:mod:`dhr_kit.record`) → actions (overdue, unevidenced) and progress
(over time, timescales) → charts (SVG) → the HTML dashboard and the CSV/XLSX of the same rows.
"""
from __future__ import annotations

from .actions import actions_frame
from .build import build_portfolio

__all__ = ["actions_frame", "build_portfolio"]
