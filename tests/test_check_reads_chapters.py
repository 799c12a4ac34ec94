"""`dhr check` refuses exactly the chapters `dhr render` cannot read, every chapter's problems at once,
and a chapter missing on disk names its line of `_quarto.yml`."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from dhr_kit.cli import main
from dhr_kit.errors import InputError
from dhr_kit.project import load_project
from dhr_kit.qa.workspace import build_workspace
from qa_fixtures import materialise

UNCLOSED = "# Facts\n\nText.\n\n```{python}\nx = 1\n"  # the fence at line 5 is never closed
BAD_OPTION = "# Analysis\n\n```{python}\n#| fig-cap: Contacts: by year\n1\n```\n"  # ': ' in a value, line 4


def test_every_unreadable_chapter_is_reported_at_once(tmp_path: Path) -> None:
    project = materialise(None, tmp_path)[0]
    (project / "chapters" / "02-facts.qmd").write_text(UNCLOSED, encoding="utf-8")
    (project / "chapters" / "03-analysis.qmd").write_text(BAD_OPTION, encoding="utf-8")
    with pytest.raises(InputError) as info:
        build_workspace(project)
    got = sorted((p.file, p.line) for p in info.value.problems)
    assert got == [("chapters/02-facts.qmd", 5), ("chapters/03-analysis.qmd", 4)]
    assert "is never closed" in str(info.value) and "invalid YAML" in str(info.value)


def test_dhr_check_exits_2_on_an_unclosed_fence(tmp_path: Path, capsys) -> None:
    project = materialise(None, tmp_path)[0]
    (project / "chapters" / "02-facts.qmd").write_text(UNCLOSED, encoding="utf-8")
    assert main(["check", str(project)]) == 2
    shown = capsys.readouterr()
    assert "chapters/02-facts.qmd:5: code fence ```{python} is never closed" in shown.out + shown.err


def test_readable_chapters_still_pass(tmp_path: Path) -> None:
    project = materialise(None, tmp_path)[0]
    assert len(build_workspace(project).documents) == 7


@pytest.mark.parametrize(("entry", "listed"), [
    ("chapters/02-facts.qmd", "    - chapters/02-facts.qmd\n"),
    ("chapters/a2-qa-letter.qmd", "    - chapters/a2-qa-letter.qmd\n"),
])
def test_a_missing_chapter_names_its_line_of_the_config(tmp_path: Path, entry: str, listed: str) -> None:
    project = materialise(None, tmp_path)[0]
    (project / entry).unlink()
    config = (project / "_quarto.yml").read_text(encoding="utf-8")
    line = config[:config.index(listed)].count("\n") + 1
    with pytest.raises(InputError) as info:
        load_project(project)
    (problem,) = info.value.problems
    assert (problem.file, problem.line) == ("_quarto.yml", line)
    assert f"chapter file {entry} does not exist" in problem.message


def test_a_longer_path_holding_the_entry_is_not_its_line(tmp_path: Path) -> None:
    project = materialise(None, tmp_path)[0]
    config = project / "_quarto.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text("# old: chapters/02-facts.qmd.bak\n" + text, encoding="utf-8")
    (project / "chapters" / "02-facts.qmd").unlink()
    with pytest.raises(InputError) as info:
        load_project(project)
    assert info.value.problems[0].line == text[:text.index("- chapters/02-facts.qmd")].count("\n") + 2


def test_importing_the_checks_loads_no_kernel_client() -> None:
    code = ("import sys, dhr_kit.qa.workspace, dhr_kit.source; "
            "print(sorted(m for m in ('nbclient', 'jupyter_client', 'nbformat', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_checking_a_qmd_review_loads_no_kernel_client(tmp_path: Path) -> None:
    project = materialise(None, tmp_path)[0]
    code = (f"import sys; from dhr_kit.qa import check; check({str(project)!r}); "
            "print(sorted(m for m in ('nbclient', 'jupyter_client', 'nbformat', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert re.fullmatch(r"\[\]\s*", out), out
