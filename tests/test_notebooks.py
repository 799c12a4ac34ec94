"""Issue #6 item 3: the example's chapters run as Jupyter notebooks (nbval), and a papermill-parameterised
notebook (an agency's chronology, draft or publish) gives the output a reader of that agency expects."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import copy_example

from dhr_kit.project import load_project
from dhr_kit.render.execute import effective_options
from dhr_kit.source import parse_chapter
from dhr_kit.source import Chapter

NOTEBOOKS = Path(__file__).parent / "fixtures" / "notebooks"
KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}
DAY_DATE = re.compile(r"\b\d{1,2} [A-Z][a-z]+ \d{4}\b|\b\d{4}-\d{2}-\d{2}\b")
MONTH_DATE = re.compile(r"^[A-Z][a-z]+ \d{4}$")


def chapter_notebook(chapter: Chapter, project_execute: dict) -> nbformat.NotebookNode:
    """The chapter as Jupyter would hold it: Markdown cells, and the code cells the renderer evaluates.

    A cell with `eval: false` is kept as Markdown (it never runs); one with `error: true` is tagged
    `raises-exception`, which nbval honours as the renderer does.
    """
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": KERNEL, "language_info": {"name": "python"}})
    for cell in chapter.cells:
        if cell.kind == "markdown":
            nb.cells.append(nbformat.v4.new_markdown_cell(cell.source))
            continue
        options = effective_options(cell, chapter, project_execute)
        if not options.get("eval", True):
            nb.cells.append(nbformat.v4.new_markdown_cell(f"```python\n{cell.source}\n```"))
            continue
        code = nbformat.v4.new_code_cell(cell.source)
        if options.get("error"):
            code.metadata["tags"] = ["raises-exception"]
        nb.cells.append(code)
    return nb


def write_chapter_notebooks(root: Path) -> dict[Path, int]:
    """One notebook per chapter that has code, at the project root (nbval's kernel cwd = the notebook's
    folder, and the renderer's is the project root). Returns {notebook: number of code cells}."""
    project = load_project(root)
    written: dict[Path, int] = {}
    for ref in project.chapters:
        chapter = parse_chapter(ref.path, ref.rel)
        nb = chapter_notebook(chapter, project.execute)
        cells = sum(1 for c in nb.cells if c.cell_type == "code")
        if cells:
            path = root / f"nb-{ref.path.stem}.ipynb"
            nbformat.write(nb, path)
            written[path] = cells
    return written


@pytest.mark.slow
def test_example_chapters_pass_nbval_lax(tmp_path):
    root = copy_example(tmp_path / "review")
    notebooks = write_chapter_notebooks(root)
    assert len(notebooks) >= 5, f"expected the example's chapters with code cells, found {list(notebooks)}"
    env = {**_clean_env(), "DHR_PROJECT": str(root), "DHR_PUBLISH": "0"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p", "no:cacheprovider",
         "-q", "--rootdir", str(root), *(p.name for p in notebooks)],
        cwd=root, env=env, capture_output=True, text=True, timeout=900)
    report = run.stdout + run.stderr
    assert run.returncode == 0, report[-6000:]
    passed = re.search(r"(\d+) passed", report)
    assert passed, report[-3000:]
    assert int(passed.group(1)) == sum(notebooks.values()), report[-3000:]


def _clean_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith(("DHR_", "PYTEST_"))}


# ---- papermill ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def example_copy(tmp_path_factory) -> Path:
    return copy_example(tmp_path_factory.mktemp("papermill") / "review")


def _table_rows(markdown: str) -> list[list[str]]:
    """Data rows of the pipe table (header and separator dropped), cells stripped."""
    lines = [line for line in markdown.splitlines() if line.lstrip().startswith("|")]
    return [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines[2:]]


def _markdown_outputs(nb: nbformat.NotebookNode) -> str:
    texts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for mime in ("text/markdown", "text/plain"):
                if mime in data:
                    texts.append("".join(data[mime]))
                    break
            if output.get("output_type") == "stream":
                texts.append("".join(output.get("text", "")))
    return "\n".join(texts)


@pytest.mark.parametrize("publish", [True, False], ids=["publish", "draft"])
def test_papermill_agency_chronology(example_copy, tmp_path, monkeypatch, publish):
    papermill = pytest.importorskip("papermill")
    from dhr_kit import load_review

    review = load_review(example_copy)
    gp_name = review.agencies["gp"].name
    other_names = [a.name for a in review.metadata.agencies if a.id != "gp"]
    gp_events = int((review.chronology["agency"] == "gp").sum())
    assert gp_events > 0

    monkeypatch.setenv("DHR_PROJECT", str(example_copy))
    monkeypatch.delenv("DHR_PUBLISH", raising=False)
    output = tmp_path / "gp-chronology.ipynb"
    papermill.execute_notebook(str(NOTEBOOKS / "agency-chronology.ipynb"), str(output),
                               parameters={"agency": "gp", "publish": publish}, cwd=str(example_copy),
                               kernel_name="python3", progress_bar=False, log_output=False)

    executed = nbformat.read(output, as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and "agency = \"gp\"" in injected[0].source
    text = _markdown_outputs(executed)
    rows = _table_rows(text)
    assert len(rows) == gp_events, text[:2000]
    header = [c.strip() for c in next(line for line in text.splitlines() if line.lstrip().startswith("|"))
              .strip().strip("|").split("|")]
    assert {row[header.index("Agency")] for row in rows} == {gp_name}
    assert not [name for name in other_names if name in text]
    day_dates = DAY_DATE.findall(text)
    if publish:
        assert not day_dates, f"day-precision dates in a publish build: {day_dates[:5]}"
        assert all(MONTH_DATE.match(row[header.index("Date")]) for row in rows), [row[1] for row in rows]
    else:
        assert day_dates, "a draft keeps the day where the agency recorded it"


# (cell number, line in the cell, text) of each notebook cell; the finding's expected place
NOTEBOOK_FINDING = {
    "cells": [("markdown", "# Notes on contact\n\nThe panel read every record."),
              ("code", "#| echo: false\ncontacts = 3"),
              ("markdown", "The records were read twice.\nShe chose to stay with him.")],
    "rule": "DHR-L005", "cell": 3, "line": 2,
}


def test_findings_in_a_notebook_name_its_cell_and_line(tmp_path):
    """`dhr check` reports a notebook chapter's findings as `file:cell N:line:col` (the form ruff and nbqa
    use), the JSON carries `cell`, and the editor's problem matcher still opens the notebook."""
    import json

    from qa_fixtures import materialise

    from dhr_kit.editor import CHECK_LINE_REGEX

    project, _ = materialise(None, tmp_path)
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": KERNEL})
    nb.cells = [nbformat.v4.new_markdown_cell(text) if kind == "markdown" else nbformat.v4.new_code_cell(text)
                for kind, text in NOTEBOOK_FINDING["cells"]]
    nbformat.write(nb, project / "chapters" / "notes.ipynb")
    config = project / "_quarto.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "    - chapters/03-analysis.qmd\n", "    - chapters/03-analysis.qmd\n    - chapters/notes.ipynb\n"), encoding="utf-8")
    place = f"chapters/notes.ipynb:cell {NOTEBOOK_FINDING['cell']}:{NOTEBOOK_FINDING['line']}:"
    text = subprocess.run([sys.executable, "-m", "dhr_kit", "check", str(project)], capture_output=True, text=True,
                          cwd=project).stdout
    line = next(ln for ln in text.splitlines() if ln.startswith(place))
    assert NOTEBOOK_FINDING["rule"] in line
    match = re.match(CHECK_LINE_REGEX, line)
    assert match and match.group(1) == "chapters/notes.ipynb" and int(match.group(2)) == NOTEBOOK_FINDING["line"]
    data = json.loads(subprocess.run([sys.executable, "-m", "dhr_kit", "check", str(project), "--format", "json"],
                                     capture_output=True, text=True, cwd=project).stdout)
    found = [f for f in data["findings"] if f["rule"] == NOTEBOOK_FINDING["rule"]]
    assert [(f["file"], f["cell"], f["line"]) for f in found] == [
        ("chapters/notes.ipynb", NOTEBOOK_FINDING["cell"], NOTEBOOK_FINDING["line"])]
