"""`dhr add chapter`, `dhr add agency`, one title, the folder as an argument everywhere, help on every option
— all through dhr_kit.cli.main, on a `dhr new` skeleton."""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest
import yaml

from dhr_kit.cli import build_parser, main
from dhr_kit.loader import load_review
from dhr_kit.project import load_project
from dhr_kit.scaffold import new_review

LETTER = Path(__file__).parent / "fixtures" / "qa" / "letter-example.md"


@pytest.fixture(scope="module")
def skeleton(tmp_path_factory) -> Path:
    return new_review(tmp_path_factory.mktemp("skeleton") / "review")


@pytest.fixture
def review(skeleton: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(skeleton, tmp_path / "review"))


def _comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


@pytest.mark.parametrize("args, rel, part, appendix", [
    (["Housing and homelessness", "--part", "The facts"], "chapters/14-housing-and-homelessness.qmd", "The facts", False),
    (["A new part's chapter", "--part", "Afterword"], "chapters/14-a-new-part-s-chapter.qmd", "Afterword", False),
    (["Glossary", "--appendix"], "chapters/a3-glossary.qmd", None, True),
    (["Closing note"], "chapters/14-closing-note.qmd", None, False),
])
def test_add_chapter_lists_it_and_keeps_the_rest_of_quarto_yml(review: Path, args, rel, part, appendix, capsys) -> None:
    config = review / "_quarto.yml"
    before = config.read_text(encoding="utf-8")
    old = [(c.rel, c.part, c.appendix) for c in load_project(review).chapters]
    assert main(["add", "chapter", args[0], str(review), *args[1:]]) == 0
    assert rel in capsys.readouterr().out
    after = config.read_text(encoding="utf-8")
    assert _comments(after) == _comments(before)  # the author's comments survive
    chapters = [(c.rel, c.part, c.appendix) for c in load_project(review).chapters]
    assert [c for c in chapters if c[0] != rel] == old  # order of everything else unchanged
    assert (rel, part, appendix) in chapters
    text = (review / rel).read_text(encoding="utf-8")
    assert text.startswith(f"# {args[0]} {{#sec-")
    assert main(["check", str(review)]) in (0, 1)  # still a readable review (exit 2 would be bad input)


def test_add_chapter_twice_with_one_title_exits_2(review: Path, capsys) -> None:
    assert main(["add", "chapter", "Overview", str(review)]) == 2
    assert "already listed" in capsys.readouterr().err


def test_add_agency_to_review_yml(review: Path, capsys) -> None:
    before = (review / "data" / "review.yml").read_text(encoding="utf-8")
    assert main(["add", "agency", "housing2", "Calderbrook Homes", str(review), "--type", "housing"]) == 0
    after = (review / "data" / "review.yml").read_text(encoding="utf-8")
    assert _comments(after) == _comments(before)
    agency = next(a for a in load_review(review).metadata.agencies if a.id == "housing2")
    assert (agency.name, agency.type) == ("Calderbrook Homes", "housing")
    assert "data/chronology.csv" in capsys.readouterr().out  # single chronology file: where its events go


def test_add_agency_with_one_chronology_file_per_agency(review: Path) -> None:
    single = review / "data" / "chronology.csv"
    folder = review / "data" / "chronology"
    folder.mkdir()
    rows = single.read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    by_agency: dict[str, list[str]] = {}
    for row in rows[1:]:
        if row.strip():
            by_agency.setdefault(row.split(",")[header.index("agency")], []).append(row)
    for agency, lines in by_agency.items():
        (folder / f"{agency}.csv").write_text("\n".join([rows[0], *lines]) + "\n", encoding="utf-8")
    single.unlink()
    assert main(["add", "agency", "housing2", "Calderbrook Homes", str(review)]) == 0
    created = folder / "housing2.csv"
    assert created.read_text(encoding="utf-8") == "date,event,source,tor,significance\n"
    created.write_text(created.read_text(encoding="utf-8") + "2023-05,Tenancy review visit,Housing IMR 2,,routine\n",
                       encoding="utf-8")
    events = load_review(review).chronology
    assert list(events[events.agency == "housing2"].event) == ["Tenancy review visit"]


@pytest.mark.parametrize("args, message", [
    (["housing 2", "X"], "not a usable id"),
    (["housing2", "X", "--type", "council"], "unknown agency type"),
    (["police", "Another police"], "already exists"),
])
def test_add_agency_refuses_bad_input(review: Path, args, message, capsys) -> None:
    before = (review / "data" / "review.yml").read_bytes()
    assert main(["add", "agency", args[0], args[1], str(review), *args[2:]]) == 2
    assert message in capsys.readouterr().err
    assert (review / "data" / "review.yml").read_bytes() == before


def test_titles_that_disagree_stop_check_and_render(review: Path, capsys) -> None:
    data = review / "data" / "review.yml"
    text = data.read_text(encoding="utf-8")
    review_yml = yaml.safe_load(text)
    pseudonym = review_yml["victim"]["pseudonym"]
    data.write_text(text.replace(review_yml["title"], f"Domestic Homicide Review into the death of {pseudonym}"),
                    encoding="utf-8")
    config = review / "_quarto.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "[PLACEHOLDER: victim's pseudonym]", "Joan", 1), encoding="utf-8")
    for command in (["check", str(review)], ["render", str(review), "--engine", "embedded", "--quiet"]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert "_quarto.yml:" in err and "book.title" in err and pseudonym in err and "Joan" in err
    config.write_text(config.read_text(encoding="utf-8").replace("Joan", pseudonym, 1), encoding="utf-8")
    assert main(["check", str(review)]) in (0, 1)


def test_qa_letter_takes_the_folder_as_an_argument_and_dir_still_works(review: Path, tmp_path: Path, capsys) -> None:
    letter = tmp_path / "letter.md"
    letter.write_text("Dear Chair,\n\nAreas for final development:\n\n"
                      "* The report should use 'domestic abuse' throughout.\n"
                      "* The action plan needs target dates.\n\nYours sincerely\n", encoding="utf-8")
    assert main(["qa-letter", "import", str(letter), str(review)]) == 0
    assert "2 added" in capsys.readouterr().out
    assert main(["qa-letter", "import", str(letter), "--dir", str(review)]) == 0
    captured = capsys.readouterr()
    assert "0 added, 2 kept" in captured.out and "deprecated" in captured.err
    assert main(["qa-letter", "import", str(letter), str(review), "--dir", str(review)]) == 2


def _options(parser: argparse.ArgumentParser, path: str = "dhr"):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _options(sub, f"{path} {name}")
        elif not isinstance(action, argparse._HelpAction):
            yield path, action


def test_every_option_and_argument_has_help_text() -> None:
    missing = [f"{path} {action.dest}" for path, action in _options(build_parser())
               if not (action.help and action.help.strip())]
    assert missing == []


def test_every_project_command_takes_the_folder_as_an_argument() -> None:
    commands = {path: [a.dest for _, a in [(p, a) for p, a in _options(build_parser()) if p == path]]
                for path, _ in _options(build_parser())}
    for path in ("dhr check", "dhr render", "dhr preview", "dhr init", "dhr export", "dhr add chapter",
                 "dhr add agency", "dhr qa-letter import"):
        assert "dir" in commands[path], path
