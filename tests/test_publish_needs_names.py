"""A publication build without the private names file would publish without searching for real names:
it is refused unless `--no-names` says so, and then the build log says the check did not run."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_example
from dhr_kit.cli import main


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    return copy_example(tmp_path_factory.mktemp("names") / "review")


def test_publish_without_names_is_refused(example: Path, monkeypatch, capsys) -> None:
    monkeypatch.delenv("DHR_NAMES_FILE", raising=False)
    assert main(["check", str(example), "--publish"]) == 2
    err = capsys.readouterr().err
    assert "a publication build needs the private names file" in err and "--no-names" in err


def test_no_names_says_so(example: Path, monkeypatch, capsys) -> None:
    monkeypatch.delenv("DHR_NAMES_FILE", raising=False)
    assert main(["check", str(example), "--publish", "--no-names"]) == 0
    assert "no real name was searched for" in capsys.readouterr().err


def test_names_file_from_the_environment(example: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    names = tmp_path / "names.txt"
    names.write_text("Zebedee Quarrington\n", encoding="utf-8")
    monkeypatch.setenv("DHR_NAMES_FILE", str(names))
    assert main(["check", str(example), "--publish"]) == 0
    assert "no real name" not in capsys.readouterr().err
