"""`dhr new DIR`: a new review project from ``templates/new/`` — every required section, and placeholder
data marked ``[PLACEHOLDER: ...]`` that loads without errors and builds in draft mode."""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from .errors import InputError, Problem
from .paths import templates_dir

PLACEHOLDER = "[PLACEHOLDER:"
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "_book", ".dhr-cache", ".quarto", "_freeze")


def new_review(target: Path | str) -> Path:
    """Copy the skeleton review into ``target`` (created; must not exist or be empty). Returns it, absolute."""
    target = Path(target).expanduser().resolve()
    if target.exists() and not target.is_dir():
        raise InputError(Problem(str(target), "exists and is a file",
                                 fix="choose a new folder name for the review"))
    if target.is_dir() and any(target.iterdir()):
        raise InputError(Problem(str(target), "exists and is not empty",
                                 fix="choose a new folder name, or empty this folder first"))
    source = templates_dir() / "new"
    shutil.copytree(source, target, ignore=_SKIP, dirs_exist_ok=True)
    from .editor import write_editor_files

    write_editor_files(target)
    return target


def cmd_new(args: argparse.Namespace) -> int:
    target = new_review(args.dir)
    print(f"Created a new review in {target}\n"
          f"Next: replace every {PLACEHOLDER} ...] in data/ and chapters/, then run `dhr check {args.dir}` "
          f"and `dhr render {args.dir}`.\n"
          f"Editors: open the folder in VS Code (Ctrl+Shift+B runs `dhr check`; task `dhr: preview` for a live "
          f"preview); in JupyterLab, .ipynb chapters work as they are (see jupytext.toml for .qmd).")
    return 0
