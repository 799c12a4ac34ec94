"""JupyterLab with Jupytext, as `dhr new` sets it up (jupytext.toml): chapters read as notebooks by the real
jupytext library and written back unchanged, and a chapter kept as a Jupytext-made .ipynb renders end to end.

Jupytext opens a `.qmd` through the `quarto` CLI; where Quarto is installed the round trip goes that way.
Without it, the same ```{python} cells are read by Jupytext's R Markdown reader (the syntax Quarto took
over): the skeleton must round-trip there too and its cells must be the cells dhr-kit runs — so an author
without Quarto who keeps a chapter as a notebook (the advice in jupytext.toml) gets the same chapter."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dhr_kit.cli import main
from dhr_kit.paths import templates_dir
from dhr_kit.scaffold import new_review
from dhr_kit.source import read_chapter

jupytext = pytest.importorskip("jupytext")

SKELETON = templates_dir() / "new"
CHAPTERS = sorted(SKELETON.glob("chapters/*.qmd")) + [SKELETON / "index.qmd"]
QUARTO = shutil.which("quarto") is not None


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_a_skeleton_chapter_reads_as_a_notebook_and_writes_back_unchanged(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fmt = "qmd" if QUARTO else "Rmd"
    notebook = jupytext.reads(text, fmt=fmt)
    assert jupytext.writes(notebook, fmt=fmt) == text
    ours = [cell.source for cell in read_chapter(path, path.name).code_cells]
    theirs = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    assert len(theirs) == len(ours)
    for code, cell in zip(ours, theirs):  # Jupytext keeps the `#|` option lines in the cell; dhr-kit reads them apart
        assert cell.endswith(code)


def test_the_pairing_configuration_names_qmd(tmp_path: Path) -> None:
    root = new_review(tmp_path / "review")
    config = jupytext.config.load_jupytext_configuration_file(str(root / "jupytext.toml"))
    assert "qmd" in config.notebook_extensions and "ipynb" in config.notebook_extensions


@pytest.mark.slow
def test_a_chapter_kept_as_a_jupytext_notebook_renders(tmp_path: Path) -> None:
    root = new_review(tmp_path / "review")
    source = root / "chapters" / "10-analysis.qmd"
    notebook = jupytext.reads(source.read_text(encoding="utf-8"), fmt="qmd" if QUARTO else "Rmd")
    target = source.with_suffix(".ipynb")
    jupytext.write(notebook, str(target))
    source.unlink()
    config = root / "_quarto.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("chapters/10-analysis.qmd",
                                                                  "chapters/10-analysis.ipynb"), encoding="utf-8")
    assert main(["render", str(root), "--engine", "embedded", "--quiet", "--to", "html"]) == 0
    page = (root / "_book" / "10-analysis.html").read_text(encoding="utf-8")
    assert "Analysis" in page and "ToR1: Risk identification and assessment" in page
    assert "Term of Reference" in page and "How did agencies identify and assess the risk" in page  # cell output
    assert "from dhr_kit import" not in page and "tor_analysis" not in page  # echo: false: the code is not shown
