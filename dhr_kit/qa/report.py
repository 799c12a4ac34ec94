"""Formatting findings: text (``file:line:col: severity RULE message (suggestion)`` — a VS Code
problem-matcher format), JSON, and SARIF 2.1.0."""
from __future__ import annotations

import json

from .. import __version__
from .catalogue import catalogue
from .findings import CheckResult, Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def format_finding(f: Finding) -> str:
    text = f"{f.file}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}"
    return text + (f" ({f.suggestion})" if f.suggestion else "")


def summary(result: CheckResult) -> dict[str, int]:
    return {"errors": len(result.errors), "warnings": len(result.warnings), "info": len(result.infos),
            "files": result.files}


def summary_line(result: CheckResult) -> str:
    s = summary(result)
    plural = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"  # noqa: E731
    return (f"{plural(s['errors'], 'error')}, {plural(s['warnings'], 'warning')}, {s['info']} info "
            f"in {plural(s['files'], 'file')}")


def to_text(result: CheckResult) -> str:
    return "\n".join([*(format_finding(f) for f in result.findings), summary_line(result)]) + "\n"


def to_json(result: CheckResult) -> str:
    return json.dumps({"findings": [f.to_dict() for f in result.findings], "summary": summary(result),
                       "suppressions": result.suppressions}, indent=2, ensure_ascii=False) + "\n"


def to_sarif(result: CheckResult) -> str:
    rules = catalogue()
    used = sorted({f.rule for f in result.findings})
    ids = sorted(rules)
    index = {rule_id: i for i, rule_id in enumerate(ids)}
    driver = {
        "name": "dhr-kit",
        "version": __version__,
        "informationUri": "https://github.com/dhr-kit/dhr-kit",
        "rules": [{"id": r, "shortDescription": {"text": rules[r].description},
                   "defaultConfiguration": {"level": _SARIF_LEVEL[rules[r].severity]},
                   "properties": {"family": rules[r].family,
                                  "severity": {"draft": rules[r].draft, "publish": rules[r].publish}}} for r in ids],
    }
    results = []
    for f in result.findings:
        entry = {
            "ruleId": f.rule,
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.message + (f" ({f.suggestion})" if f.suggestion else "")},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": f.file},
                "region": {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)}}}],
        }
        if f.rule in index:
            entry["ruleIndex"] = index[f.rule]
        results.append(entry)
    sarif = {"$schema": SARIF_SCHEMA, "version": "2.1.0",
             "runs": [{"tool": {"driver": driver}, "results": results,
                       "properties": {"rulesWithFindings": used}}]}
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"


FORMATTERS = {"text": to_text, "json": to_json, "sarif": to_sarif}
