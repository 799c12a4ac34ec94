"""The YAML data files: review.yml, terms_of_reference.yml, protected_characteristics.yml,
parallel_reviews.yml."""
from __future__ import annotations

from datetime import date
from difflib import get_close_matches
from typing import Any

from ..model import (PARALLEL_REVIEW_TYPES, PRACTICE_TOPICS, PROTECTED_CHARACTERISTICS, Metadata,
                     ParallelReview, ProtectedCharacteristic, TermOfReference)
from ..boundary import OUTSIDE_FIX, is_inside, outside_reason
from .context import LoadContext
from .validation import Loc, validate
from .yamldoc import KeyPath, YamlDoc, format_key, read_yaml_doc


def _read(ctx: LoadContext, name: str, expected: type, what: str) -> YamlDoc | None:
    path = ctx.existing(name, required=True, what=what)
    if path is None:
        return None
    doc = read_yaml_doc(path, ctx.root, ctx.problems)
    if doc is None:
        return None
    if doc.data is None:
        doc.data = expected()
    if not isinstance(doc.data, expected):
        shape = "a mapping of keys" if expected is dict else "a list of '- ' items"
        ctx.problems.append(doc.problem((), f"must be {shape}", fix=f"write {what}"))
        return None
    return doc


def _locator(doc: YamlDoc, prefix: KeyPath = (), rename: dict[Loc, KeyPath] | None = None):
    def locate(loc: Loc) -> tuple[int | None, str | None]:
        path: KeyPath = (*prefix, *loc)
        for short, long in (rename or {}).items():
            if path[: len(short)] == short:
                path = (*long, *path[len(short):])
        return doc.line(path), format_key(path)
    return locate


def load_metadata(ctx: LoadContext) -> tuple[Metadata | None, set[str] | None]:
    """review.yml, and the agency ids it defines (known even when other keys are invalid; None if unknown)."""
    doc = _read(ctx, "review.yml", dict, "the review's metadata (csp, title, victim, death, ...)")
    if doc is None:
        return None, None
    raw: dict[str, Any] = dict(doc.data)
    rename: dict[Loc, KeyPath] = {}
    agencies = raw.get("agencies")
    agency_ids = {str(k) for k in agencies} if isinstance(agencies, dict) else None
    if isinstance(agencies, dict):
        items = []
        for index, (agency_id, fields) in enumerate(agencies.items()):
            if not isinstance(fields, dict):
                ctx.problems.append(doc.problem(("agencies", str(agency_id)), "must be a mapping",
                                                fix="give name: and type: indented under the agency id"))
                continue
            rename[("agencies", len(items))] = ("agencies", str(agency_id))
            items.append({"id": str(agency_id), **fields})
        raw["agencies"] = items
    elif agencies is not None:
        ctx.problems.append(doc.problem(("agencies",), "must be a mapping of agency id to its details",
                                        fix="write e.g. `police: {name: Northshire Police, type: police}`"))
        raw.pop("agencies")
    if isinstance(raw.get("death"), date):
        ctx.problems.append(doc.problem(("death",), "gives the day of the death",
                                        fix=f"write the month and year only: death: {raw['death']:%Y-%m}"))
    metadata = validate(Metadata, raw, ctx.problems, doc.file, "yaml", _locator(doc, rename=rename))
    _check_qa_letter(ctx, doc, raw.get("qa_letter"))
    topics = raw.get("practice_topics")
    for topic in topics if isinstance(topics, dict) else ():
        if topic not in PRACTICE_TOPICS:
            ctx.problems.append(doc.problem(("practice_topics", str(topic)), f"unknown practice topic '{topic}'",
                                            fix=f"use one of: {', '.join(PRACTICE_TOPICS)}"))
    return metadata, agency_ids


def _check_qa_letter(ctx: LoadContext, doc: YamlDoc, name: Any) -> None:
    if not isinstance(name, str) or not name:
        return
    path = ctx.data / name
    if path.is_file():
        if not is_inside(ctx.root, path):
            ctx.problems.append(doc.problem(("qa_letter",), f"the QA letter data/{name} "
                                            f"{outside_reason(ctx.root, path)}", fix=OUTSIDE_FIX))
        else:
            ctx.files.add(path.resolve())
    else:
        ctx.problems.append(doc.problem(("qa_letter",), f"the QA letter file data/{name} does not exist",
                                        fix="put the letter in data/ under that name, or correct qa_letter"))


def load_terms_of_reference(ctx: LoadContext) -> list[TermOfReference]:
    doc = _read(ctx, "terms_of_reference.yml", list, "a list of '- id: ToR1 / title: / text:' entries")
    if doc is None:
        return []
    terms: list[TermOfReference] = []
    before = len(ctx.problems)
    first_seen: dict[str, int | None] = {}
    for index, item in enumerate(doc.data):
        term = validate(TermOfReference, item, ctx.problems, doc.file, "yaml", _locator(doc, (index,)))
        if term is None:
            continue
        if term.id in first_seen:
            ctx.problems.append(doc.problem((index, "id"), f"duplicate Term of Reference id '{term.id}' "
                                            f"(first on line {first_seen[term.id]})", fix="give each ToR its own id"))
            continue
        first_seen[term.id] = doc.line((index, "id"))
        terms.append(term)
    if not terms and len(ctx.problems) == before:
        ctx.problems.append(doc.problem((), "lists no Terms of Reference", fix="add at least one '- id: ToR1' entry"))
    return terms


def load_protected_characteristics(ctx: LoadContext) -> dict[str, ProtectedCharacteristic]:
    doc = _read(ctx, "protected_characteristics.yml", dict, "the nine protected characteristics as keys")
    if doc is None:
        return {}
    result: dict[str, ProtectedCharacteristic] = {}
    for key, fields in doc.data.items():
        key = str(key)
        if key not in PROTECTED_CHARACTERISTICS:
            close = get_close_matches(key, PROTECTED_CHARACTERISTICS, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            ctx.problems.append(doc.problem((key,), f"'{key}' is not one of the nine protected characteristics",
                                            fix=f"{hint}the keys are: {', '.join(PROTECTED_CHARACTERISTICS)}"))
            continue
        data = {"key": key, **fields} if isinstance(fields, dict) else fields
        item = validate(ProtectedCharacteristic, data, ctx.problems, doc.file, "yaml", _locator(doc, (key,)))
        if item is None:
            continue
        if item.relevant and not item.analysis.strip():
            ctx.problems.append(doc.problem((key, "analysis"), f"{key} is marked relevant but has no analysis",
                                            fix=f"add `analysis:` under {key} saying how it affected the case "
                                                "and the agencies' responses, or set relevant: false with a reason"))
        result[key] = item
    for key in PROTECTED_CHARACTERISTICS:
        if key not in doc.data:
            ctx.problems.append(doc.problem((key,), f"the protected characteristic '{key}' is missing",
                                            fix=f"add `{key}:` with `relevant: true|false` and a case-specific `reason:`"))
    return result


def load_parallel_reviews(ctx: LoadContext) -> list[ParallelReview]:
    doc = _read(ctx, "parallel_reviews.yml", list, "a list of '- type: ... / decision: / rationale:' entries")
    if doc is None:
        return []
    reviews: list[ParallelReview] = []
    for index, item in enumerate(doc.data):
        review = validate(ParallelReview, item, ctx.problems, doc.file, "yaml", _locator(doc, (index,)))
        if review is None:
            continue
        if review.type not in PARALLEL_REVIEW_TYPES:
            ctx.problems.append(doc.problem((index, "type"), f"'{review.type}' is not a parallel review type",
                                            fix=f"use one of: {', '.join(PARALLEL_REVIEW_TYPES)}"))
            continue
        reviews.append(review)
    return reviews
