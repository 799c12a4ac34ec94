"""Chapter files as text: UTF-8, or bad input naming the file."""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError, Problem


def decode(data: bytes, rel: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(Problem(rel, f"not UTF-8 text ({exc.reason})", fix="save the file as UTF-8")) from None


def read_text(path: Path, rel: str) -> str:
    return decode(path.read_bytes(), rel)
