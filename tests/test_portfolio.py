"""`dhr portfolio`: the example and two more fictional reviews (tests/fixtures/portfolio/reviews.yml) as one
Partnership's portfolio; overdue and unevidenced counts against an injected date; an update re-counted."""
from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

import openpyxl
import pytest
import yaml

from conftest import copy_example

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "helpers"))
from dhr_helper_fixtures import small_data, write_project  # noqa: E402

from dhr_kit.cli import main  # noqa: E402

FIXTURE = yaml.safe_load((Path(__file__).parent / "fixtures" / "portfolio" / "reviews.yml").read_text())
AS_OF = FIXTURE["as_of"].isoformat()


def write_portfolio(root: Path) -> list[Path]:
    """The example plus the fixture's reviews, as review folders."""
    folders = [copy_example(root / "anna")]
    for key, changes in FIXTURE["reviews"].items():
        data = small_data()
        data["metadata"].update(changes["metadata"])
        for part in ("recommendations", "action_plan"):
            if part in changes:
                data[part] = changes[part]
        folders.append(write_project(root / key, data))
    return folders


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory) -> list[Path]:
    return write_portfolio(tmp_path_factory.mktemp("portfolio"))


def counts(folder: Path) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for row in csv.DictReader(io.StringIO((folder / "actions.csv").read_text(encoding="utf-8"))):
        c = found.setdefault(row["review"], {"actions": 0, "overdue": 0, "unevidenced": 0})
        c["actions"] += 1
        c["overdue"] += row["overdue"] == "True"
        c["unevidenced"] += row["unevidenced"] == "True"
    return found


def card(html: str, label: str) -> int:
    return int(re.search(rf"<li><strong>(\d+)</strong>{label}</li>", html).group(1))


def test_overdue_and_unevidenced_counts(portfolio, tmp_path) -> None:
    out = tmp_path / "dash"
    assert main(["portfolio", *map(str, portfolio), "--as-of", AS_OF, "--output", str(out)]) == 0
    assert counts(out) == FIXTURE["expected"]
    html = (out / "index.html").read_text(encoding="utf-8")
    assert card(html, "overdue") == sum(c["overdue"] for c in FIXTURE["expected"].values())
    assert card(html, "unevidenced") == sum(c["unevidenced"] for c in FIXTURE["expected"].values())
    rows = list(csv.DictReader(io.StringIO((out / "actions.csv").read_text(encoding="utf-8"))))
    flags = [(r["overdue"] == "True", r["unevidenced"] == "True") for r in rows]
    assert flags == sorted(flags, reverse=True), "overdue, then unevidenced actions come first"
    book = openpyxl.load_workbook(out / "portfolio.xlsx", read_only=True)
    assert book.sheetnames == ["Actions", "Per review", "Per agency", "Timescales"]
    assert book["Actions"].max_row == len(rows) + 1


def test_exported_records_count_like_their_folders(portfolio, tmp_path) -> None:
    records = []
    for i, folder in enumerate(portfolio):
        records.append(tmp_path / f"r{i}.json")
        assert main(["export", str(folder), "-o", str(records[-1])]) == 0
    assert main(["portfolio", *map(str, records), "--as-of", AS_OF, "-o", str(tmp_path / "out")]) == 0
    assert counts(tmp_path / "out") == FIXTURE["expected"]


def test_a_later_date_makes_more_actions_overdue(portfolio, tmp_path) -> None:
    assert main(["portfolio", *map(str, portfolio), "--as-of", "2027-12-31", "-o", str(tmp_path / "late")]) == 0
    later = sum(c["overdue"] for c in counts(tmp_path / "late").values())
    assert later > sum(c["overdue"] for c in FIXTURE["expected"].values())


def test_an_update_in_action_updates_csv_shows_on_re_run(tmp_path) -> None:
    folders = write_portfolio(tmp_path / "reviews")
    out = tmp_path / "_portfolio"
    assert main(["portfolio", *map(str, folders), "--as-of", AS_OF, "-o", str(out)]) == 0
    beth = folders[1] / "data" / "action_updates.csv"
    with beth.open("a", encoding="utf-8") as handle:
        handle.write("R2,2026-06-15,Letter to the Home Office drafted and board briefed\n")
    assert main(["portfolio", *map(str, folders), "--as-of", AS_OF, "-o", str(out)]) == 0
    after = counts(out)
    for review, expected in FIXTURE["after_update"].items():
        assert after[review] == expected
    assert "Letter to the Home Office drafted and board briefed" in (out / "index.html").read_text(encoding="utf-8")


def test_portfolio_yml_and_default_output(portfolio, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "portfolio.yml").write_text(
        "title: Calderbrook CSP action plans\nreviews:\n" + "".join(f"  - {p}\n" for p in portfolio), encoding="utf-8")
    assert main(["portfolio", "--as-of", AS_OF]) == 0
    html = (tmp_path / "_portfolio" / "index.html").read_text(encoding="utf-8")
    assert "<title>Calderbrook CSP action plans</title>" in html
    assert counts(tmp_path / "_portfolio") == FIXTURE["expected"]


def test_page_is_self_contained_with_text_charts_and_alt_text(portfolio, tmp_path) -> None:
    out = tmp_path / "p"
    assert main(["portfolio", *map(str, portfolio), "--as-of", AS_OF, "-o", str(out / "board.html")]) == 0
    html = (out / "board.html").read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", html), "no off-machine request"
    assert "<script" not in html and 'lang="en-GB"' in html
    for name in ("progress-reviews.svg", "progress-agencies.svg", "timescales.svg"):
        assert re.search(rf'<img src="{name}" alt="[^"]{{40,}}"', html), name
        svg = (out / name).read_text(encoding="utf-8")
        assert "<text" in svg, f"{name}: text is kept as text"
    assert "six months" in html and "2016" in html
    table = html.split("<h2>Actions</h2>", 1)[1].split("</table>", 1)[0]
    assert not re.search(r"\b20\d\d-\d\d\b", table), "dates in the report's style, not ISO"
    assert re.search(r"<td>(January|February|March|April|May|June|July|August|September|October|November|December) 20\d\d</td>", table)


@pytest.mark.parametrize("argv, where", [
    (["portfolio", "no-such-folder"], "no-such-folder"),
    (["portfolio", "--as-of", "1 July"], "--as-of"),
    (["portfolio"], "portfolio.yml"),
])
def test_bad_input_exits_2_and_keeps_the_previous_output(argv, where, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    previous = tmp_path / "_portfolio" / "index.html"
    previous.parent.mkdir()
    previous.write_text("previous", encoding="utf-8")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert where in err and "Traceback" not in err
    assert previous.read_text(encoding="utf-8") == "previous"


def test_a_record_with_a_deny_listed_name_is_refused(portfolio, tmp_path, capsys) -> None:
    names = tmp_path / "names.txt"
    names.write_text("Riverside\n", encoding="utf-8")  # a word the small review's data holds
    assert main(["portfolio", str(portfolio[1]), "--names", str(names), "-o", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "names file (its line 1)" in err and "/agencies/" in err and "Riverside" not in err
    assert not (tmp_path / "x").exists()
