"""The project folder is a boundary: every file dhr-kit reads resolves inside it.

A path written by the author (a chapter, the QA letter, a data file, an image, a bibliography) may be
relative, absolute, contain ``..`` or be a symbolic link; what counts is where it resolves. A file outside
the project would be read and published without anyone choosing to publish it.
"""
from __future__ import annotations

import os
from pathlib import Path

OUTSIDE_FIX = "copy the file into the review folder and refer to it there (links to files outside are refused)"


def is_inside(root: Path, path: Path) -> bool:
    """True when ``path`` (after following links and ``..``) is the project root or inside it."""
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def outside_reason(root: Path, path: Path) -> str | None:
    """Why ``path`` may not be read ("is a link to a file outside the project" …), None when it may."""
    if is_inside(root, path):
        return None
    written = Path(os.path.abspath(path))  # `..` undone as written, links not followed
    if written.is_relative_to(Path(os.path.abspath(root))):
        return "is a link to a file outside the review folder"
    return "is outside the review folder"


OWNED_MARKER = ".dhr-output"  # written by dhr-kit into every output folder it builds
_SOURCE_SUFFIXES = {".qmd", ".ipynb", ".md", ".yml", ".yaml", ".csv", ".xlsx", ".bib", ".py", ".lua", ".typ"}


def is_owned_output(folder: Path) -> bool:
    """A folder dhr-kit may replace: missing, empty, marked by dhr-kit, or an earlier build's output
    (an ``index.html`` or a PDF and no source-like file anywhere in it)."""
    if not folder.exists():
        return True
    if not folder.is_dir():
        return False
    if (folder / OWNED_MARKER).is_file():
        return True
    files = [p for p in folder.rglob("*") if p.is_file() or p.name == ".git"]
    if not files:
        return True
    looks_built = (folder / "index.html").is_file() or any(p.suffix == ".pdf" for p in files)
    return looks_built and not any(p.suffix.lower() in _SOURCE_SUFFIXES or p.name == ".git" for p in files)


def output_dir_problem(root: Path, written: str, sources: list[Path]) -> str | None:
    """Why ``output-dir: written`` may not be used (it would be deleted and replaced on every build)."""
    root = root.resolve()
    folder = (root / written).resolve()
    if not is_inside(root, folder):
        return f"output-dir '{written}' is outside the review folder"
    if folder == root:
        return f"output-dir '{written}' is the review folder itself"
    for source in sources:
        source = source.resolve()
        if source == folder or folder in source.parents:
            return (f"output-dir '{written}' holds the review's own files "
                    f"({source.relative_to(root).as_posix()})")
    if folder.name in {"data", "chapters", "_extensions", ".git", ".dhr-cache", "templates"}:
        return f"output-dir '{written}' is a source folder"
    if not is_owned_output(folder):
        return f"output-dir '{written}' is a folder that dhr-kit did not make"
    return None


OUTPUT_DIR_FIX = ("use a new folder inside the review for the outputs, e.g. `output-dir: _book` under `project:` "
                  "(dhr-kit deletes and rebuilds it on every render)")
