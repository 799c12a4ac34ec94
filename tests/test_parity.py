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
