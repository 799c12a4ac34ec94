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


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key written twice in one mapping (PyYAML keeps the last one silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        first_line: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                earlier = first_line.get(key)
            except TypeError:  # an unhashable key: let PyYAML report it
                continue
            if earlier is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key '{key}' is written twice (first on line {earlier})",
                    key_node.start_mark)
            first_line[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def load_yaml_text(text: str, filename: str, line_offset: int = 0) -> Any:
    """Parse YAML text; ``line_offset`` is added to reported lines (YAML embedded in another file).

    A key written twice in one mapping is an error: YAML would otherwise keep the last value silently.
    """
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else None
        reason = (exc.problem or exc.context or "invalid YAML").strip()
        duplicate = "written twice" in reason
        raise InputError(Problem(filename, f"invalid YAML: {reason}" if not duplicate else reason, line=line,
                                 fix="keep one of the two (merge their values)" if duplicate else
                                     "check indentation, colons and quotes on that line")) from None
    except yaml.YAMLError as exc:
        raise InputError(Problem(filename, f"invalid YAML: {exc}", fix="correct the YAML syntax")) from None
