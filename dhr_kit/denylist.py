"""The private deny-list of real names: where it comes from (``--names FILE`` or ``$DHR_NAMES_FILE``) and its
content, read once per command. The anonymity rules compile it; nothing here ever prints a name."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, Problem

NAMES_ENV = "DHR_NAMES_FILE"


@dataclass(frozen=True)
class DenyList:
    """The names file's path (None: no list given) and its entries (comments and blank lines dropped)."""

    path: Path | None = None
    entries: tuple[str, ...] = ()
    digest: str = ""  # sha256 of the file's bytes: outputs are re-checked when the list changes

    @property
    def given(self) -> bool:
        return self.path is not None


def names_path(names_file: Path | str | None) -> Path | None:
    """The names file to use: the one given, else $DHR_NAMES_FILE, else None (the one place with this fallback)."""
    value = names_file or os.environ.get(NAMES_ENV)
    return Path(value).expanduser() if value else None


def read_deny_list(names_file: Path | str | None = None) -> DenyList:
    """Read the deny-list once; a given file that is missing is bad input (exit 2)."""
    path = names_path(names_file)
    if path is None:
        return DenyList()
    try:
        data = path.read_bytes()
    except OSError:
        raise InputError(Problem(str(path), "the names file does not exist",
                                 fix=f"pass --names with an existing file, or unset {NAMES_ENV}")) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(Problem(str(path), f"the names file is not UTF-8 text ({exc.reason})",
                                 fix="save the names file as UTF-8")) from None
    entries = tuple(entry for line in text.splitlines() if (entry := line.split("#", 1)[0].strip()))
    return DenyList(path, entries, hashlib.sha256(data).hexdigest())
