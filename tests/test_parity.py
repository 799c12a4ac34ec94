"""One report, two engines: the parity book (tests/fixtures/parity/, every feature of issue #9) rendered to
PDF gives the structure summary in expected-structure.json (dhr_kit.render.structure) — headings and
their numbers, figures and alt texts, tables and header cells, cross-reference targets, title-page lines,
tagging, PDF/UA-1, en-GB, A4. The embedded half runs in `scripts/dev test`; the Quarto half (marker
`quarto`) in `scripts/dev test-quarto`, against the `quarto` on PATH. One golden file for both:
regenerate it (from the embedded engine) with DHR_UPDATE_GOLDEN=1 and review the diff."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import REPO
from dhr_kit.render import render
from dhr_kit.render.structure import pdf_structure

FIXTURE = Path(__file__).parent / "fixtures" / "parity"
GOLDEN = FIXTURE / "expected-structure.json"


def parity_book(tmp_path: Path) -> Path:
    """The fixture with the example's case data (its title page) and the shipped format extension."""
    root = Path(shutil.copytree(FIXTURE, tmp_path / "parity", ignore=shutil.ignore_patterns("expected-*")))
    for item in (REPO / "data").iterdir():
        target = root / "data" / item.name
        if not target.exists():
            (shutil.copytree if item.is_dir() else shutil.copy2)(item, target)
    shutil.copytree(REPO / "templates" / "new" / "_extensions", root / "_extensions")
    return root


def summary(tmp_path: Path, engine: str) -> dict:
    result = render(parity_book(tmp_path), to="pdf", engine=engine, gates=(), quiet=True)
    assert result.engine == engine
    return pdf_structure(result.output_dir / "parity-report.pdf")


def compare(found: dict) -> None:
    if os.environ.get("DHR_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(found, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return
    if not GOLDEN.exists():
        pytest.fail(f"{GOLDEN} is missing: run with DHR_UPDATE_GOLDEN=1 to write it, then review and commit it")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    differences = {key: {"expected": expected.get(key), "found": found.get(key)}
                   for key in sorted(set(expected) | set(found)) if expected.get(key) != found.get(key)}
    assert not differences, json.dumps(differences, indent=1, ensure_ascii=False)


def test_embedded_engine_matches_the_golden_structure(tmp_path):
    compare(summary(tmp_path, "embedded"))


@pytest.mark.quarto
def test_quarto_matches_the_golden_structure(tmp_path):
    assert shutil.which("quarto"), "scripts/dev test-quarto needs the `quarto` CLI (>= 1.9.18) on PATH"
    if os.environ.get("DHR_UPDATE_GOLDEN") == "1":
        pytest.skip("the golden summary is written from the embedded engine")
    compare(summary(tmp_path, "quarto"))


DAY, MONTH = "14 March 2024", "The first contact: March 2024"


def page_text(root: Path) -> str:
    """The HTML site's text (one page a chapter under Quarto, one page under the embedded engine)."""
    return "\n".join(page.read_text(encoding="utf-8") for page in sorted((root / "_book").rglob("*.html")))


def test_embedded_publish_after_a_draft_shows_no_exact_dates(tmp_path):
    root = parity_book(tmp_path)
    render(root, to="html", engine="embedded", gates=(), quiet=True)
    assert DAY in page_text(root)
    names = tmp_path / "names.txt"
    names.write_text("Zelda Quorrington\n", encoding="utf-8")
    render(root, to="html", engine="embedded", gates=(), quiet=True, publish=True, names_file=names)
    assert DAY not in page_text(root) and MONTH in page_text(root)


@pytest.mark.quarto
def test_quarto_publish_after_a_draft_shows_no_exact_dates(tmp_path):
    """Through `dhr render --engine quarto`, and through a bare `quarto render --profile publish` (the
    shipped profile, less its pre-render check: the parity book is not a review)."""
    import subprocess

    import yaml

    root = parity_book(tmp_path)
    names = tmp_path / "names.txt"
    names.write_text("Zelda Quorrington\n", encoding="utf-8")
    render(root, to="html", engine="quarto", gates=(), quiet=True)
    assert DAY in page_text(root)
    render(root, to="html", engine="quarto", gates=(), quiet=True, publish=True, names_file=names)
    assert DAY not in page_text(root) and MONTH in page_text(root)

    profile = yaml.safe_load((REPO / "templates" / "new" / "_quarto-publish.yml").read_text(encoding="utf-8"))
    del profile["project"]
    (root / "_quarto-publish.yml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    shutil.copy2(REPO / "templates" / "new" / "_environment-publish", root / "_environment-publish")
    env = {**os.environ, "DHR_PROJECT": str(root)}
    env.pop("DHR_PUBLISH", None)
    subprocess.run(["quarto", "render", "--to", "dhr-html"], cwd=root, env=env, check=True, capture_output=True)
    assert DAY in page_text(root)  # a draft, frozen
    subprocess.run(["quarto", "render", "--profile", "publish", "--to", "dhr-html"], cwd=root, env=env,
                   check=True, capture_output=True)
    assert DAY not in page_text(root) and MONTH in page_text(root)
