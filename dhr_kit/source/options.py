"""`#|` cell options: YAML lines at the top of a code cell."""
from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

from ..errors import InputError, Problem
from ..yamlio import load_yaml_text

OPTION_PREFIX = "#|"


def parse_options(code: str, rel: str, first_line: int) -> tuple[dict[str, Any], str]:
    """Split leading `#|` lines (YAML) from the code. ``first_line`` is the file line of ``code``'s line 1."""
    lines = code.splitlines(keepends=True)
    count = 0
    while count < len(lines) and lines[count].lstrip().startswith(OPTION_PREFIX):
        count += 1
    if count == 0:
        return {}, code
    yaml_text = "".join(line.lstrip()[len(OPTION_PREFIX):].removeprefix(" ") for line in lines[:count])
    try:
        options = copy.deepcopy(_VALID[yaml_text] if yaml_text in _VALID else _load(yaml_text, rel, first_line - 1))
    except InputError as exc:  # YAML reports "end of stream" one line past the options: point at the last one
        last = first_line + count - 1
        raise InputError([replace(p, line=min(p.line, last)) if p.line else p for p in exc.problems]) from None
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise InputError(Problem(rel, "cell options must be `#| key: value` lines", line=first_line,
                                 fix="write each option as `#| name: value`, e.g. `#| echo: false`"))
    return options, "".join(lines[count:])


def option_line_count(content: str, code: str) -> int:
    """How many `#|` lines ``parse_options`` took off ``content`` to leave ``code``."""
    return len(content.splitlines()) - len(code.splitlines())


# Chapters repeat the same few option blocks (`#| echo: false`…): each distinct one is parsed once.
_VALID: dict[str, Any] = {}


def _load(yaml_text: str, rel: str, line_offset: int) -> Any:
    options = load_yaml_text(yaml_text, rel, line_offset=line_offset)
    if len(_VALID) < 4096:
        _VALID[yaml_text] = options
    return options
