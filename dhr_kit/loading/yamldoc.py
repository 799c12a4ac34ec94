"""YAML data files that remember where each key is, so schema problems can name a line."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, Problem, relpath
from ..yamlio import load_yaml_text

KeyPath = tuple[str | int, ...]


def format_key(path: KeyPath) -> str:
    """('victim', 'pseudonym') → 'victim.pseudonym'; list items are counted from 1: ('#2', 'title')."""
    parts: list[str] = []
    for part in path:
        parts.append(f"#{part + 1}" if isinstance(part, int) else str(part))
    return ".".join(parts)


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def index_node(node: yaml.Node | None) -> tuple[dict[KeyPath, int], list[tuple[KeyPath, int, str]]]:
    """(line of every key path, [(key path, line, text) of every string scalar]) of a composed YAML tree.
    The root's own line is under the empty key path."""
    lines: dict[KeyPath, int] = {}
    scalars: list[tuple[KeyPath, int, str]] = []
    if node is None:
        return lines, scalars
    lines[()] = node.start_mark.line + 1
    stack: list[tuple[yaml.Node, KeyPath]] = [(node, ())]
    while stack:
        current, path = stack.pop()
        if isinstance(current, yaml.MappingNode):
            children = [((*path, str(key.value)), key.start_mark.line + 1, value) for key, value in current.value]
        elif isinstance(current, yaml.SequenceNode):
            children = [((*path, index), item.start_mark.line + 1, item) for index, item in enumerate(current.value)]
        else:
            if path:
                scalars.append((path, lines.get(path, current.start_mark.line + 1), str(current.value)))
            continue
        for child, line, value in children:
            lines[child] = line
        stack.extend((value, child) for child, _, value in reversed(children))
    return lines, scalars


def yaml_index(path: Path) -> tuple[dict[KeyPath, int], list[tuple[KeyPath, int, str]]]:
    """:func:`index_node` of a YAML file, composed (not constructed) with libyaml where available.
    Invalid YAML gives nothing here; the loader reports it."""
    try:
        return index_node(yaml.compose(path.read_text(encoding="utf-8"), Loader=_Loader))
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}, []


@dataclass
class YamlDoc:
    """A parsed YAML file and the line of every key path in it."""

    path: Path
    file: str
    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line(self, path: KeyPath) -> int | None:
        """The line of ``path``, or of its nearest ancestor present in the file (e.g. for a missing key)."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1

    def problem(self, path: KeyPath, message: str, fix: str = "") -> Problem:
        return Problem(self.file, message, fix=fix, line=self.line(path), key=format_key(path) or None)


def read_yaml_doc(path: Path, root: Path, problems: list[Problem]) -> YamlDoc | None:
    """Parse a YAML file; syntax errors become problems (with their line) and give None."""
    file = relpath(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(file, f"not UTF-8 text ({exc.reason})", fix="save the file as UTF-8"))
        return None
    try:
        data = load_yaml_text(text, file)
    except InputError as exc:
        problems.extend(exc.problems)
        return None
    return YamlDoc(path, file, data, index_node(yaml.compose(text, Loader=_Loader))[0])
