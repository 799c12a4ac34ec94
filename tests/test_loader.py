"""Loading and validating data/: one fixture folder per bad input (tests/fixtures/loader/<case>/).

A case folder holds ``data/`` files that replace those of ``_base/data`` (a small valid review),
an optional ``remove.txt`` (base files to delete) and ``expected.txt``: one expected problem per line,
``file|line-or-key|substring`` (``-`` when the problem has neither line nor key). The case must give
exactly those problems; an empty expected.txt means the data must load.
"""
from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from dhr_kit import InputError, Review, load_review
from dhr_kit.cli import main
from dhr_kit.errors import Problem

FIXTURES = Path(__file__).parent / "fixtures" / "loader"
BASE = FIXTURES / "_base" / "data"
EXAMPLE = Path(__file__).resolve().parents[1]

# Spreadsheets are generated (and regenerated when deleted) from these rows; dates are real Excel dates.
# A dict gives a workbook of several sheets (sheet name -> rows); a cell "=..." is a formula with no saved
# value (as a program that writes formulas without calculating them leaves it).
XLSX_FIXTURES: dict[str, list[list[object]] | dict[str, list[list[object]]]] = {
    "xlsx_second_sheet/data/chronology/police.xlsx": {
        "2021": [["date", "event", "source"], [datetime(2021, 3, 2), "Officers attended a call about shouting.", "IMR 1"]],
        "2022": [["date", "event", "source"], [datetime(2022, 6, 9), "A DASH risk assessment was completed.", "IMR 2"],
                 [datetime(2022, 7, 1), "A referral to MARAC was made.", "IMR 3"]],
        "Empty": [],
    },
    "xlsx_other_sheet/data/chronology/police.xlsx": {
        "Events": [["date", "event", "source"], [datetime(2021, 3, 2), "Officers attended a call about shouting.", "IMR 1"]],
        "Notes": [["Note"], ["Check the IMR author's second submission."]],
    },
    "xlsx_headerless_value/data/chronology/police.xlsx": [
        ["date", "event", "source"],
        [datetime(2021, 3, 2), "Officers attended a call about shouting.", "IMR 1"],
        [datetime(2021, 4, 2), "A follow-up visit was made.", "IMR 2", "ToR1"],
    ],
    "xlsx_formula_without_value/data/chronology/police.xlsx": [
        ["date", "event", "source"],
        [datetime(2021, 3, 2), "Officers attended a call about shouting.", '="IMR "&1'],
    ],
    "xlsx_missing_column/data/chronology/police.xlsx": [
        ["date", "evnt", "source", "tor"],
        [datetime(2022, 2, 14), "Officers attended a report of an argument.", "Police IMR 3.1", "ToR1"],
    ],
    "ok_per_agency/data/chronology/police.xlsx": [
        ["date", "event", "source", "tor", "significance"],
        [datetime(2022, 2, 14), "Officers attended a report of an argument.", "Police IMR 3.1", "ToR1;ToR2", "Key"],
        ["2022-04", "A DASH risk assessment was recorded as standard.", 3.2, "ToR1", None],
        [None, None, None, None, None],
        [date(2020, 12, 1), "A neighbour called about shouting.", "Police IMR 3.0", None, "notable"],
    ],
}


def _ensure_xlsx() -> None:
    from openpyxl import Workbook

    for rel, content in XLSX_FIXTURES.items():
        path = FIXTURES / rel
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        book = Workbook()
        sheets = content if isinstance(content, dict) else {"Sheet": content}
        book.remove(book.active)
        for name, rows in sheets.items():
            sheet = book.create_sheet(name)
            for row in rows:
                sheet.append(row)
        book.save(path)


def make_project(case: str, tmp_path: Path) -> Path:
    """A review project in tmp_path: the base data with the case's files laid over it."""
    _ensure_xlsx()
    root = tmp_path / case
    shutil.copytree(BASE, root / "data")
    case_dir = FIXTURES / case
    remove = case_dir / "remove.txt"
    for name in remove.read_text().split() if remove.exists() else []:
        (root / "data" / name).unlink()
    if (case_dir / "data").is_dir():  # a case may only remove files (git keeps no empty folder)
        shutil.copytree(case_dir / "data", root / "data", dirs_exist_ok=True)
    return root


def expected_problems(case: str) -> list[tuple[str, str, str]]:
    lines = (FIXTURES / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("|", 2)) for line in lines if line.strip()]  # type: ignore[misc]


def matches(problem: Problem, file: str, where: str, text: str) -> bool:
    located = (problem.line is None and problem.key is None) if where == "-" else \
        where in (str(problem.line), problem.key)
    return problem.file == file and located and text in str(problem)


CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.txt").is_file())


@pytest.mark.parametrize("case", CASES)
def test_fixture_case(case: str, tmp_path: Path) -> None:
    root = make_project(case, tmp_path)
    expected = expected_problems(case)
    if not expected:
        assert isinstance(load_review(root), Review)
        return
    with pytest.raises(InputError) as info:
        load_review(root)
    problems = info.value.problems
    report = "\n".join(map(str, problems))
    for file, where, text in expected:
        assert any(matches(p, file, where, text) for p in problems), f"missing {file}|{where}|{text} in:\n{report}"
    assert len(problems) == len(expected), f"unexpected extra problems:\n{report}"


def test_base_review_is_typed_and_traceable() -> None:
    review = load_review(BASE.parent)
    assert review.root == BASE.parent.resolve()
    chron = review.chronology
    assert list(chron.columns) == ["date", "date_precision", "agency", "event", "source", "tor", "significance",
                                   "file", "row"]
    # sorted by date; month-only dates on the 1st; empty significance is routine; multi-line fields kept
    assert list(chron["date"]) == [pd.Timestamp(d) for d in ("2021-05-01", "2022-02-14", "2022-03-01", "2022-04-20")]
    first = chron.iloc[0]
    assert (first.date_precision, first.significance, first.row, first.file) == ("month", "routine", 2,
                                                                                  "data/chronology.csv")
    assert chron.iloc[1].tor == ["ToR1", "ToR2"]
    assert chron.iloc[3].event == "A multi-line\nevent description."
    assert chron.iloc[2].event == "Bea reported low mood, and was offered a review."
    # enum cells are case-insensitive; updates attach to every action of their recommendation, by date
    assert review.action_plan[0].status == "in progress"
    for action in review.actions_for("R1"):
        assert [(u.date, u.text) for u in action.updates] == [(date(2025, 2, 1), "Audit started."),
                                                               (date(2025, 3, 10), "Audit completed.")]
    assert review.actions_for("R2")[0].updates == []
    assert review.recommendation("R1").topics == ["dash", "marac"]
    assert set(review.protected_characteristics) == {
        "age", "disability", "gender_reassignment", "marriage_and_civil_partnership", "pregnancy_and_maternity",
        "race", "religion_or_belief", "sex", "sexual_orientation"}
    assert review.metadata.death.label == "November 2023"
    assert review.agencies["csp"].involved is False
    assert review.panel[0].agency == "Independent"
    assert review.data_files == sorted(review.data_files)
    names = [p.name for p in review.data_files]
    assert {"review.yml", "chronology.csv", "qa-letter.md", "action_updates.csv"} <= set(names)


def test_data_folder_itself_may_be_given() -> None:
    assert load_review(BASE).root == BASE.parent.resolve()


def test_default_path_is_the_current_project(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DHR_PROJECT", raising=False)
    monkeypatch.chdir(BASE.parent)
    assert load_review().root == BASE.parent.resolve()


def test_per_agency_files_are_merged(tmp_path: Path) -> None:
    review = load_review(make_project("ok_per_agency", tmp_path))
    chron = review.chronology
    assert list(zip(chron["agency"], chron["date"].dt.strftime("%Y-%m-%d"), chron["date_precision"])) == [
        ("police", "2020-12-01", "day"), ("gp", "2021-05-01", "month"),
        ("police", "2022-02-14", "day"), ("police", "2022-04-01", "month")]
    police_rows = chron[chron.agency == "police"]
    assert set(police_rows["file"]) == {"data/chronology/police.xlsx"}
    assert sorted(police_rows["row"]) == [1, 2, 3]  # data rows, counted without the blank one
    assert chron.iloc[2].significance == "key" and chron.iloc[3].source == "3.2"


def test_no_data_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no data/ folder"):
        load_review(tmp_path)


def test_problem_text_names_file_line_key_and_fix(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_review(make_project("unknown_agency", tmp_path))
    assert "data/chronology.csv:3: [row 2 / agency] unknown agency 'socail-care' — fix: use an agency id" \
        in str(info.value)


def test_example_review_loads() -> None:
    review = load_review(EXAMPLE)
    assert len(review.chronology) >= 150


def test_cli_check_exits_2_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project("many_at_once", tmp_path)
    (root / "_quarto.yml").write_text("project: {type: book}\nbook: {chapters: [index.qmd]}\n")
    (root / "index.qmd").write_text("# Preface\n")
    assert main(["check", str(root)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "data/review.yml:3" in err and "data/chronology.csv:3" in err


def test_every_sheet_of_a_workbook_is_read(tmp_path: Path) -> None:
    review = load_review(make_project("xlsx_second_sheet", tmp_path))
    police = review.chronology[review.chronology.agency == "police"]
    assert sorted(police["event"].str[:20]) == ["A DASH risk assessme", "A referral to MARAC ", "Officers attended a "]


def test_a_row_on_a_second_sheet_is_named_by_its_sheet(tmp_path: Path) -> None:
    root = make_project("xlsx_second_sheet", tmp_path)
    from openpyxl import load_workbook
    path = root / "data" / "chronology" / "police.xlsx"
    book = load_workbook(path)
    book["2022"]["A3"] = "the first of July"
    book.save(path)
    with pytest.raises(InputError) as info:
        load_review(root)
    assert [(p.line, p.key) for p in info.value.problems] == [(3, "sheet '2022' / row 3 / date")]


def test_symlinked_data_file_outside_the_project_is_refused(tmp_path: Path) -> None:
    root = make_project("ok_per_agency", tmp_path)
    outside = tmp_path / "elsewhere" / "gp.csv"
    outside.parent.mkdir()
    (root / "data" / "chronology" / "gp.csv").rename(outside)
    (root / "data" / "chronology" / "gp.csv").symlink_to(outside)
    with pytest.raises(InputError) as info:
        load_review(root)
    assert [(p.file, p.message) for p in info.value.problems] == [
        ("data/chronology/gp.csv", "is a link to a file outside the review folder")]


def test_qa_letter_outside_the_project_is_refused(tmp_path: Path) -> None:
    root = make_project("ok_per_agency", tmp_path)
    (tmp_path / "secret.txt").write_text("not for publication", encoding="utf-8")
    review_yml = root / "data" / "review.yml"
    review_yml.write_text(review_yml.read_text().replace("qa_letter: qa-letter.md", "qa_letter: ../../secret.txt"))
    with pytest.raises(InputError) as info:
        load_review(root)
    assert [(p.file, p.key) for p in info.value.problems] == [("data/review.yml", "qa_letter")]
    assert "is outside the review folder" in str(info.value)
