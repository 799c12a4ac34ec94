"""The execution cache: a warm build starts no kernel; a changed data file re-executes only its readers."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dhr_kit.errors import BuildError
from dhr_kit.render import render as render_review
from dhr_kit.render.cache import normalise_read_set

FIXTURES = Path(__file__).parent / "fixtures" / "render"


def render(root, **options):
    """The fixtures are Quarto books, not reviews: no review QA gates (those are tested in the QA suite)."""
    return render_review(root, gates=(), **options)


@pytest.fixture(scope="module")
def warm_project(tmp_path_factory):
    """The cache fixture built once cold (two kernels, run in parallel)."""
    root = tmp_path_factory.mktemp("cache") / "cache"
    shutil.copytree(FIXTURES / "cache", root)
    cold = render(root, to="markdown", quiet=True, engine="embedded")
    return root, cold


def test_cold_build_executes_every_chapter(warm_project):
    _, cold = warm_project
    assert cold.kernels_started == 2 and cold.executed == ["chapters/a.qmd", "chapters/b.qmd"]
    assert "1" in cold.book.chapters[0].markdown and "2" in cold.book.chapters[1].markdown


def test_warm_build_starts_no_kernel(warm_project):
    root, _ = warm_project
    warm = render(root, to="markdown", quiet=True, engine="embedded")
    assert warm.kernels_started == 0 and warm.writers_skipped


def test_changed_data_file_reexecutes_only_its_reader(warm_project):
    root, _ = warm_project
    (root / "data" / "b.csv").write_text("y\n7\n", encoding="utf-8")
    result = render(root, to="markdown", quiet=True, engine="embedded")
    assert result.executed == ["chapters/b.qmd"] and result.kernels_started == 1
    assert "7" in result.book.chapters[1].markdown
    assert (root / "_book" / "markdown" / "b.md").read_text(encoding="utf-8").count("7") == 1


def test_a_prose_edit_runs_nothing_a_code_edit_runs_its_chapter(warm_project):
    """A chapter's run is keyed on its code cells and front matter: the author's prose is not code."""
    root, _ = warm_project
    chapter = root / "chapters" / "a.qmd"
    chapter.write_text("# Chapter a\n\nA new opening sentence moves the cell down.\n"
                       + chapter.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    prose = render(root, to="markdown", quiet=True, engine="embedded")
    assert prose.kernels_started == 0 and prose.executed == []
    assert "A new opening sentence" in prose.book.chapters[0].markdown
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(".split()[-1])", ".split()[-1] + '!')"),
                       encoding="utf-8")
    code = render(root, to="markdown", quiet=True, engine="embedded")
    assert code.executed == ["chapters/a.qmd"] and "!" in code.book.chapters[0].markdown


def test_an_inline_expression_is_code_and_a_new_dhr_kit_runs_every_chapter(warm_project, monkeypatch):
    """Prose is not code, but an inline `{python}` expression in it is; and a change to dhr-kit itself (an edit
    to a checkout keeps the version number) makes the cached work stale."""
    root, _ = warm_project
    chapter = root / "chapters" / "b.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nTwice two is `{python} 2 * 2`.\n", encoding="utf-8")
    inline = render(root, to="markdown", quiet=True, engine="embedded")
    assert inline.executed == ["chapters/b.qmd"] and "Twice two is 4." in inline.book.chapters[1].markdown
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("2 * 2", "2 * 3"), encoding="utf-8")
    changed = render(root, to="markdown", quiet=True, engine="embedded")
    assert changed.executed == ["chapters/b.qmd"] and "Twice two is 6." in changed.book.chapters[1].markdown

    from dhr_kit.render import run_chapters

    monkeypatch.setattr(run_chapters, "code_version", lambda: "0.1.0+another-checkout")
    upgraded = render(root, to="markdown", quiet=True, engine="embedded")
    assert upgraded.executed == ["chapters/a.qmd", "chapters/b.qmd"]


def test_code_version_follows_the_package_files():
    from dhr_kit import __version__
    from dhr_kit.render.cache import code_version

    assert code_version() == code_version() and code_version().startswith(__version__ + "+")
    assert code_version.__wrapped__() == code_version()  # (computed from the files, not remembered elsewhere)


def test_freeze_true_keeps_cached_outputs(warm_project):
    root, _ = warm_project
    config = root / "_quarto.yml"
    config.write_text(config.read_text(encoding="utf-8") + "execute:\n  freeze: true\n", encoding="utf-8")
    (root / "data" / "a.csv").write_text("x\n9\n", encoding="utf-8")
    frozen = render(root, to="markdown", quiet=True, engine="embedded")
    assert frozen.kernels_started == 0 and "9" not in frozen.book.chapters[0].markdown


def test_read_set_normalisation():
    reads = ["data/a.csv", ".dhr-cache/figures/x.png", "_book/index.html", "pkg/__pycache__/mod.cpython-311.pyc",
             "pkg/__pycache__", ".git/HEAD"]
    assert normalise_read_set(reads, {".dhr-cache", "_book"}) == ["data/a.csv", "pkg/mod.py"]


def _child_pythons() -> list:
    psutil = pytest.importorskip("psutil")
    return [p for p in psutil.Process().children(recursive=True) if "python" in p.name().lower()]


def test_kernels_are_reused_unless_chapters_are_isolated(tmp_path):
    """Three chapters on two workers: two kernels reused (reset between chapters), or one per chapter;
    the same book either way, and no kernel process is left behind."""
    root = tmp_path / "cache"
    shutil.copytree(FIXTURES / "cache", root)
    chapter_c = '# Chapter c\n\n```{python}\nprint(open("data/a.csv").read().split()[-1])\n```\n'
    (root / "chapters" / "c.qmd").write_text(chapter_c, encoding="utf-8")
    config = root / "_quarto.yml"
    config.write_text(config.read_text(encoding="utf-8") + "    - chapters/c.qmd\n", encoding="utf-8")
    reused = render(root, to="markdown", quiet=True, engine="embedded", no_cache=True)
    assert reused.kernels_started == 2 and len(reused.executed) == 3 and _child_pythons() == []
    reused_md = {p.name: p.read_text(encoding="utf-8") for p in (root / "_book" / "markdown").iterdir()}
    entries = {p.name: p.read_text(encoding="utf-8") for p in (root / ".dhr-cache" / "chapters").iterdir()}
    config.write_text(config.read_text(encoding="utf-8") + "dhr:\n  isolate-chapters: true\n", encoding="utf-8")
    isolated = render(root, to="markdown", quiet=True, engine="embedded", no_cache=True)
    assert isolated.kernels_started == 3 and _child_pythons() == []
    assert [c.markdown for c in isolated.book.chapters] == [c.markdown for c in reused.book.chapters]
    assert reused_md == {p.name: p.read_text(encoding="utf-8") for p in (root / "_book" / "markdown").iterdir()}
    assert [json.loads(entries[name])["files"] for name in sorted(entries)] == [
        json.loads((root / ".dhr-cache" / "chapters" / name).read_text(encoding="utf-8"))["files"]
        for name in sorted(entries)]


def test_a_failing_chapter_leaves_no_kernel_running(tmp_path):
    root = tmp_path / "cache"
    shutil.copytree(FIXTURES / "cache", root)
    (root / "chapters" / "a.qmd").write_text("# Chapter a\n\n```{python}\nraise KeyError('boom')\n```\n",
                                             encoding="utf-8")
    with pytest.raises(BuildError, match="chapters/a.qmd:4: the cell raised KeyError"):
        render(root, to="markdown", quiet=True, engine="embedded")
    assert _child_pythons() == []
