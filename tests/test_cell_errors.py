"""A failing cell is reported at the chapter line that failed (real kernel), never with the kernel's
internal file names; a SyntaxError hints at a missing closing fence."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from dhr_kit.errors import BuildError
from dhr_kit.render.execute import KernelSession
from dhr_kit.source import parse_chapter

FENCE_HINT = "the closing ``` of the cell above it is missing"
CASES = {
    # name: (chapter file, text, expected start of the message, fence hint expected)
    "swallowed-fence": ("c.qmd", "# T\n\n```{python}\n#| echo: false\nx = 1\n\n```{python}\n#| echo: false\ny = 2\n```\n",
                        "c.qmd:7: the cell raised SyntaxError: invalid syntax", True),
    "indentation": ("c.qmd", "# T\n\n```{python}\nx = 1\n  y = 2\n```\n",
                    "c.qmd:5: the cell raised IndentationError: unexpected indent", True),
    "raised-in-a-function": ("c.qmd", "# T\n\n```{python}\n#| label: calc\n#| echo: false\ndef f():\n"
                             "    return {}['missing']\n\nf()\n```\n",
                             "c.qmd:9: the cell raised KeyError: 'missing'", False),
    "syntax-error-in-a-project-module": ("c.qmd", "# T\n\n```{python}\nimport sys\nsys.path.insert(0, '.')\n"
                                         "import brokenmod\n```\n",
                                         "c.qmd:6: the cell raised SyntaxError: invalid syntax (brokenmod.py, line 2)",
                                         False),
    "notebook": ("c.ipynb", None, "c.ipynb (cell 2, line 4): the cell raised ZeroDivisionError", False),
}


def _notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# T"),
                nbformat.v4.new_code_cell("#| echo: false\nx = 1\ny = 0\nx / y")]
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def messages(tmp_path_factory) -> dict[str, str]:
    """Every case run in one session (each failure discards its kernel, as in a real build)."""
    root = tmp_path_factory.mktemp("cells")
    (root / "brokenmod.py").write_text("x = 1\ny = = 2\n", encoding="utf-8")
    found = {}
    with KernelSession(root.resolve()) as session:
        for name, (file, text, _, _) in CASES.items():
            path = root / name / file
            path.parent.mkdir()
            if text is None:
                _notebook(path)
            else:
                path.write_text(text, encoding="utf-8")
            chapter = parse_chapter(path.resolve(), file)
            with pytest.raises(BuildError) as info:
                session.execute(chapter, publish=False, project_execute={})
            found[name] = str(info.value)
    return found


@pytest.mark.parametrize("name", CASES)
def test_a_cell_error_names_the_failing_line(messages, name) -> None:
    _, _, start, hint = CASES[name]
    message = messages[name]
    assert message.startswith(start), message
    assert not re.search(r"\b\d+\.py, line \d+", message), message  # IPython's temporary file name
    assert (FENCE_HINT in message) == hint, message
    assert "Cell In[" not in message and "\x1b[" not in message


def test_cells_know_the_line_their_code_starts_on(tmp_path: Path) -> None:
    path = tmp_path / "c.qmd"
    path.write_text("---\ntitle: T\n---\n\n```{python}\n#| echo: false\n#| label: a\nx = 1\n```\n\n"
                    "```{python}\ny = 2\n```\n", encoding="utf-8")
    cells = parse_chapter(path, "c.qmd").code_cells
    assert [(c.line, c.code_line) for c in cells] == [(5, 8), (11, 12)]
