"""The Quarto format extension and publish profile dhr-kit ships: one copy (templates/new) that `dhr new`
installs and the example carries unchanged; `format: dhr-*` is read by both engines."""
from __future__ import annotations

from pathlib import Path

import yaml

from conftest import REPO
from dhr_kit.project import load_project
from dhr_kit.scaffold import new_review

SHIPPED = REPO / "templates" / "new"
FILES = ("_quarto-publish.yml", "_environment-publish")


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_example_carries_the_shipped_extension():
    assert tree(REPO / "_extensions" / "dhr") == tree(SHIPPED / "_extensions" / "dhr")
    for name in FILES:
        assert (REPO / name).read_bytes() == (SHIPPED / name).read_bytes()


def test_dhr_new_installs_extension_and_publish_profile(tmp_path):
    root = new_review(tmp_path / "review")
    extension = yaml.safe_load((root / "_extensions" / "dhr" / "_extension.yml").read_text())
    typst = extension["contributes"]["formats"]["typst"]
    assert typst["pdf-standard"] == "ua-1" and typst["papersize"] == "a4"
    assert extension["contributes"]["formats"]["common"]["lang"] == "en-GB"
    profile = yaml.safe_load((root / "_quarto-publish.yml").read_text())
    assert profile["execute"]["freeze"] is False and "--publish" in profile["project"]["pre-render"]
    assert "DHR_PUBLISH=1" in (root / "_environment-publish").read_text().splitlines()


def test_dhr_formats_are_read_by_both_engines():
    project = load_project(REPO)
    assert project.format_options("typst")["papersize"] == "a4"
    assert project.quarto_format("typst") == "dhr-typst" and project.quarto_format("html") == "dhr-html"


def test_the_extension_styles_html_as_the_embedded_engine_does():
    """One stylesheet: the extension's dhr.css is templates/html/dhr.css plus the rules for Quarto's markup."""
    shipped = (SHIPPED / "_extensions" / "dhr" / "dhr.css").read_text(encoding="utf-8")
    assert shipped.startswith((REPO / "templates" / "html" / "dhr.css").read_text(encoding="utf-8").rstrip("\n"))
    assert ".dhr-callout" in shipped


def test_quarto_finds_its_gitignore_entries_in_a_new_review(tmp_path):
    """Quarto appends `/.quarto/` and `**/*.quarto_ipynb` to a .gitignore that lacks them (exact lines)."""
    root = new_review(tmp_path / "review")
    lines = (root / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/.quarto/" in lines and "**/*.quarto_ipynb" in lines
