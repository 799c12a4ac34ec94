"""pandoc, from the ``pypandoc_binary`` wheel: one call function, a version check, readable errors."""
from __future__ import annotations

import functools
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

from ..errors import ToolError

MINIMUM_VERSION = (3, 1, 12)
_INSTALL_FIX = "install it with `pip install 'pypandoc_binary>=1.13'` (it ships pandoc)"


@functools.lru_cache(maxsize=1)
def pandoc_path() -> str:
    """The pandoc executable shipped with pypandoc_binary, checked to be recent enough."""
    try:
        import pypandoc
    except ImportError as exc:
        raise ToolError("pandoc", "the pypandoc_binary package is not installed", _INSTALL_FIX) from exc
    try:
        path = pypandoc.get_pandoc_path()
    except OSError as exc:
        raise ToolError("pandoc", f"pandoc was not found ({exc})", _INSTALL_FIX) from exc
    version = _version_of(path)
    if version < MINIMUM_VERSION:
        wanted = ".".join(map(str, MINIMUM_VERSION))
        raise ToolError("pandoc", f"pandoc {'.'.join(map(str, version))} is too old (need {wanted} or later)",
                        "upgrade with `pip install -U pypandoc_binary`")
    return path


def _version_of(path: str) -> tuple[int, ...]:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise ToolError("pandoc", f"pandoc at {path} does not run ({exc})", _INSTALL_FIX) from exc
    match = re.search(r"pandoc\S*\s+(\d+(?:\.\d+)*)", out)
    if not match:
        raise ToolError("pandoc", f"cannot read pandoc's version from {out[:80]!r}", _INSTALL_FIX)
    return tuple(int(part) for part in match.group(1).split("."))


def pandoc_version() -> tuple[int, ...]:
    return _version_of(pandoc_path())


def run_pandoc(source: str | bytes, args: Sequence[str | Path], *, cwd: Path | None = None) -> str:
    """Run pandoc on ``source`` (standard input) with ``args``; return standard output as text.

    Raises :class:`ToolError` carrying pandoc's own message when pandoc fails. Pandoc's warnings are
    ignored here; callers that care pass ``--fail-if-warnings``.
    """
    command = [pandoc_path(), *map(str, args)]
    data = source.encode("utf-8") if isinstance(source, str) else source
    try:
        done = subprocess.run(command, input=data, capture_output=True, cwd=cwd, check=False)
    except OSError as exc:
        raise ToolError("pandoc", f"cannot run pandoc ({exc})", _INSTALL_FIX) from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit code {done.returncode}"
        raise ToolError("pandoc", f"conversion failed: {message}",
                        "check the chapter Markdown near the place named above")
    return done.stdout.decode("utf-8")
