"""The editor set-up of `dhr new` / `dhr init`: VS Code tasks whose problem matcher reads real `dhr check`
output, recommended extensions, settings, Jupytext, pre-commit; and the repository's pre-commit hooks."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from dhr_kit.cli import main
from dhr_kit.scaffold import new_review


@pytest.fixture
def review(tmp_path: Path) -> Path:
    return new_review(tmp_path / "review")


def _tasks(root: Path) -> dict[str, dict]:
    return {t["label"]: t for t in json.loads((root / ".vscode" / "tasks.json").read_text(encoding="utf-8"))["tasks"]}


def _js_regex(pattern: str) -> re.Pattern:
    """VS Code's matcher is a JavaScript regex; this one uses only syntax Python reads the same way."""
    assert "(?<" not in pattern and "(?P" not in pattern
    return re.compile(pattern)


def test_new_review_opens_in_vs_code_with_a_check_task_that_finds_problems(review: Path, capsys) -> None:
    tasks = _tasks(review)
    check = tasks["dhr: check"]
    assert check["group"] == {"kind": "build", "isDefault": True}
    assert check["command"] == "dhr" and check["args"] == ["check", "${workspaceFolder}"]
    # Run what the task runs, on a chapter with a known error, and read it as VS Code would.
    chapter = review / "chapters" / "09-overview.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nAlex chose to stay with him.\n", encoding="utf-8")
    capsys.readouterr()
    assert main(check["args"][:1] + [str(review)]) == 1
    output = capsys.readouterr().out.splitlines()
    matcher = check["problemMatcher"]
    pattern = _js_regex(matcher["pattern"]["regexp"])
    groups = matcher["pattern"]
    problems = [m for line in output if (m := pattern.match(line))]
    assert problems, output
    error = next(m for m in problems if m.group(groups["severity"]) == "error")
    assert matcher["fileLocation"] == ["relative", "${workspaceFolder}"]
    target = review / error.group(groups["file"])
    assert target == chapter
    line = target.read_text(encoding="utf-8").splitlines()[int(error.group(groups["line"])) - 1]
    assert "chose to stay" in line
    assert error.group(groups["code"]).startswith("DHR-L")
    assert len(problems) == len(output) - 1  # every finding line is read; only the summary line is not


def test_the_matcher_reads_render_output_too(review: Path) -> None:
    pattern = _js_regex(_tasks(review)["dhr: render draft"]["problemMatcher"]["pattern"]["regexp"])
    for line in ("open: chapters/a.qmd:3:7: error DHR-L003 Victim-blaming (use x)",
                 "warning: data/review.yml:46:1: warning DHR-C001 no recommendation"):
        assert pattern.match(line)


def test_extensions_settings_jupytext_and_pre_commit(review: Path) -> None:
    extensions = json.loads((review / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert {"quarto.quarto", "ms-toolsai.jupyter"} <= set(extensions["recommendations"])
    settings = json.loads((review / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["jupyter.notebookFileRoot"] == "${workspaceFolder}"
    assert "qmd" in (review / "jupytext.toml").read_text(encoding="utf-8")
    hooks = yaml.safe_load((review / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert hooks["repos"][0]["hooks"][0]["entry"] == "dhr check"
    assert "_book/" in (review / ".gitignore").read_text(encoding="utf-8")


def test_init_adds_the_set_up_to_an_existing_quarto_book_and_keeps_existing_files(review: Path, tmp_path: Path,
                                                                                  capsys) -> None:
    book = tmp_path / "book"
    shutil.copytree(review, book, ignore=shutil.ignore_patterns(".vscode", "jupytext.toml", ".pre-commit-config.yaml"))
    (book / ".vscode").mkdir()
    (book / ".vscode" / "settings.json").write_text('{"editor.fontSize": 15}\n', encoding="utf-8")
    assert main(["init", str(book)]) == 0
    out = capsys.readouterr().out
    assert "wrote .vscode/tasks.json" in out and "kept  .vscode/settings.json" in out
    assert json.loads((book / ".vscode" / "settings.json").read_text(encoding="utf-8")) == {"editor.fontSize": 15}
    assert _tasks(book) == _tasks(review)


def test_init_outside_a_quarto_book_exits_2(tmp_path: Path, capsys) -> None:
    assert main(["init", str(tmp_path)]) == 2
    assert "_quarto.yml" in capsys.readouterr().err
    assert not (tmp_path / ".vscode").exists()


def test_the_repository_provides_pre_commit_hooks_and_a_ci_example() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert hooks["dhr-check"]["entry"] == "dhr check" and hooks["dhr-check"]["pass_filenames"] is False
    assert re.search(hooks["dhr-check"]["files"], "chapters/01-introduction.qmd")
    workflow = yaml.safe_load((REPO / "docs" / "examples" / "github-actions-dhr.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["check-and-render"]["steps"]
    assert any("--format sarif" in s.get("run", "") for s in steps)
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)
