"""The embedded pipeline end to end on small fixture projects: golden executed Markdown, failed builds."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dhr_kit.errors import BuildError, InputError
from dhr_kit.render import render as render_review
from dhr_kit.render.gates import SOURCES

FIXTURES = Path(__file__).parent / "fixtures" / "render"


def render(root, **options):
    """The fixtures are Quarto books, not reviews: no review QA gates (those are tested in the QA suite)."""
    return render_review(root, gates=(), **options)


GOLDEN_CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "_quarto.yml").is_file() and p.name not in {"cache", "cell-error"})


def copy_case(name: str, tmp_path: Path) -> Path:
    dest = tmp_path / name
    shutil.copytree(FIXTURES / name, dest, ignore=shutil.ignore_patterns("expected*.md", "_book", ".dhr-cache"))
    return dest


def book_markdown(result) -> str:
    return "".join(f"<!-- {c.rel} | number: {c.number} | title: {c.title} | part: {c.part} -->\n{c.markdown}\n"
                   for c in result.book.chapters)


@pytest.mark.parametrize("case", GOLDEN_CASES)
def test_golden_executed_markdown(case, tmp_path):
    """<case>/expected.md is the assembled book; delete it to regenerate (then review the diff)."""
    result = render(copy_case(case, tmp_path), to="markdown", quiet=True, engine="embedded")
    text = book_markdown(result)
    assert str(tmp_path) not in text, "absolute local paths leaked into the book"
    golden = FIXTURES / case / "expected.md"
    if not golden.exists():
        golden.write_text(text, encoding="utf-8")
        pytest.skip(f"regenerated {golden.relative_to(FIXTURES.parent.parent)}")
    assert text == golden.read_text(encoding="utf-8")


def test_referenced_figures_exist_under_the_root(tmp_path):
    root = copy_case("crossref", tmp_path)
    result = render(root, to="markdown", quiet=True, engine="embedded")
    assert result.kernels_started == 0  # no code cells: no kernel
    assert (root / "chapters/img/map.svg").is_file()
    assert "](chapters/img/map.svg)" in result.book.chapters[1].markdown


def test_cell_error_stops_the_build_and_keeps_old_outputs(tmp_path):
    root = copy_case("cell-error", tmp_path)
    (root / "_book").mkdir()
    (root / "_book" / "index.html").write_text("previous build", encoding="utf-8")
    with pytest.raises(BuildError) as info:
        render(root, to="markdown", quiet=True, engine="embedded")
    message = str(info.value)
    assert "chapters/boom.qmd:9" in message and "ValueError: the data is wrong" in message
    assert "Traceback" not in message and "\x1b[" not in message
    assert (root / "_book" / "index.html").read_text(encoding="utf-8") == "previous build"
    assert sorted(p.name for p in root.iterdir() if p.name.startswith("._book")) == []


def test_bad_input_after_a_good_build_keeps_the_outputs(tmp_path):
    root = copy_case("crossref", tmp_path)
    render(root, to="markdown", quiet=True, engine="embedded")
    before = {p: p.read_bytes() for p in (root / "_book").rglob("*") if p.is_file()}
    (root / "chapters" / "two.qmd").write_text("# Two\n\n```{python}\nprint(1)\n", encoding="utf-8")
    with pytest.raises(InputError):
        render(root, to="markdown", quiet=True, engine="embedded")
    assert {p: p.read_bytes() for p in (root / "_book").rglob("*") if p.is_file()} == before


def test_publish_refuses_unresolved_cross_references(tmp_path):
    root = copy_case("crossref", tmp_path)
    (root / "chapters" / "two.qmd").write_text("# Two\n\n@fig-nowhere\n", encoding="utf-8")
    with pytest.raises(BuildError) as info:
        render(root, to="markdown", quiet=True, engine="embedded", publish=True)
    assert "chapters/two.qmd" in str(info.value) and "@fig-nowhere" in str(info.value)
    draft = render(root, to="markdown", quiet=True, engine="embedded")
    assert any("@fig-nowhere" in w for w in draft.warnings) and not draft.book.publish


class FailingSourceGate:
    """A stand-in for the source checks that finds one error."""

    stage = SOURCES

    def __init__(self, rule: str = "DHR-L001", message: str = "victim-blaming language", line: int = 3):
        self.rule, self.message, self.line = rule, message, line

    def finding(self):
        from dhr_kit.qa import Finding

        return Finding(file="chapters/one.qmd", line=self.line, column=1, severity="error", rule=self.rule,
                       message=self.message)

    def __call__(self, ctx, subject):
        from dhr_kit.qa import CheckResult

        return CheckResult([self.finding()])


def test_qa_errors_stop_a_publication_build_before_execution(tmp_path):
    root = copy_case("crossref", tmp_path)
    with pytest.raises(BuildError) as info:
        render_review(root, to="markdown", quiet=True, engine="embedded", publish=True, gates=[FailingSourceGate()])
    assert "chapters/one.qmd:3:1: error DHR-L001" in str(info.value)
    assert "QA error in the sources" in str(info.value)
    assert not (root / "_book").exists()


def test_a_draft_lists_qa_errors_on_its_findings_page(tmp_path):
    gate = FailingSourceGate()
    root = copy_case("crossref", tmp_path)
    result = render_review(root, to="markdown", quiet=True, engine="embedded", gates=[gate])
    first = result.book.chapters[0]
    assert first.title == "Draft: open QA findings" and first.number is None
    assert "`DHR-L001` line 3: victim-blaming language" in first.markdown  # plain text, not Markdown
    assert result.open_findings == [gate.finding()]


def test_a_missing_section_stops_a_draft(tmp_path):
    gate = FailingSourceGate(rule="DHR-S001", message="no Conclusions section", line=1)
    root = copy_case("crossref", tmp_path)
    with pytest.raises(BuildError, match="DHR-S001"):
        render_review(root, to="markdown", quiet=True, engine="embedded", gates=[gate])
    assert not (root / "_book").exists()
