"""Findings remembered per file within a process (the preview checks the same unchanged pages and chapters
on every save): keyed on everything the check reads, handed out as copies (callers set severities)."""
from __future__ import annotations

import copy
from collections.abc import Callable, Hashable

from .findings import Finding


class FindingsMemo:
    def __init__(self, size: int = 512):
        self.size = size
        self._found: dict[Hashable, list[Finding]] = {}

    def get(self, key: Hashable, compute: Callable[[], list[Finding]]) -> list[Finding]:
        found = self._found.get(key)
        if found is None:
            found = compute()
            if len(self._found) >= self.size:
                self._found.pop(next(iter(self._found)))
            self._found[key] = found
        return [copy.copy(item) for item in found]
