"""Shared fixtures: the example review rendered once per session into a temporary copy."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_ITEMS = ("_quarto.yml", "index.qmd", "references.bib", "chapters", "data")
ARTIFACTS = REPO / "test-artifacts"


def copy_example(dest: Path) -> Path:
    """A copy of the example review (sources and data only), so tests never touch the checkout's _book."""
    dest.mkdir(parents=True, exist_ok=True)
    for item in EXAMPLE_ITEMS:
        src = REPO / item
        if src.is_dir():
            shutil.copytree(src, dest / item)
        else:
            shutil.copy2(src, dest / item)
    return dest


def need(condition: bool, reason: str) -> None:
    """Skip when a test tool is missing — or fail, where CI demands every tool (DHR_REQUIRE_TOOLS=1)."""
    if condition:
        return
    if os.environ.get("DHR_REQUIRE_TOOLS") == "1":
        pytest.fail(f"required test tool missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def rendered_example(tmp_path_factory):
    """The example rendered to HTML (site + single file), PDF and docx, for publication (the strictest path)."""
    from dhr_kit.render import render

    project = copy_example(tmp_path_factory.mktemp("example") / "review")
    result = render(project, to="all", publish=True, single_file=True, quiet=True, engine="embedded")
    return result
