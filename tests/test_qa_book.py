"""check_book on executed Markdown (helper output), the document model, and assert_ready."""
from __future__ import annotations

from pathlib import Path

import pytest

from dhr_kit.errors import BuildError
from dhr_kit.qa import assert_ready, check_book
from dhr_kit.qa.document import parse_document
from qa_fixtures import materialise


def test_generated_text_is_checked_and_source_text_is_not_repeated(tmp_path: Path) -> None:
    project = materialise(None, tmp_path)[0]
    source = (project / "chapters" / "02-facts.qmd").read_text(encoding="utf-8")
    executed = source.replace(
        "```{python}\nfrom dhr_kit import chronology_table\nchronology_table()\n```",
        "| Date | Event |\n|---|---|\n| May 2021 | Officers noted a volatile relationship. |\n"
        "| 2022 | Tom was sentenced on 4 March 2022 for criminal damage. |\n"
        "\nTraceback (most recent call last):\n  File \"x.py\", line 1\n")
    result = check_book(project, {"chapters/02-facts.qmd": executed}, publish=True)
    got = sorted((f.rule, f.line) for f in result.findings)
    assert got == [("DHR-A003", 7), ("DHR-L020", 7), ("DHR-P006", 7)]  # at the cell (line 7) that generated them
    assert all("generated output" in f.message for f in result.findings if f.rule != "DHR-P006")


def test_source_prose_is_left_to_check(tmp_path: Path) -> None:
    project = materialise("letter-01-victim-blaming", tmp_path)[0]
    source = (project / "chapters" / "03-analysis.qmd").read_text(encoding="utf-8")
    assert check_book(project, {"chapters/03-analysis.qmd": source}).findings == []


def test_document_model_positions_and_skips() -> None:
    text = ("---\ntitle: Analysis\nsummary: she chose to stay\n---\n\nIntro `chose to stay` here and\n"
            "then she chose to\nstay with him.\n\n> chose to stay\n")
    doc = parse_document(text, "x.qmd")
    assert [(s.title, s.line) for s in doc.sections] == [("Analysis", 1)]
    prose = [s for s in doc.segments if s.kind == "prose"]
    assert len(prose) == 1 and "chose to stay" not in prose[0].text.split("\n")[0]
    offset = prose[0].text.index("chose to")
    assert prose[0].locate(offset) == (7, 10)
    assert [s.kind for s in doc.segments] == ["prose", "quote"]


def test_assert_ready_passes_on_a_clean_review(tmp_path: Path, monkeypatch) -> None:
    project = materialise(None, tmp_path)[0]
    monkeypatch.setenv("DHR_PROJECT", str(project))
    monkeypatch.setenv("DHR_PUBLISH", "1")
    summary = assert_ready()
    assert summary._repr_markdown_().startswith("Readiness checks (publication): ")
    assert "no errors" in summary._repr_markdown_()


def test_assert_ready_raises_listing_errors(tmp_path: Path, monkeypatch) -> None:
    project = materialise("letter-05-no-preface", tmp_path)[0]
    monkeypatch.setenv("DHR_PROJECT", str(project))
    monkeypatch.delenv("DHR_PUBLISH", raising=False)
    with pytest.raises(BuildError, match="DHR-S007"):
        assert_ready()


def test_grid_table_cells_wrapping_a_legal_name(tmp_path: Path) -> None:
    """Pandoc grid tables wrap cell text over lines; 'Domestic Violence Disclosure | Scheme' is still
    the legal name (found in the example's executed glossary)."""
    project = materialise(None, tmp_path)[0]
    executed = ("# Glossary\n\n+----------------+-----------------------------------+\n"
                "| Term           | Meaning                           |\n"
                "+================+===================================+\n"
                "| DVDS           | The Domestic Violence Disclosure  |\n"
                "|                | Scheme, known as Clare's Law.     |\n"
                "+----------------+-----------------------------------+\n"
                "| History        | A history of domestic violence.   |\n"
                "+----------------+-----------------------------------+\n")
    result = check_book(project, {"chapters/a9-glossary.qmd": executed})
    assert [(f.rule, f.line) for f in result.findings] == [("DHR-L061", 9)]  # the "History" row


CELL = "```{python}\nfrom dhr_kit import chronology_table\nchronology_table()\n```"
OUTPUT = "| Date | Event |\n|---|---|\n| May 2021 | Officers noted a volatile relationship. |\n"


@pytest.mark.parametrize("comment, found", [
    ("", [("DHR-L020", 7)]),  # reported at the cell that generated the text
    ("<!-- dhr-disable DHR-L020: the IMR's own wording, discussed in the analysis -->\n\n", []),
    ("<!-- dhr-disable DHR-L061: another rule -->\n\n", [("DHR-L020", 9)]),
], ids=["no-suppression", "suppression-before-the-cell", "another-rule"])
def test_a_suppression_before_a_cell_covers_its_output(tmp_path: Path, comment: str, found: list) -> None:
    project = materialise(None, tmp_path)[0]
    chapter = project / "chapters" / "02-facts.qmd"
    source = chapter.read_text(encoding="utf-8").replace(CELL, comment + CELL)
    chapter.write_text(source, encoding="utf-8")
    executed = source.replace(CELL, OUTPUT)
    result = check_book(project, {"chapters/02-facts.qmd": executed}, publish=True)
    assert sorted((f.rule, f.line) for f in result.findings) == found


def test_suppressions_are_listed_for_audit(tmp_path: Path) -> None:
    import json

    from dhr_kit.qa import check
    from dhr_kit.qa.report import to_json

    project = materialise(None, tmp_path)[0]
    chapter = project / "chapters" / "02-facts.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        CELL, "<!-- dhr-disable DHR-L020: the IMR's own wording -->\n\n" + CELL)
        + "\n<!-- dhr-disable DHR-L061: the title of a 2009 strategy -->\nThe 2009 domestic violence strategy.\n",
        encoding="utf-8")
    listed = json.loads(to_json(check(project)))["suppressions"]
    assert [(s["rules"], s["file"], s["line"], s["reason"], s["cell_output"], s["suppressed"]) for s in listed] == [
        (["DHR-L020"], "chapters/02-facts.qmd", 7, "the IMR's own wording", True, 0),
        (["DHR-L061"], "chapters/02-facts.qmd", 18, "the title of a 2009 strategy", False, 1)]


def test_executed_lines_map_back_to_the_source(tmp_path: Path) -> None:
    from dhr_kit.qa.executed import executed_map

    source = "# Facts\n\nFirst paragraph.\n\n" + CELL + "\n\nLast paragraph.\n"
    path = tmp_path / "c.qmd"
    path.write_text(source, encoding="utf-8")
    executed = source.replace(CELL, OUTPUT.rstrip("\n"))
    emap = executed_map(path, "c.qmd", executed)
    lines = executed.splitlines()
    assert emap.source_line(lines.index("First paragraph.") + 1) == 3  # a copied line: its own source line
    assert emap.source_line(lines.index("Last paragraph.") + 1) == source.splitlines().index("Last paragraph.") + 1
    table_row = next(n for n, line in enumerate(lines, 1) if "volatile" in line)
    assert emap.source_line(table_row) == 5 and not emap.copied(table_row)  # generated: the cell's fence line
