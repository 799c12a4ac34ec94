"""The `dhr:` block of `_quarto.yml` against its schema: cases in tests/fixtures/dhr-settings/cases.yml."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from dhr_kit.cli import main
from dhr_kit.errors import InputError
from dhr_kit.project import load_project

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "dhr-settings" / "cases.yml").read_text(encoding="utf-8"))
CONFIG = "project:\n  type: book\nbook:\n  title: T\n  chapters: [index.qmd]\ndhr:\n"


def write_project(root: Path, block: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.qmd").write_text("# Index\n", encoding="utf-8")
    (root / "_quarto.yml").write_text(CONFIG + textwrap.indent(block, "  "), encoding="utf-8")
    return root


@pytest.mark.parametrize("case", sorted(CASES))
def test_dhr_settings(case, tmp_path):
    spec = CASES[case]
    root = write_project(tmp_path / case, spec["dhr"])
    if not spec["problems"]:
        settings = load_project(root).settings
        assert {k: getattr(settings, k) for k in spec["settings"]} == spec["settings"]
        return
    with pytest.raises(InputError) as info:
        load_project(root)
    problems = info.value.problems
    assert len(problems) == len(spec["problems"]), problems
    for problem, expected in zip(problems, spec["problems"]):
        assert (problem.file, problem.line, problem.key) == ("_quarto.yml", expected["line"], expected["key"])
        assert expected["message"] in problem.message and expected["fix"] in problem.fix


def test_an_unknown_key_exits_2_with_one_message(tmp_path, capsys):
    root = write_project(tmp_path / "review", CASES["unknown-key"]["dhr"])
    assert main(["check", str(root)]) == 2
    err = capsys.readouterr().err
    assert "_quarto.yml:8: [dhr.isolate-chapter] unknown setting 'isolate-chapter'" in err
    assert "Traceback" not in err
