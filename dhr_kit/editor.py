"""Editor set-up written by `dhr new` and `dhr init`: VS Code tasks with a problem matcher for
`dhr check`, recommended extensions and settings, Jupytext for opening chapters as notebooks in
JupyterLab, and a pre-commit hook. Files that already exist are never overwritten."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from .errors import InputError, Problem
from .project import CONFIG_FILE

# `dhr check` text output: `file:line:col: severity RULE-ID message (suggestion)`; `dhr render` prints
# the same lines after "warning: " or "open: " (a draft's open QA errors).
# `file:line:col:`, or `file:cell N:line:col:` in a notebook (the editor opens the notebook; the line counts in the cell)
CHECK_LINE_REGEX = r"^(?:open: |warning: )?(.+?)(?::cell \d+)?:(\d+):(\d+): (error|warning|info) (DHR-[A-Z]\d{3}) (.*)$"

PROBLEM_MATCHER = {
    "owner": "dhr",
    "source": "dhr-kit",
    "fileLocation": ["relative", "${workspaceFolder}"],
    "pattern": {"regexp": CHECK_LINE_REGEX, "file": 1, "line": 2, "column": 3, "severity": 4, "code": 5,
                "message": 6},
}


def _task(label: str, args: list[str], **extra) -> dict:
    return {"label": label, "type": "shell", "command": "dhr", "args": args,
            "problemMatcher": PROBLEM_MATCHER, **extra}


def tasks_json() -> dict:
    folder = "${workspaceFolder}"
    preview_matcher = {
        "owner": "dhr-preview",
        "pattern": {"regexp": r"^dhr preview: build failed(?: \((.*)\))?: (.*)$", "file": 1, "message": 2},
        "background": {"activesBegin": True, "beginsPattern": r"^dhr preview: serving",
                       "endsPattern": r"^dhr preview: (built|build failed)"},
    }
    return {"version": "2.0.0", "tasks": [
        _task("dhr: check", ["check", folder], group={"kind": "build", "isDefault": True},
              presentation={"reveal": "silent", "clear": True}),
        _task("dhr: check for publication", ["check", folder, "--publish"], presentation={"clear": True}),
        {"label": "dhr: preview", "type": "shell", "command": "dhr", "args": ["preview", folder],
         "isBackground": True, "problemMatcher": preview_matcher},
        _task("dhr: render draft", ["render", folder]),
        _task("dhr: Word copy for the panel", ["render", folder, "--to", "docx"]),
        _task("dhr: render for publication", ["render", folder, "--publish"]),
    ]}


EXTENSIONS = {"recommendations": ["quarto.quarto", "ms-toolsai.jupyter", "ms-python.python"]}

SETTINGS = {
    # Cells run in the project's environment, from the project's root, so `from dhr_kit import …` and the
    # helpers find data/ whichever chapter folder the file is in.
    "python.defaultInterpreterPath": "${workspaceFolder}/.venv/bin/python",
    "jupyter.notebookFileRoot": "${workspaceFolder}",
    "quarto.render.renderOnSave": False,
    "files.exclude": {"_book": True, ".dhr-cache": True, "**/__pycache__": True},
    "files.associations": {"*.qmd": "quarto"},
    "editor.wordWrap": "on",
}

JUPYTEXT_TOML = """\
# JupyterLab with Jupytext (`pip install jupyterlab jupytext`): a .qmd chapter opens as a notebook
# (double-click, or right-click → Open With → Notebook); saving writes the .qmd back, so the chapter stays
# the one source. Jupytext reads .qmd through the `quarto` CLI: where Quarto is not installed, write the
# chapter as an .ipynb notebook instead (list it in _quarto.yml like any chapter).
notebook_extensions = ["ipynb", "qmd"]
"""

PRE_COMMIT_CONFIG = """\
# `pre-commit install` once; then every commit runs the QA rules on the review (seconds, nothing executed).
repos:
  - repo: local
    hooks:
      - id: dhr-check
        name: dhr check (Domestic Homicide Review QA rules)
        entry: dhr check
        language: system
        pass_filenames: false
        files: \\.(qmd|ipynb|yml|yaml|csv|xlsx|bib|md)$
"""

GITIGNORE = """\
_book/
_upload/
_export/
.dhr-cache/
# Quarto's own, written as Quarto writes them (it adds them to a .gitignore that lacks them)
/.quarto/
**/*.quarto_ipynb
_freeze/
.venv/
__pycache__/
# Never commit the private names list (real names): keep it outside the project.
"""


def editor_files() -> dict[str, str]:
    """Project-relative path -> content."""
    dump = lambda data: json.dumps(data, indent=2) + "\n"  # noqa: E731
    return {
        ".vscode/tasks.json": dump(tasks_json()),
        ".vscode/extensions.json": dump(EXTENSIONS),
        ".vscode/settings.json": dump(SETTINGS),
        "jupytext.toml": JUPYTEXT_TOML,
        ".pre-commit-config.yaml": PRE_COMMIT_CONFIG,
        ".gitignore": GITIGNORE,
    }


def write_editor_files(root: Path) -> tuple[list[str], list[str]]:
    """Write the editor set-up into ``root``; returns (written, left alone because they exist)."""
    written, kept = [], []
    for rel, text in editor_files().items():
        path = root / rel
        if path.exists():
            kept.append(rel)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(rel)
    return written, kept


def cmd_init(args: argparse.Namespace) -> int:
    root = Path(args.dir).resolve()
    if not (root / CONFIG_FILE).is_file():
        raise InputError(Problem(str(root), f"has no {CONFIG_FILE}: `dhr init` sets up an existing Quarto book",
                                 fix="run it in the book's folder, or create a new review with `dhr new DIR`"))
    written, kept = write_editor_files(root)
    for rel in written:
        print(f"wrote {rel}")
    for rel in kept:
        print(f"kept  {rel} (already there)")
    print("Open the folder in VS Code: Ctrl+Shift+B runs `dhr check` and lists findings in the Problems panel; "
          "the task `dhr: preview` opens the live preview.")
    return 0
