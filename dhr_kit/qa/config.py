"""Project-level rule settings from ``_quarto.yml``: ``dhr: rules: {DHR-L012: warning, DHR-E001: off}``."""
from __future__ import annotations

from typing import Any

from ..errors import InputError, Problem
from .catalogue import catalogue

ALLOWED = ("error", "warning", "info", "off")


def severity_overrides(dhr_settings: dict[str, Any]) -> dict[str, str]:
    """Rule id -> severity or 'off'; unknown ids or severities are bad input (every one reported)."""
    rules = dhr_settings.get("rules") or {}
    if not isinstance(rules, dict):
        raise InputError(Problem("_quarto.yml", "must be a mapping of rule ids to severities", key="dhr.rules",
                                 fix="write e.g. `rules: {DHR-L012: warning}`"))
    known = catalogue()
    problems: list[Problem] = []
    overrides: dict[str, str] = {}
    for rule_id, value in rules.items():
        text = "off" if value is False else str(value).strip().lower()
        if rule_id not in known:
            problems.append(Problem("_quarto.yml", f"unknown rule {rule_id!r}", key=f"dhr.rules.{rule_id}",
                                    fix="use an id listed by `dhr check` (e.g. DHR-L012)"))
        elif text not in ALLOWED:
            problems.append(Problem("_quarto.yml", f"{value!r} is not a severity", key=f"dhr.rules.{rule_id}",
                                    fix=f"use one of: {', '.join(ALLOWED)}"))
        else:
            overrides[rule_id] = text
    if problems:
        raise InputError(problems)
    return overrides
