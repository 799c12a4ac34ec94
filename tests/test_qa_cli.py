"""`dhr check` and `dhr qa-letter import` through dhr_kit.cli.main: exit codes and output formats."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from dhr_kit.cli import main
from qa_fixtures import materialise

LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info) (?P<rule>DHR-[A-Z]\d{3}) .+$")
REFERENCE_LETTER = Path("/work/shared/reference/home-office-qa-letter-example.txt")


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    return materialise(None, tmp_path)[0]


@pytest.fixture
def faulty(tmp_path: Path) -> Path:
    return materialise("letter-01-victim-blaming", tmp_path)[0]


def test_clean_review_exits_0(clean: Path, capsys) -> None:
    assert main(["check", str(clean)]) == 0
    assert capsys.readouterr().out == "0 errors, 0 warnings, 0 info in 16 files\n"  # 7 chapters + 9 data files


def test_text_output_is_a_problem_matcher_format(faulty: Path, capsys) -> None:
    assert main(["check", str(faulty)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert re.fullmatch(r"\d+ errors?, \d+ warnings?, \d+ info in \d+ files?", lines[-1])
    matches = [LINE.match(line) for line in lines[:-1]]
    assert all(matches), lines
    assert {m["rule"] for m in matches} == {"DHR-L001", "DHR-L060"}
    assert all(m["file"] == "chapters/03-analysis.qmd" for m in matches)


def test_json_output(faulty: Path, capsys) -> None:
    assert main(["check", str(faulty), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"findings", "summary", "suppressions"}
    assert set(data["summary"]) == {"errors", "warnings", "info", "files"}
    assert data["summary"]["errors"] == 2
    for finding in data["findings"]:
        assert set(finding) == {"rule", "severity", "file", "line", "column", "message", "suggestion"}


def test_sarif_output(faulty: Path, capsys) -> None:
    assert main(["check", str(faulty), "--format", "sarif"]) == 1
    sarif = json.loads(capsys.readouterr().out)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rule_ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert {"DHR-L001", "DHR-S001", "DHR-Q001"} <= rule_ids
    assert all(r["shortDescription"]["text"] for r in run["tool"]["driver"]["rules"])
    s004 = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "DHR-S004")
    assert s004["defaultConfiguration"]["level"] == "note"  # the draft severity, info
    assert s004["properties"]["severity"] == {"draft": "info", "publish": "error"}
    assert len(run["results"]) == 2
    for result in run["results"]:
        assert result["ruleId"] in rule_ids and result["level"] in ("error", "warning", "note")
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "chapters/03-analysis.qmd"
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1


def test_strict_and_publish_flags(tmp_path: Path, capsys) -> None:
    project = materialise("letter-07-claim-without-citation", tmp_path)[0]
    assert main(["check", str(project)]) == 0  # a warning only
    assert main(["check", str(project), "--strict"]) == 1


def test_bad_data_exits_2(clean: Path, capsys) -> None:
    (clean / "data" / "review.yml").write_text("csp: [unclosed\n", encoding="utf-8")
    assert main(["check", str(clean)]) == 2
    assert "review.yml" in capsys.readouterr().err


def test_unknown_rule_override_exits_2(clean: Path, capsys) -> None:
    config = clean / "_quarto.yml"
    config.write_text(config.read_text().replace("rules: {}", "rules: {DHR-X999: off}"), encoding="utf-8")
    assert main(["check", str(clean)]) == 2
    assert "DHR-X999" in capsys.readouterr().err


def test_names_file_inside_project_is_an_error(clean: Path, capsys) -> None:
    names = clean / "names.txt"
    names.write_text("Somebody Realname\n", encoding="utf-8")
    assert main(["check", str(clean), "--names", str(names), "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [f["rule"] for f in findings] == ["DHR-A002"]


def test_names_from_environment(tmp_path: Path, monkeypatch, capsys) -> None:
    project, names = materialise("names-deny-list", tmp_path)
    monkeypatch.setenv("DHR_NAMES_FILE", str(names))
    assert main(["check", str(project), "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert {f["rule"] for f in findings} == {"DHR-A001"}
    assert all("Jane" not in f["message"] for f in findings)  # the name itself is never echoed


def test_qa_letter_import_and_merge(clean: Path, capsys) -> None:
    assert main(["qa-letter", "import", str(REFERENCE_LETTER), "--dir", str(clean)]) == 0
    tracker = clean / "data" / "qa_tracker.csv"
    rows = list(csv.DictReader(tracker.open(encoding="utf-8")))
    assert len(rows) == 11  # the reference letter's areas for final development
    assert [r["id"] for r in rows] == [f"QA{i}" for i in range(1, 12)]
    assert all(r["status"] == "open" and r["response"] == "" for r in rows)
    assert "toxic trio" in rows[0]["point"] and "nonengagement" in rows[7]["point"]
    assert "Once completed" not in rows[-1]["point"]
    # record a response, then import again: the response is kept, nothing is duplicated
    rows[0].update(status="addressed", response="Wording revised throughout", where="Analysis")
    with tracker.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    capsys.readouterr()
    assert main(["qa-letter", "import", str(REFERENCE_LETTER), "--dir", str(clean)]) == 0
    assert "0 added, 11 kept" in capsys.readouterr().out
    again = list(csv.DictReader(tracker.open(encoding="utf-8")))
    assert again[0]["response"] == "Wording revised throughout" and len(again) == 11
    # the open points now stop publication
    assert main(["check", str(clean), "--publish", "--no-names", "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert sum(f["rule"] == "DHR-Q001" for f in findings) == 10


def test_qa_letter_without_bullets_exits_2(clean: Path, tmp_path: Path, capsys) -> None:
    letter = tmp_path / "letter.md"
    letter.write_text("Dear Chair,\n\nThank you.\n", encoding="utf-8")
    assert main(["qa-letter", "import", str(letter), "--dir", str(clean)]) == 2
    assert not (clean / "data" / "qa_tracker.csv").exists()
