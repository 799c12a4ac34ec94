"""Reading YAML files with errors that name the file and line."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem, relpath


def load_yaml_file(path: Path, root: Path | None = None) -> Any:
    """Parse a YAML file; invalid YAML raises InputError naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(Problem(relpath(path, root), f"not UTF-8 text ({exc.reason})",
                                 fix="save the file as UTF-8")) from None
    return load_yaml_text(text, relpath(path, root))


def load_yaml_text(text: str, filename: str, line_offset: int = 0) -> Any:
    """Parse YAML text; ``line_offset`` is added to reported lines (YAML embedded in another file)."""
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else None
        reason = (exc.problem or exc.context or "invalid YAML").strip()
        raise InputError(Problem(filename, f"invalid YAML: {reason}", line=line,
                                 fix="check indentation, colons and quotes on that line")) from None
    except yaml.YAMLError as exc:
        raise InputError(Problem(filename, f"invalid YAML: {exc}", fix="correct the YAML syntax")) from None
