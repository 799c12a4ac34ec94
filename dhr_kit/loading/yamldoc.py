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


def _index_lines(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, str(key_node.value))
            lines[child] = key_node.start_mark.line + 1
            _index_lines(value_node, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            lines[child] = item.start_mark.line + 1
            _index_lines(item, child, lines)


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
    doc = YamlDoc(path, file, data)
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if node is not None:
        doc.lines[()] = node.start_mark.line + 1
        _index_lines(node, (), doc.lines)
    return doc
