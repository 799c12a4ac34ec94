"""Typst, from the ``typst`` wheel: compile a document to a tagged PDF, with readable errors."""
from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import ToolError
from ..paths import fonts_dir

MINIMUM_VERSION = (0, 13)
_INSTALL_FIX = "install it with `pip install 'typst>=0.13'`"


def _typst_module():
    try:
        import typst
    except ImportError as exc:
        raise ToolError("typst", "the typst package is not installed", _INSTALL_FIX) from exc
    version = tuple(int(p) for p in re.findall(r"\d+", getattr(typst, "__version__", "0"))[:2])
    if version < MINIMUM_VERSION:
        raise ToolError("typst", f"typst {typst.__version__} is too old (need 0.13 or later for PDF/UA-1)",
                        "upgrade with `pip install -U typst`")
    return typst


def typst_version() -> str:
    return _typst_module().__version__


def _timestamp() -> _dt.datetime | None:
    """Honour SOURCE_DATE_EPOCH so that builds can be reproducible; else typst uses the current time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc)
    return None


def compile_pdf(main: Path, output: Path, *, root: Path,
                pdf_standards: Sequence[str] = ("ua-1",)) -> list[str]:
    """Compile ``main`` (a .typ file inside ``root``) to ``output``; return typst's warnings as text.

    Fonts come only from dhr-kit's own fonts folder (plus typst's embedded fonts), so the PDF does not
    depend on the machine it was built on.
    """
    typst = _typst_module()
    try:
        _, warnings = typst.compile_with_warnings(
            str(main), output=str(output), root=str(root), font_paths=[str(fonts_dir())],
            ignore_system_fonts=True, pdf_standards=list(pdf_standards), timestamp=_timestamp())
    except typst.TypstError as exc:
        raise ToolError("typst", "PDF compilation failed:\n" + _without_build_folder(_describe(exc), root),
                        _fix_for(exc)) from None
    return [_without_build_folder(_describe(w), root) for w in warnings]


def _without_build_folder(text: str, root: Path) -> str:
    """Typst names files by absolute path; the temporary build folder means nothing to the author."""
    forms = {str(root), str(Path(root).resolve()), os.path.relpath(root)}  # typst may print it relative to cwd
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form + os.sep, "").replace(form, ".")
    return text


def _describe(diagnostic) -> str:
    text = (getattr(diagnostic, "diagnostic", "") or getattr(diagnostic, "message", "") or str(diagnostic)).strip()
    hints = [h for h in (getattr(diagnostic, "hints", None) or []) if h not in text]
    return "\n".join([text, *(f"hint: {h}" for h in hints)])


def _fix_for(exc) -> str:
    message = (getattr(exc, "message", "") or str(exc)).lower()
    if "alt text" in message:
        return "give every figure alt text (fig-alt=\"…\" on the image, or `alt=` in the chart helper)"
    if "title" in message and "ua-1" in message:
        return "set the report's title in _quarto.yml (book: title:)"
    if "file not found" in message or "failed to load" in message:
        return "check that every image the chapters show exists"
    return "see the typst message above; if it points at generated code, report it as a dhr-kit bug"
