"""QA checks of a Domestic Homicide Review against the Home Office QA Panel's common reasons for
returning a report. Rule families: DHR-S structure, DHR-L language, DHR-A anonymity, DHR-C coverage,
DHR-E evidence, DHR-P publication, DHR-Q QA-letter tracker (ids are stable; see ``rules/``)."""
from __future__ import annotations

from .findings import CheckResult, Finding
from .run import assert_ready, check, check_book, check_outputs

__all__ = ["check", "check_book", "check_outputs", "assert_ready", "Finding", "CheckResult"]
