"""Partial builds: `dhr render --to pdf` rebuilds the PDF and carries the HTML and docx of the previous
build over unchanged (in the same atomic swap), and the build log says which outputs are stale.

The build log, ``<output dir>/build-log.json``, records for each format when it was built and the digest
of the inputs it was built from; a format carried over whose digest differs from today's is "stale".
"""
from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

BUILD_LOG = "build-log.json"
ALL_FORMATS = ("html", "pdf", "docx", "markdown")


def format_of(rel: str) -> str | None:
    """Which writer produced an output file (path relative to the output folder); None: the build log."""
    path = Path(rel)
    if rel == BUILD_LOG:
        return None
    if path.parts and path.parts[0] == "markdown":
        return "markdown"
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return "pdf"
    if suffix == ".docx":
        return "docx"
    return "html"  # pages, the single-file HTML, assets/ and figures/


def carry_over(previous: Path, staging: Path, building: list[str]) -> list[str]:
    """Copy (hard-link where possible) every file of the ``previous`` output folder that belongs to a
    format not being built into ``staging``. Returns the formats carried over."""
    kept: set[str] = set()
    if not previous.is_dir():
        return []
    for path in sorted(previous.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(previous).as_posix()
        fmt = format_of(rel)
        if fmt is None or fmt in building:
            continue
        target = staging / rel
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
        kept.add(fmt)
    return sorted(kept)


@dataclass
class FormatStatus:
    format: str
    built_at: str  # ISO 8601, UTC
    stamp: str  # digest of the inputs it was built from
    state: str = "built"  # "built" in this run, "current" (carried over, up to date) or "stale"


def read_build_log(output_dir: Path) -> dict[str, dict]:
    try:
        data = json.loads((output_dir / BUILD_LOG).read_text(encoding="utf-8"))
        return {k: v for k, v in data.get("formats", {}).items() if isinstance(v, dict)}
    except (OSError, ValueError, AttributeError):
        return {}


def write_build_log(staging: Path, previous: dict[str, dict], built: list[str], kept: list[str],
                    stamps: dict[str, str], *, publish: bool) -> list[FormatStatus]:
    """Record the formats built now and carried over; carried-over ones built from other inputs are stale."""
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    statuses: list[FormatStatus] = []
    for fmt in built:
        statuses.append(FormatStatus(fmt, now, stamps[fmt]))
    for fmt in kept:
        old = previous.get(fmt, {})
        state = "current" if old.get("stamp") == stamps.get(fmt) else "stale"
        statuses.append(FormatStatus(fmt, str(old.get("built_at", "unknown")), str(old.get("stamp", "")), state))
    data = {"mode": "publish" if publish else "draft", "written_at": now,
            "formats": {s.format: {"built_at": s.built_at, "stamp": s.stamp, "state": s.state} for s in statuses}}
    (staging / BUILD_LOG).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return statuses


def describe(status: FormatStatus) -> str:
    if status.state == "built":
        return f"{status.format}: built"
    if status.state == "current":
        return f"{status.format}: left as it was (up to date, built {status.built_at})"
    return (f"{status.format}: left as it was — STALE, built {status.built_at} from older sources; "
            f"run `dhr render --to {status.format}` to update it")
