"""Check a review record before it is used: the JSON Schema, then the anonymity rules (deny-listed names,
identifying details) on every text field. Problems name the record and the field (a JSON path); a name is
never echoed, only the line of the names file that matched."""
from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

from ..denylist import DenyList
from ..errors import InputError, Problem
from ..qa.anonymity import scan_identifiers
from ..qa.names import NameList

SCHEMA_FILE = "dhr-record.schema.json"
_IDENTIFIERS = {"DHR-A003": "an exact date next to words that could identify the people",
                "DHR-A004": "a date of birth", "DHR-A005": "a street address", "DHR-A006": "a postcode",
                "DHR-A007": "a telephone number", "DHR-A008": "an NHS number", "DHR-A009": "an email address"}
_DATE_FIELDS = ("/date",)  # the dated updates of the published action plan (day precision is published)


@functools.cache
def load_schema() -> dict[str, Any]:
    """The record's JSON Schema (package data)."""
    return json.loads(resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


@functools.cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def pointer(path: Any) -> str:
    """A JSON path as '/action_plan/3/status' ('/' for the record itself)."""
    return "/" + "/".join(str(p) for p in path)


def schema_problems(record: Any, source: str) -> list[Problem]:
    errors = sorted(_validator().iter_errors(record), key=lambda e: list(map(str, e.absolute_path)))
    return [Problem(source, f"does not follow the record schema: {e.message}", key=pointer(e.absolute_path),
                    fix="write the record with `dhr export` (see the README, Review record)") for e in errors[:10]]


def _strings(value: Any, path: tuple = ()) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield pointer(path), value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def anonymity_problems(record: Any, source: str, names: NameList | None = None) -> list[Problem]:
    """Deny-listed names and identifying details in the record's text fields."""
    problems = []
    for field, text in _strings(record):
        if names:
            for match in names.finditer(text):
                problems.append(Problem(source, f"a real name from the names file (its line {match.entry_line}) "
                                                "is in the record", key=field,
                                        fix="replace it with the pseudonym or the role in the review's data, "
                                            "and export the record again"))
                break
        if field.endswith(_DATE_FIELDS):
            continue
        for hit in scan_identifiers(text):
            problems.append(Problem(source, f"{_IDENTIFIERS.get(hit.rule, 'an identifying detail')} is in the "
                                            f"record ({hit.rule})", key=field,
                                    fix="remove it from the review's data, and export the record again"))
            break
    return problems


def check_record(record: Any, source: str, names: DenyList | NameList | None = None) -> None:
    """Raise InputError (exit 2) naming the record and each field that breaks the schema or the anonymity rules."""
    problems = schema_problems(record, source)
    if not problems:
        name_list = names if isinstance(names, NameList) or names is None else NameList(names.entries)
        problems = anonymity_problems(record, source, name_list)
    if problems:
        raise InputError(problems)
