"""The case data must not change while a review is built: a chapter's code that writes to, or deletes
from, ``data/`` would make this build's outputs and the next build's cache describe different data."""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import InputError, Problem


def snapshot(root: Path) -> dict[str, str]:
    """sha256 of every file under ``data/`` (links followed), by path relative to the project."""
    data = root / "data"
    if not data.is_dir():
        return {}
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(data.rglob("*")) if path.is_file()}


def refuse_changes(root: Path, before: dict[str, str]) -> None:
    """Raise InputError naming each data file added, changed or deleted since ``before``."""
    after = snapshot(root)
    problems = []
    for rel in sorted(set(before) | set(after)):
        if before.get(rel) == after.get(rel):
            continue
        what = "deleted" if rel not in after else "created" if rel not in before else "changed"
        problems.append(Problem(rel, f"was {what} while the review was being built",
                                fix="a chapter's code must only read data/; find the cell that writes to it, "
                                    "restore the file (e.g. `git checkout -- data/`) and render again"))
    if problems:
        raise InputError(problems)
