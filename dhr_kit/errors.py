"""Errors that reach the user as one clear message (never a traceback).

* :class:`InputError` — the author's project is wrong (data, YAML, chapters). It carries every
  :class:`Problem` found, so the author fixes them all in one go. CLI exit code 2.
* :class:`ToolError` — an outside tool (pandoc, typst, quarto, chromium) is missing or failed.
  The message names the fix. CLI exit code 2.
* :class:`BuildError` — the build ran but stopped (cell error, QA errors). CLI exit code 1.
"""
from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the author's input, located precisely enough to fix."""

    file: str
    message: str
    fix: str = ""
    line: int | None = None
    key: str | None = None  # YAML key path, CSV column, or "row N"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        text = f"{where}: {self.message}"
        if self.key:
            text = f"{where}: [{self.key}] {self.message}"
        if self.fix:
            text += f" — fix: {self.fix}"
        return text


class DhrError(Exception):
    """Base class of every error dhr-kit reports to the user."""

    exit_code = 2


class InputError(DhrError):
    """The project's input is invalid; carries all problems found."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__(self.render())

    def render(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the review's input:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class ToolError(DhrError):
    """An outside tool is missing, too old, or failed."""

    exit_code = 2

    def __init__(self, tool: str, message: str, fix: str = ""):
        self.tool, self.fix = tool, fix
        super().__init__(f"{tool}: {message}" + (f" — fix: {fix}" if fix else ""))


class BuildError(DhrError):
    """The build was stopped (a cell error, or QA errors)."""

    exit_code = 1


def relpath(path: Path | str, root: Path | str | None) -> str:
    """A path as the author sees it: relative to the project root when inside it, POSIX style."""
    path = Path(path)
    if root is not None:
        # As written first (a link inside the project is named by its own name), then as resolved.
        for shown, base in ((Path(os.path.abspath(path)), Path(os.path.abspath(root))),
                            (path.resolve(), Path(root).resolve())):
            try:
                return shown.relative_to(base).as_posix()
            except ValueError:
                pass
    return path.as_posix()


_STAGING = re.compile(r"\.([^/\\]+)\.(?:tmp|old)-\d+-[^/\\]+")
_TYPST_TEMP = re.compile(r"\S*dhr-typst-\d+-[^/\\\s]+")
_FAULTS = {
    errno.ENOSPC: ("the disk is full", "free some space on the disk (or choose another output-dir) and render again"),
    errno.EDQUOT: ("the disk quota is used up", "free some space in your quota and render again"),
    errno.EROFS: ("the disk is read-only", "render in a folder you can write to"),
    errno.EACCES: ("permission denied", "make the folder writable for you (or choose another output-dir)"),
    errno.EPERM: ("permission denied", "make the folder writable for you (or choose another output-dir)"),
}


def fault_message(exc: OSError, root: Path | str | None = None) -> str | None:
    """A clear message for a fault of the machine (disk full, read-only, permissions), None for others.

    Temporary build folders are named as the output folder they stand for (``._book.tmp-…`` → ``_book``)."""
    if exc.errno not in _FAULTS:
        return None
    what, fix = _FAULTS[exc.errno]
    where = exc.filename
    shown = relpath(where, root if root is not None else Path.cwd()) if where else ""
    shown = _TYPST_TEMP.sub("a temporary folder", _STAGING.sub(r"\1", shown))
    return f"cannot write {shown}: {what} — fix: {fix}" if shown else f"{what} — fix: {fix}"
