"""Check a review record before it is used: the JSON Schema, then the anonymity rules (deny-listed names,
identifying details) on every text field. Problems name the record and the field (a JSON path); a name is
never echoed, only the line of the names file that matched."""
from __future__ import annotations

import bisect
import functools
import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator

from ..denylist import DenyList
from ..errors import InputError, Problem
from ..qa.anonymity import scan_identifiers
from ..qa.names import NameList

SCHEMA_FILE = "dhr-record.schema.json"
_IDENTIFIERS = {"DHR-A003": "an exact date next to words that could identify the people",
                "DHR-A004": "a date of birth", "DHR-A005": "a street address", "DHR-A006": "a postcode",
                "DHR-A007": "a telephone number", "DHR-A008": "an NHS number", "DHR-A009": "an email address"}
_DATE_FIELDS = ("/date",)
_SEPARATOR = "\n\n"  # the dated updates of the published action plan (day precision is published)


@functools.cache
def load_schema() -> dict[str, Any]:
    """The record's JSON Schema (package data)."""
    return json.loads(resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


@functools.cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


@functools.cache
def _fast_check() -> Any:
    """The schema compiled to Python (fastjsonschema): a valid record is passed in microseconds; jsonschema
    then explains an invalid one field by field."""
    schema = {k: v for k, v in load_schema().items() if k != "$schema"}
    return fastjsonschema.compile(schema, formats={"date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}, detailed_exceptions=False)


def pointer(path: Any) -> str:
    """A JSON path as '/action_plan/3/status' ('/' for the record itself)."""
    return "/" + "/".join(str(p) for p in path)


def schema_problems(record: Any, source: str) -> list[Problem]:
    try:
        _fast_check()(record)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    errors = sorted(_validator().iter_errors(record), key=lambda e: list(map(str, e.absolute_path)))
    return [Problem(source, f"does not follow the record schema: {e.message}", key=pointer(e.absolute_path),
                    fix="write the record with `dhr export` (see the README, Review record)") for e in errors[:10]]


_DATE_KEYS = {"date", "target_date", "death", "commissioned", "home_office_notified", "first_panel", "completed",
              "submitted", "published", "schema_version"}  # dates and versions the schema already pins down


def _strings(record: Any) -> list[tuple[tuple, str]]:
    """(path, text) of every non-empty text in the record, except the schema's date fields."""
    found: list[tuple[tuple, str]] = []
    stack: list[tuple[tuple, Any]] = [((), record)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if value and not (path and path[-1] in _DATE_KEYS):
                found.append((path, value))
        elif isinstance(value, dict):
            stack.extend(((*path, k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in enumerate(value))
    found.reverse()
    return found


def anonymity_problems(record: Any, source: str, names: NameList | None = None) -> list[Problem]:
    """Deny-listed names and identifying details in the record's text fields (one problem per field).

    The fields are scanned as one text, each separated from the next by a blank line (which ends a sentence
    for the identifying-date rule), and every hit is traced back to its field."""
    fields = _strings(record)
    starts, parts, offset = [], [], 0
    for _, text in fields:
        starts.append(offset)
        parts.append(text)
        offset += len(text) + len(_SEPARATOR)
    joined = _SEPARATOR.join(parts)
    found: dict[str, Problem] = {}

    def field_at(position: int) -> str:
        return pointer(fields[bisect.bisect_right(starts, position) - 1][0])

    if names:
        for match in names.finditer(joined):
            field = field_at(match.start)
            found.setdefault(field, Problem(
                source, f"a real name from the names file (its line {match.entry_line}) is in the record", key=field,
                fix="replace it with the pseudonym or the role in the review's data, and export the record again"))
    for hit in scan_identifiers(joined):
        field = field_at(hit.start)
        if field in found:
            continue
        found[field] = Problem(source, f"{_IDENTIFIERS.get(hit.rule, 'an identifying detail')} is in the record "
                                       f"({hit.rule})", key=field,
                               fix="remove it from the review's data, and export the record again")
    return list(found.values())


def check_record(record: Any, source: str, names: DenyList | NameList | None = None) -> None:
    """Raise InputError (exit 2) naming the record and each field that breaks the schema or the anonymity rules."""
    problems = schema_problems(record, source)
    if not problems:
        name_list = names if isinstance(names, NameList) or names is None else NameList(names.entries)
        problems = anonymity_problems(record, source, name_list)
    if problems:
        raise InputError(problems)
