"""`dhr export`: the review's versioned record (JSON, see :mod:`dhr_kit.record`) or its tables as CSV files.

The JSON record is checked against its schema and the anonymity rules before it is written: a record that
carries a deny-listed name or an identifying detail is refused (exit 2) naming the field."""
from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import InputError, Problem
from .denylist import DenyList
from .record.tables import export_tables

__all__ = ["EXPORT_FORMATS", "export_review", "export_tables", "cmd_export"]

EXPORT_FORMATS = ("json", "csv")


def _csv(records: list[dict[str, Any]]) -> str:
    flat = [{k: ";".join(v) if isinstance(v, list) else v for k, v in rec.items()} for rec in records]
    buffer = io.StringIO()
    pd.DataFrame.from_records(flat).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def export_review(root: Path | str, fmt: str = "json", names: DenyList | None = None) -> str | dict[str, str]:
    """The record as JSON text (fmt='json'), or {file name: CSV text} with one CSV per table (fmt='csv')."""
    from .loader import load_review
    from .record import build_record, check_record

    if fmt not in EXPORT_FORMATS:
        raise InputError(Problem("command line", f"unknown export format {fmt!r}", key="--format",
                                 fix="use --format json or --format csv"))
    review = load_review(root)
    tables = export_tables(review)
    if fmt == "json":
        record = build_record(review)
        check_record(record, "the exported record", names)
        return json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    return {f"{name}.csv": _csv(records) for name, records in tables.items()}


def cmd_export(args: argparse.Namespace) -> int:
    """`dhr export DIR --format json|csv [--output FILE|FOLDER]`."""
    from .denylist import read_deny_list

    result = export_review(args.dir, args.format, read_deny_list(getattr(args, "names", None)))
    output: Path | None = getattr(args, "output", None)
    if isinstance(result, str):
        if output is None:
            sys.stdout.write(result)
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(result, encoding="utf-8")
        return 0
    folder = output if output is not None else Path(args.dir) / "_export"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in result.items():
        (folder / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(result)} CSV files to {folder}", file=sys.stderr)
    return 0
