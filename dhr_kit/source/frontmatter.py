"""YAML front matter between `---` lines at the top of a chapter."""
from __future__ import annotations

from typing import Any

from ..errors import InputError, Problem
from ..yamlio import load_yaml_text


def front_matter_end(lines: list[str]) -> int | None:
    """Number of lines the front matter takes (both `---` lines included); 0 without one; None if unclosed."""
    if not lines or lines[0].rstrip() != "---":
        return 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in {"---", "..."}:
            return index + 1
    return None


def split_front_matter(text: str, rel: str) -> tuple[dict[str, Any], str, int]:
    """Return (front matter, body, number of lines the front matter took)."""
    lines = text.splitlines(keepends=True)
    end = front_matter_end(lines)
    if end is None:
        raise InputError(Problem(rel, "front matter starting with `---` is never closed", line=1,
                                 fix="end the front matter with a line holding only `---`"))
    if end == 0:
        return {}, text, 0
    data = load_yaml_text("".join(lines[1:end - 1]), rel, line_offset=1) or {}
    if not isinstance(data, dict):
        raise InputError(Problem(rel, "front matter must be a YAML mapping", line=1,
                                 fix="write `key: value` lines between the two `---` lines"))
    return data, "".join(lines[end:]), end
