"""Findings of the QA checks, and the result of one check run."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Finding:
    """One problem in the review, located precisely enough to fix (``file:line:column``)."""

    rule: str
    severity: Severity
    file: str
    line: int
    column: int
    message: str
    suggestion: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.rule)


@dataclass
class CheckResult:
    """What one run of the checks found; ``ok`` when nothing is an error."""

    findings: list[Finding] = field(default_factory=list)
    files: int = 0  # files checked
    rules: int = 0  # rules run
    suppressions: list[dict] = field(default_factory=list)  # inline suppressions with a reason (for audit)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def infos(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "info"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def of_rule(self, rule: str) -> list[Finding]:
        return [f for f in self.findings if f.rule == rule]
