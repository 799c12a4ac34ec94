"""Quarto shortcodes the embedded engine understands, as Quarto 1.11 resolves them
(``src/resources/filters/quarto-pre/shortcodes-handlers.lua``):

* ``{{< include file.qmd >}}`` — the file's text in place, before the chapter is cut into cells (so an
  included file may hold code cells). The path is relative to the file that includes it and must stay
  inside the project; an included file's front matter is dropped. Expanded when the chapter is read.
* ``{{< pagebreak >}}`` — a page break in the PDF and the Word copy (a ``.pagebreak`` div).
* ``{{< meta key >}}`` — a value of the chapter's front matter, else of ``_quarto.yml`` (``book:`` keys
  stand in for ``title``, ``subtitle``, ``author`` and ``date``, as in a Quarto book); dotted keys reach
  into mappings (``book.title``).
* ``{{< var key >}}`` — a value of ``_variables.yml`` at the project root; dotted keys as for ``meta``.

``{{</* name */>}}`` and ``{{{< name >}}}`` are escapes: they stay as the literal ``{{< name >}}``.
Any other shortcode, an unknown key or a value that is not text is a problem naming the line, and the
book shows ``?name`` in bold where it stood (Quarto shows ``?meta:key``) — never the shortcode as text.
Shortcodes in executable cells are left alone (Quarto does not read them there either).
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem

SHORTCODE = re.compile(r"(?<!\{)\{\{<\s*([A-Za-z][\w-]*)((?:\s+[^\n>]*?)?)\s*>\}\}(?!\})")
ESCAPED = re.compile(r"\{\{</\*\s*(.*?)\s*\*/>\}\}|\{\{\{<\s*(.*?)\s*>\}\}\}")
PAGEBREAK_CLASS = "pagebreak"
KNOWN = ("include", "pagebreak", "meta", "var")
BOOK_KEYS = ("title", "subtitle", "author", "date")
MAX_INCLUDE_DEPTH = 10


# ---- include: when the chapter is read ----------------------------------------------------------

@dataclass
class Expanded:
    text: str
    includes: list[Path] = field(default_factory=list)  # every file included, absolute
    line_map: list[int] = field(default_factory=list)  # expanded line (0-based) → the chapter's line (1-based)


def _argument(raw: str) -> str:
    value = raw.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return value


def _strip_front_matter(text: str) -> str:
    lines = text.splitlines(keepends=True)
    if lines and lines[0].rstrip() == "---":
        for index in range(1, len(lines)):
            if lines[index].rstrip() in {"---", "..."}:
                return "".join(lines[index + 1:])
    return text


def expand_includes(text: str, path: Path, root: Path, rel: str) -> Expanded:
    """``text`` (the chapter at ``path``) with every ``include`` shortcode replaced by the file's text.

    A file outside the project, a missing file or an include loop is bad input naming the chapter's line.
    """
    problems: list[Problem] = []
    result = Expanded("")
    lines_out: list[str] = []
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if "{{<" not in line or not any(m.group(1) == "include" for m in SHORTCODE.finditer(line)):
            lines_out.append(line)
            result.line_map.append(number)
            continue
        expanded = _include_line(line, path, root, rel, number, problems, result.includes, [path.resolve()])
        for piece in expanded.splitlines(keepends=True) or [""]:
            lines_out.append(piece)
            result.line_map.append(number)
    if problems:
        raise InputError(problems)
    result.text = "".join(lines_out)
    return result


def _include_line(line: str, base: Path, root: Path, rel: str, number: int, problems: list[Problem],
                  includes: list[Path], chain: list[Path]) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(1) != "include":
            return match.group(0)
        written = _argument(match.group(2))
        target = Path(os.path.normpath(base.parent / written)) if written else None
        fix = "write `{{< include file.qmd >}}` with a path relative to this file, inside the review folder"
        if target is None:
            problems.append(Problem(rel, "an include shortcode names no file", line=number, fix=fix))
            return ""
        resolved = target.resolve()
        try:
            resolved.relative_to(root.resolve())
        except ValueError:
            problems.append(Problem(rel, f"the included file {written} is outside the review folder", line=number,
                                    fix="copy the file into the review folder and include it from there"))
            return ""
        if not resolved.is_file():
            problems.append(Problem(rel, f"the included file {written} does not exist", line=number, fix=fix))
            return ""
        if resolved in chain or len(chain) > MAX_INCLUDE_DEPTH:
            problems.append(Problem(rel, f"{written} includes itself (through {len(chain)} files)", line=number,
                                    fix="remove the include that closes the loop"))
            return ""
        includes.append(resolved)
        try:
            included = resolved.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.append(Problem(rel, f"the included file {written} is not UTF-8 text", line=number,
                                    fix="save it as UTF-8"))
            return ""
        included = _strip_front_matter(included)
        nested = "".join(
            _include_line(inner, resolved, root, rel, number, problems, includes, chain + [resolved])
            if "{{<" in inner else inner
            for inner in included.splitlines(keepends=True))
        return nested if nested.endswith("\n") or not nested else nested + "\n"

    return SHORTCODE.sub(replace, line)


# ---- pagebreak, meta, var: when the executed Markdown is assembled --------------------------------

@dataclass
class ShortcodeValues:
    """Where ``meta`` and ``var`` look their keys up."""

    front_matter: dict[str, Any]
    config: dict[str, Any]  # _quarto.yml
    variables: dict[str, Any] | None  # _variables.yml; None when the project has none


def _lookup(data: Any, key: str) -> tuple[bool, Any]:
    for part in key.split("."):
        if not isinstance(data, dict) or part not in data:
            return False, None
        data = data[part]
    return True, data


def _as_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return ", ".join(map(str, value))
    if isinstance(value, dict) and "name" in value and isinstance(value["name"], str):
        return value["name"]  # Quarto's author: {name: …}
    return None


def resolve_shortcodes(text: str, values: ShortcodeValues, where: Callable[[int], dict[str, Any]],
                       problems: list[Problem]) -> str:
    """``text`` (Markdown) with ``pagebreak``, ``meta`` and ``var`` resolved and escapes made literal.

    ``where(offset)`` gives the Problem fields (file, line or key) of a character offset in ``text``.
    """
    if "{{" not in text:
        return text
    escaped: list[str] = []

    def protect(match: re.Match[str]) -> str:
        escaped.append("{{< " + (match.group(1) if match.group(1) is not None else match.group(2)) + " >}}")
        return f"\x00{len(escaped) - 1}\x00"

    text = ESCAPED.sub(protect, text)

    def replace(match: re.Match[str]) -> str:
        name, argument = match.group(1), _argument(match.group(2))
        if name == "pagebreak":
            return f"\n\n::: {{.{PAGEBREAK_CLASS}}}\n:::\n\n"
        if name in {"meta", "var"}:
            found, value = _find(name, argument, values)
            shown = _as_text(value) if found else None
            if found and shown is not None:
                return shown
            if not found and name == "var" and values.variables is None:
                message = f"{{{{< var {argument} >}}}} needs a _variables.yml file at the project root"
                fix = f"create _variables.yml with `{argument}: …`"
            elif not found:
                source = "_variables.yml" if name == "var" else "the chapter's front matter or _quarto.yml"
                message = f"{{{{< {name} {argument} >}}}}: no key {argument!r} in {source}"
                fix = f"add `{argument}: …` to {source}, or correct the key"
            else:
                message = f"{{{{< {name} {argument} >}}}}: the value of {argument!r} is not text"
                fix = "use a key whose value is text or a number"
            problems.append(Problem(message=message, fix=fix, **where(match.start())))
            return f"**?{name}:{argument}**"
        if name == "include":
            return match.group(0)  # expanded when the chapter was read; here only in a notebook's text
        problems.append(Problem(message=f"unknown shortcode {{{{< {name} >}}}} (dhr-kit knows {', '.join(KNOWN)})",
                                fix="remove it, or write it as {{</* " + name + " */>}} to show it literally",
                                **where(match.start())))
        return f"**?{name}**"

    text = SHORTCODE.sub(replace, text)
    return re.sub("\x00(\\d+)\x00", lambda m: escaped[int(m.group(1))], text)


def _find(name: str, key: str, values: ShortcodeValues) -> tuple[bool, Any]:
    if name == "var":
        return _lookup(values.variables or {}, key)
    for source in (values.front_matter, values.config):
        found, value = _lookup(source, key)
        if found:
            return found, value
    if key in BOOK_KEYS:
        return _lookup(values.config.get("book") or {}, key)
    return False, None
