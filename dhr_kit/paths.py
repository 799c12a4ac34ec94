"""Where dhr-kit's own files live, in a wheel and in a source checkout alike."""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def templates_dir() -> Path:
    """The templates folder: inside the installed package (wheel), else the checkout's root."""
    for candidate in (_PACKAGE / "templates", _PACKAGE.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("dhr-kit templates are missing: reinstall with `pip install dhr-kit`")


def fonts_dir() -> Path:
    return templates_dir() / "fonts"
