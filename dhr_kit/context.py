"""The build context a chapter runs in, passed from the renderer to the kernel by environment.

The renderer sets these variables before starting a chapter's kernel; helpers read them so that
the same chapter gives draft or publish output under the embedded engine and under Quarto
(where `dhr render --publish` sets them before calling `quarto render`).
"""
from __future__ import annotations

import os
from pathlib import Path

PUBLISH_ENV = "DHR_PUBLISH"
PROJECT_ENV = "DHR_PROJECT"
FORMAT_ENV = "DHR_FORMAT"


def is_publish() -> bool:
    """True when building for publication (dates to month precision, no draft marks)."""
    return os.environ.get(PUBLISH_ENV, "").strip().lower() in {"1", "true", "yes"}


def project_root() -> Path:
    """The review project's root: DHR_PROJECT if set, else the nearest folder up with _quarto.yml or data/."""
    env = os.environ.get(PROJECT_ENV)
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "_quarto.yml").is_file() or (folder / "data" / "review.yml").is_file():
            return folder
    return here
