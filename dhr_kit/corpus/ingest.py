"""`dhr corpus add`: read record files, check every one (schema, names, identifiers), then load them all —
or none, when one is refused (each refused record and field is named)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..denylist import DenyList
from ..errors import InputError, Problem
from ..qa.names import NameList
from ..record import check_record
from .store import connect, insert


def record_files(paths: list[Path]) -> list[Path]:
    """The files given, a folder standing for its *.json files (sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.json")))
        else:
            files.append(path)
    return files


def read_records(paths: list[Path], names: DenyList | None = None) -> list[dict[str, Any]]:
    """Every record read and checked; InputError listing every refused record and field."""
    name_list = NameList(names.entries) if names is not None and names.entries else None
    records, problems = [], []
    for path in record_files(paths):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            problems.append(Problem(str(path), "the record file does not exist", fix="check the path"))
            continue
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            problems.append(Problem(str(path), f"is not a JSON record ({exc})",
                                    fix="write it with `dhr export DIR -o FILE`"))
            continue
        try:
            check_record(record, str(path), name_list)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        records.append(record)
    if problems:
        raise InputError(problems)
    if not records:
        raise InputError(Problem("command line", "no record files were found", key="RECORD",
                                 fix="give record files (.json) written by `dhr export`, or folders of them"))
    return records


def add_records(db: Path, paths: list[Path], names: DenyList | None = None) -> int:
    """Check, then load; returns the number of reviews loaded."""
    records = read_records(paths, names)
    con = connect(db, create=True)
    try:
        return insert(con, records)
    finally:
        con.close()
