"""Parsing .qmd/.ipynb chapters: cells, `#|` options, fences, and errors located by file:line."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from dhr_kit.errors import InputError
from dhr_kit.source import parse_chapter
from dhr_kit.source import parse_qmd

ERRORS = Path(__file__).parent / "fixtures" / "render" / "errors"


def _qmd(tmp_path: Path, text: str):
    path = tmp_path / "c.qmd"
    path.write_text(text, encoding="utf-8")
    return parse_qmd(path, "c.qmd")


def test_cells_options_and_lines(tmp_path):
    chapter = _qmd(tmp_path, "---\ntitle: T\n---\n\n# H\n\n```{python}\n#| label: fig-a\n#| fig-cap: \"Cap\"\nx = 1\n```\n\nText\n")
    assert chapter.front_matter == {"title": "T"}
    kinds = [(c.kind, c.line) for c in chapter.cells]
    assert kinds == [("markdown", 4), ("code", 7), ("markdown", 12)]
    code = chapter.cells[1]
    assert code.options == {"label": "fig-a", "fig-cap": "Cap"}
    assert code.source == "x = 1"


@pytest.mark.parametrize("text", [
    "````\n```{python}\nnot a cell\n```\n````\n",  # a longer fence holds a shorter one
    "~~~\n```{python}\nnot a cell\n```\n~~~\n",  # tildes hold backticks
    "```python\nplain code, not executed\n```\n",
    "```{=typst}\n#pagebreak()\n```\n",
])
def test_blocks_that_are_not_cells_stay_markdown(tmp_path, text):
    chapter = _qmd(tmp_path, text)
    assert [c.kind for c in chapter.cells] == ["markdown"]
    assert chapter.cells[0].source == text


def test_tilde_cell_and_longer_closing_fence(tmp_path):
    chapter = _qmd(tmp_path, "~~~{python}\nprint(1)\n~~~~~\n\n````{python}\n```\n````\n")
    assert [c.source for c in chapter.code_cells] == ["print(1)", "```"]


def test_other_languages_are_refused_with_their_line(tmp_path):
    with pytest.raises(InputError) as info:
        _qmd(tmp_path, "# A\n\n```{r}\n1\n```\n")
    assert info.value.problems[0].line == 3


def test_every_problem_is_reported_at_once(tmp_path):
    with pytest.raises(InputError) as info:
        _qmd(tmp_path, "```{python}\n#| a: [\n```\n\n```{python}\n#| b: {\n```\n")
    assert [p.line for p in info.value.problems] == [2, 6]


@pytest.mark.parametrize("case", sorted(p.name for p in ERRORS.iterdir()))
def test_bad_input_names_file_and_line(case):
    """Each errors/<case>/ project: rendering stops with the message in expected-error.txt."""
    from dhr_kit.render import render

    folder = ERRORS / case
    expected = (folder / "expected-error.txt").read_text(encoding="utf-8").strip()
    with pytest.raises(InputError) as info:
        render(folder, to="markdown", quiet=True, engine="embedded")
    assert expected in str(info.value)
    assert not (folder / "_book").exists() and not (folder / ".dhr-cache").exists()


def test_notebook_chapter(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_raw_cell("---\ntitle: N\n---"), nbformat.v4.new_markdown_cell("# N"),
                nbformat.v4.new_code_cell("#| echo: false\nprint(2)")]
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    chapter = parse_chapter(path, "n.ipynb")
    assert chapter.front_matter == {"title": "N"}
    assert [c.kind for c in chapter.cells] == ["markdown", "code"]
    assert chapter.code_cells[0].options == {"echo": False}
    assert chapter.code_cells[0].line == 3  # cell number, reported as "(cell 3)"


def test_an_edited_or_created_include_is_read_again(tmp_path):
    """A chapter is parsed once per process, but a change to a file it includes (or creating a missing
    one) is seen at the next read, as the preview needs."""
    from dhr_kit.source import read_chapter

    (tmp_path / "chapters").mkdir()
    chapter = tmp_path / "chapters" / "a.qmd"
    chapter.write_text("# A\n\n{{< include part.qmd >}}\n", encoding="utf-8")
    with pytest.raises(InputError, match="part.qmd does not exist"):
        read_chapter(chapter, "chapters/a.qmd")
    part = tmp_path / "chapters" / "part.qmd"
    part.write_text("First text.\n", encoding="utf-8")
    assert "First text." in read_chapter(chapter, "chapters/a.qmd").text
    part.write_text("Second text, longer.\n", encoding="utf-8")
    assert "Second text, longer." in read_chapter(chapter, "chapters/a.qmd").text
