"""The build's QA evidence, kept out of the report: ``qa-report.json`` and ``qa-report.html`` beside the
outputs, listing every check stage of the build (sources, executed chapters, rendered outputs), how many
rules ran and every finding left (warnings and notes; errors stop the build before this is written)."""
from __future__ import annotations

import html
import json
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__
from .findings import CheckResult
from .report import format_finding, summary

JSON_NAME = "qa-report.json"
HTML_NAME = "qa-report.html"


def build_report(stages: list[tuple[str, CheckResult]], *, publish: bool) -> dict:
    return {
        "tool": f"dhr-kit {__version__}",
        "mode": "publish" if publish else "draft",
        "written": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "stages": [{"stage": stage, "rules": result.rules, "summary": summary(result),
                    "findings": [f.to_dict() for f in result.findings]} for stage, result in stages],
    }


def _html(report: dict) -> str:
    esc = html.escape
    parts = ['<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n',
             '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
             '<title>QA report of the build</title>\n<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;'
             'padding:0 1rem;line-height:1.5}table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;'
             'padding:.3rem .5rem;text-align:left;vertical-align:top}</style>\n</head>\n<body>\n<main>\n',
             '<h1>QA report of the build</h1>\n',
             f"<p>{esc(report['tool'])}, {esc(report['mode'])} build, written {esc(report['written'])}. "
             "This is evidence for the Community Safety Partnership and the author; it is not part of the "
             "report.</p>\n"]
    for stage in report["stages"]:
        s = stage["summary"]
        parts.append(f"<h2>Checks {esc(stage['stage'])}</h2>\n<p>{stage['rules']} rules; {s['errors']} errors, "
                     f"{s['warnings']} warnings, {s['info']} notes in {s['files']} files.</p>\n")
        if stage["findings"]:
            parts.append('<table>\n<thead><tr><th scope="col">Where</th><th scope="col">Severity</th>'
                         '<th scope="col">Rule</th><th scope="col">Finding</th></tr></thead>\n<tbody>\n')
            for f in stage["findings"]:
                message = f["message"] + (f" ({f['suggestion']})" if f["suggestion"] else "")
                parts.append(f"<tr><td>{esc(f['file'])}:{f['line']}</td><td>{esc(f['severity'])}</td>"
                             f"<td>{esc(f['rule'])}</td><td>{esc(message)}</td></tr>\n")
            parts.append("</tbody>\n</table>\n")
    parts.append("</main>\n</body>\n</html>\n")
    return "".join(parts)


def write_build_report(out_dir: Path, stages: list[tuple[str, CheckResult]], *, publish: bool) -> list[Path]:
    report = build_report(stages, publish=publish)
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, html_path = out_dir / JSON_NAME, out_dir / HTML_NAME
    json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    html_path.write_text(_html(report), encoding="utf-8")
    return [json_path, html_path]


__all__ = ["write_build_report", "build_report", "format_finding"]
