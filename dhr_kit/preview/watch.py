"""What the preview watches, and a polling snapshot of it (no extra dependency; a review is a few hundred
files at most, so a stat of each every 0.2 s costs nothing)."""
from __future__ import annotations

from pathlib import Path

from ..project import CONFIG_FILE, Project

SKIPPED_DIRS = {"__pycache__", "node_modules", ".git", ".venv", ".dhr-cache", ".quarto", "_freeze"}


def watched_paths(project: Project) -> list[Path]:
    """`_quarto.yml`, `_variables.yml`, the chapters and their folders (images, included files), `data/`, the
    bibliography and CSL."""
    root = project.root
    paths = [root / CONFIG_FILE, root / "_variables.yml", root / "data", *(ref.path for ref in project.chapters),
             *project.bibliography]
    if project.csl is not None:
        paths.append(project.csl)
    folders = {ref.path.parent for ref in project.chapters if ref.path.parent != root}
    paths += sorted(folders)
    return paths


def snapshot(paths: list[Path], output_dir: Path) -> dict[str, tuple[int, int]]:
    """path -> (mtime_ns, size) for every file under ``paths`` (folders walked), outputs excluded."""
    seen: dict[str, tuple[int, int]] = {}

    def add(path: Path) -> None:
        try:
            stat = path.stat()
        except OSError:
            return
        seen[str(path)] = (stat.st_mtime_ns, stat.st_size)

    for path in paths:
        if path.is_dir():
            for child in path.rglob("*"):
                if child.is_file() and not (SKIPPED_DIRS & set(child.parts)) and output_dir not in child.parents:
                    add(child)
        else:
            add(path)
    return seen


def changed(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
