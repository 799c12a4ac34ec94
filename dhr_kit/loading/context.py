"""State shared while one review is loaded: where it is, what was read, every problem found."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..boundary import OUTSIDE_FIX, outside_reason
from ..errors import Problem, relpath


@dataclass
class LoadContext:
    root: Path  # the project root (holds data/)
    data: Path  # the data folder
    problems: list[Problem] = field(default_factory=list)
    files: set[Path] = field(default_factory=set)
    names: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        # Listing data/ (rather than probing each name) lets the renderer's cache notice added files.
        self.names = set(os.listdir(self.data))

    def rel(self, path: Path) -> str:
        return relpath(path, self.root)

    def existing(self, name: str, *, required: bool, what: str = "") -> Path | None:
        """``data/<name>`` if it exists (and is recorded as read); a problem when required and absent."""
        path = self.data / name
        if name in self.names and path.is_file():
            return path if self.readable(path) else None
        if required:
            self.problems.append(Problem(self.rel(path), "the file is missing",
                                         fix=f"create it{' with ' + what if what else ''} "
                                             "(see 'Data files' in the dhr-kit README, or start from `dhr new`)"))
        return None

    def readable(self, path: Path) -> bool:
        """Record ``path`` as read if it resolves inside the project; otherwise a problem, and False."""
        reason = outside_reason(self.root, path)
        if reason:
            self.problems.append(Problem(self.rel(path), reason, fix=OUTSIDE_FIX))
            return False
        self.files.add(path.resolve())
        return True
