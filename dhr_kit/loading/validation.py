"""Pydantic validation errors, told as problems an author can fix."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from ..errors import Problem

Source = Literal["yaml", "csv"]
Loc = tuple[str | int, ...]


def describe(error: dict[str, Any], source: Source) -> tuple[str, str]:
    """(message, fix) for one pydantic error dict."""
    kind = error["type"]
    name = next((str(part) for part in reversed(error["loc"]) if isinstance(part, str)), "")
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        if source == "csv":
            return "is empty", "fill in this cell"
        return "is missing", f"add `{name}:` with a value" if name else "add this key with a value"
    if kind == "literal_error":
        return f"{value!r} is not allowed", f"use one of: {ctx.get('expected', '')}"
    if kind == "extra_forbidden":
        return "is not a known key", "remove it, or correct its spelling"
    if kind in {"bool_parsing", "bool_type"}:
        return f"{value!r} is not true or false", "write true or false"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return f"{value!r} is not a whole number", "write a whole number, e.g. 6"
    if kind in {"string_type"}:
        return f"{value!r} is not text", "write text; put it in quotes if it looks like a number or date"
    if kind in {"list_type"}:
        return "is not a list", "write a list: one '- item' per line"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return "is not a mapping of keys", "write the keys indented under it, as in `dhr new`"
    if kind == "value_error":
        message = str(error["msg"]).removeprefix("Value error, ")
        return message, "write the year and month, e.g. 2024-03" if "(YYYY-MM)" in message else ""
    if kind.startswith("date"):
        return f"{value!r} is not a date", "write YYYY-MM-DD"
    return str(error["msg"]), ""


Locator = Callable[[Loc], tuple[int | None, str | None]]
"""Maps an error's location in the validated data to (line, key) in the author's file."""


def validate(model: type[BaseModel], data: Any, problems: list[Problem], file: str, source: Source,
             locate: Locator) -> Any:
    """``model.model_validate(data)``, or None after adding one problem per error."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            message, fix = describe(error, source)
            line, key = locate(tuple(error["loc"]))
            problems.append(Problem(file, message, fix=fix, line=line, key=key))
        return None
