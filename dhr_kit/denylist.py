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
    """The names file's path (None: no list given) and its entries as (line, name) (comments and blank lines
    dropped; the line lets a finding say which entry matched without printing the name)."""

    path: Path | None = None
    entries: tuple[tuple[int, str], ...] = ()
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
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(Problem(str(path), "the names file is not UTF-8 text", line=line,
                                 fix="save it as UTF-8 (in Notepad: Save as… Encoding UTF-8), so names with "
                                     "accents are searched correctly")) from None
    entries = tuple((number, entry) for number, line in enumerate(text.splitlines(), 1)
                    if (entry := line.split("#", 1)[0].strip()))
    return DenyList(path, entries, hashlib.sha256(data).hexdigest())
