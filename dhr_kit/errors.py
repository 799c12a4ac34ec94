"""Errors that reach the user as one clear message (never a traceback).

* :class:`InputError` — the author's project is wrong (data, YAML, chapters). It carries every
  :class:`Problem` found, so the author fixes them all in one go. CLI exit code 2.
* :class:`ToolError` — an outside tool (pandoc, typst, quarto, chromium) is missing or failed.
  The message names the fix. CLI exit code 2.
* :class:`BuildError` — the build ran but stopped (cell error, QA errors). CLI exit code 1.
"""
from __future__ import annotations

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
        try:
            return path.resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()
