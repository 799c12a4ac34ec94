"""The build context as a chapter's kernel sees it, passed from the renderer by environment variables.

:func:`chapter_environment` is the one place that turns the build context (through
:meth:`dhr_kit.config.BuildContext.kernel_environment`) into those variables, for the embedded engine's
kernels and for `quarto render`; the functions below read them back inside the kernel, so the same
chapter gives draft or publish output under either engine. Kept light: a kernel imports this module.
"""
from __future__ import annotations

import os
from pathlib import Path

from .denylist import NAMES_ENV

PUBLISH_ENV = "DHR_PUBLISH"
PROJECT_ENV = "DHR_PROJECT"
CHAPTER_DIR_ENV = "DHR_CHAPTER_DIR"
FORMAT_ENV = "DHR_FORMAT"
QUARTO_DOCUMENT_ENV = "QUARTO_DOCUMENT_PATH"  # set by Quarto for the chapter it executes
_TRUE = {"1", "true", "yes"}


def chapter_environment(root: Path, *, publish: bool, chapter_dir: Path | None = None,
                        names_file: Path | None = None) -> dict[str, str]:
    """The DHR_* variables from their values (DHR_CHAPTER_DIR and DHR_NAMES_FILE only when known)."""
    env = {PROJECT_ENV: str(root), PUBLISH_ENV: "1" if publish else "0"}
    if chapter_dir is not None:
        env[CHAPTER_DIR_ENV] = str(chapter_dir)
    if names_file is not None:
        env[NAMES_ENV] = str(names_file)
    return env


def is_publish() -> bool:
    """True when building for publication (dates to month precision, no draft marks)."""
    return os.environ.get(PUBLISH_ENV, "").strip().lower() in _TRUE


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


def chapter_dir() -> Path:
    """The folder of the chapter being executed (image paths in its Markdown are relative to it):
    DHR_CHAPTER_DIR, or Quarto's QUARTO_DOCUMENT_PATH, else the project root."""
    env = os.environ.get(CHAPTER_DIR_ENV)
    if env:
        return Path(env).resolve()
    quarto = os.environ.get(QUARTO_DOCUMENT_ENV)
    if quarto:
        path = Path(quarto).resolve()
        return path.parent if path.suffix in (".qmd", ".ipynb", ".md") or path.is_file() else path
    return project_root()


def names_file() -> Path | None:
    """The deny-list the renderer was given (None: none)."""
    value = os.environ.get(NAMES_ENV)
    return Path(value) if value else None
