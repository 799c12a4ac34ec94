"""Building QA fixture reviews: the shared base review with one case's overlay applied."""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

FIXTURES = Path(__file__).parent / "fixtures" / "qa"
BASE = FIXTURES / "_base"
EXPECTED = "expected.yml"


def cases() -> list[str]:
    return sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and not p.name.startswith("_"))


def expected(case: str) -> dict:
    path = FIXTURES / case / EXPECTED
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}


def materialise(case: str | None, workdir: Path) -> tuple[Path, Path | None]:
    """Copy the base review into workdir/review, overlay the case; returns (project, names file or None).

    The names file (``names:`` in expected.yml) is written outside the project, as a real one must be."""
    project = workdir / "review"
    shutil.copytree(BASE, project)
    names_file = None
    if case:
        spec = expected(case)
        overlay = FIXTURES / case
        for path in overlay.rglob("*"):
            if path.is_file() and path.name != EXPECTED:
                target = project / path.relative_to(overlay)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, target)
        for rel in spec.get("delete", []):
            (project / rel).unlink()
        if spec.get("names"):
            names_file = workdir / "names.txt"
            names_file.write_text("# private deny-list\n" + "\n".join(spec["names"]) + "\n", encoding="utf-8")
    return project, names_file
