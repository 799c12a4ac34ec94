"""assert_golden: a missing golden file fails (it is written only when DHR_UPDATE_GOLDEN=1 asks)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "helpers"))
import dhr_helper_fixtures as fixtures  # noqa: E402


def test_a_missing_golden_fails(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(fixtures, "GOLDEN", tmp_path)
    monkeypatch.delenv(fixtures.UPDATE_GOLDEN, raising=False)
    with pytest.raises(pytest.fail.Exception, match="DHR_UPDATE_GOLDEN=1"):
        fixtures.assert_golden("absent", "text")
    assert not (tmp_path / "absent.md").exists()


def test_a_different_golden_fails(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(fixtures, "GOLDEN", tmp_path)
    monkeypatch.delenv(fixtures.UPDATE_GOLDEN, raising=False)
    (tmp_path / "table.md").write_text("old", encoding="utf-8")
    with pytest.raises(AssertionError):
        fixtures.assert_golden("table", "new")


def test_update_env_writes_the_golden(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(fixtures, "GOLDEN", tmp_path)
    monkeypatch.setenv(fixtures.UPDATE_GOLDEN, "1")
    fixtures.assert_golden("table", "new")
    assert (tmp_path / "table.md").read_text(encoding="utf-8") == "new"


def test_every_golden_file_is_used_by_a_helper_test() -> None:
    """A golden file no test compares against is stale; every compared one exists (a missing one fails
    the helper test that names it)."""
    sources = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_helpers_*.py"))
    stale = [p.name for p in sorted(fixtures.GOLDEN.glob("*.md")) if f'"{p.stem}"' not in sources]
    assert fixtures.GOLDEN.is_dir() and any(fixtures.GOLDEN.glob("*.md"))
    assert not stale, f"golden files no test uses: {stale}"
