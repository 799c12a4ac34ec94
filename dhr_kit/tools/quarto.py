"""The Quarto CLI (optional engine): find it on PATH, check its version, run it."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from ..errors import ToolError

MINIMUM_VERSION = (1, 9, 18)  # the first Quarto that renders a book to Typst (tried: 1.11.0)
FIX = "install Quarto >= 1.9.18 from https://quarto.org (Typst books need it), or use `--engine embedded`"


def find_quarto() -> Path | None:
    """The `quarto` executable on PATH, or None."""
    found = shutil.which("quarto")
    return Path(found) if found else None


def quarto_version(executable: Path) -> tuple[int, ...]:
    try:
        done = subprocess.run([str(executable), "--version"], capture_output=True, text=True, timeout=60)
    except OSError as exc:
        raise ToolError("quarto", f"cannot run {executable} ({exc})", FIX) from None
    match = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", done.stdout)
    if done.returncode != 0 or not match:
        raise ToolError("quarto", f"`quarto --version` failed: {(done.stderr or done.stdout).strip()}", FIX)
    return tuple(int(part) for part in match.groups() if part is not None)


def require_quarto() -> Path:
    """The `quarto` executable, checked to be recent enough; ToolError (with the fix) otherwise."""
    executable = find_quarto()
    if executable is None:
        raise ToolError("quarto", "the `quarto` command is not on PATH", FIX)
    version = quarto_version(executable)
    if version < MINIMUM_VERSION:
        shown = ".".join(map(str, version))
        raise ToolError("quarto", f"version {shown} is too old (need {'.'.join(map(str, MINIMUM_VERSION))})", FIX)
    return executable


def run_quarto(args: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> None:
    """Run `quarto ARGS…` (version-checked); a failure raises ToolError with Quarto's message."""
    executable = require_quarto()
    done = subprocess.run([str(executable), *args], cwd=cwd, env={**os.environ, **(env or {})},
                          capture_output=True, text=True)
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise ToolError("quarto", f"`quarto {' '.join(args)}` failed (exit {done.returncode}):\n{tail}",
                        "read Quarto's message above; `dhr render --engine embedded` builds without Quarto")
