"""Data-driven rule tests: each fixture folder is the shared base review plus one defect (or one
false-positive trap); expected.yml lists the findings (rule, file, line[, severity]) that must appear
and the rules that must not (``absent:``); the check must report no other error or warning. Every
finding carries the severity the rule catalogue gives it for the mode (draft, --publish, --strict)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from dhr_kit.project import load_project
from dhr_kit.qa import check, check_book
from dhr_kit.qa.catalogue import catalogue, resolve_severity
from dhr_kit.qa.config import severity_overrides
from qa_fixtures import cases, expected, materialise, rules_fired_and_absent

LETTER_POINTS = 13  # areas for final development + annex/size requirements in the reference letter


def run(case: str | None, tmp_path: Path, *, publish: bool | None = None, strict: bool | None = None):
    spec = expected(case) if case else {}
    project, names = materialise(case, tmp_path)
    publish = spec.get("publish", False) if publish is None else publish
    strict = spec.get("strict", False) if strict is None else strict
    if spec.get("book"):  # the listed chapters, as executed Markdown, through check_book (figures, generated text)
        chapters = {rel: (project / rel).read_text(encoding="utf-8") for rel in spec["book"]}
        return project, check_book(project, chapters, publish=publish, strict=strict, names_file=names)
    return project, check(project, publish=publish, strict=strict, names_file=names)


def assert_catalogue_severities(project: Path, result, *, publish: bool, strict: bool) -> None:
    overrides = severity_overrides(load_project(project).dhr)
    for f in result.findings:
        want = resolve_severity(f.rule, publish=publish, override=overrides.get(f.rule), strict=strict)
        assert f.severity == want, f"{f.rule} at {f.file}:{f.line} is {f.severity}, the catalogue says {want}"


@pytest.mark.parametrize("publish", [False, True])
def test_base_review_is_clean(tmp_path: Path, publish: bool) -> None:
    result = check(materialise(None, tmp_path)[0], publish=publish)
    assert [f for f in result.findings if f.severity != "info"] == []


@pytest.mark.parametrize("case", cases())
def test_fixture(case: str, tmp_path: Path) -> None:
    spec = expected(case)
    project, result = run(case, tmp_path)
    wanted_rules = {e["rule"] for e in spec.get("findings", [])}
    shown = [f for f in result.findings if f.severity != "info" or f.rule in wanted_rules]
    got = Counter((f.rule, f.file, f.line) for f in shown)
    want = Counter((e["rule"], e["file"], e["line"]) for e in spec.get("findings", []))
    assert got == want, "\n".join(f"{f.file}:{f.line} {f.severity} {f.rule} {f.message}" for f in result.findings)
    for entry in spec.get("findings", []):
        if "severity" in entry:
            severities = {f.severity for f in result.findings
                          if (f.rule, f.file, f.line) == (entry["rule"], entry["file"], entry["line"])}
            assert severities == {entry["severity"]}, entry
    for rule in spec.get("absent", []):
        assert not result.of_rule(rule), rule
    assert_catalogue_severities(project, result, publish=spec.get("publish", False), strict=spec.get("strict", False))


def _mode_dependent_cases() -> list[str]:
    """Fixtures that fire a rule whose severity differs between draft and publish, or is a warning."""
    def mode_dependent(rule_id: str) -> bool:
        info = catalogue()[rule_id]
        return info.draft != info.publish or "warning" in (info.draft, info.publish)

    return [case for case in cases() if any(mode_dependent(e["rule"]) for e in expected(case).get("findings", []))]


@pytest.mark.parametrize("case", _mode_dependent_cases())
@pytest.mark.parametrize("publish, strict", [(False, False), (True, False), (True, True)],
                         ids=["draft", "publish", "publish-strict"])
def test_findings_carry_the_catalogue_severity_in_every_mode(case: str, publish: bool, strict: bool,
                                                             tmp_path: Path) -> None:
    project, result = run(case, tmp_path, publish=publish, strict=strict)
    fired = {e["rule"] for e in expected(case)["findings"]}
    assert fired <= {f.rule for f in result.findings}, "the fixture's rules fire in every mode"
    assert_catalogue_severities(project, result, publish=publish, strict=strict)
    if strict:
        assert not result.warnings


def test_every_rule_fires_in_a_fixture_and_is_absent_from_a_near_miss() -> None:
    """A rule added to the catalogue needs a fixture that fires it and one it must stay silent on."""
    fired, absent = rules_fired_and_absent()
    missing = {rule: [kind for kind, table in (("firing", fired), ("near-miss (absent:)", absent)) if rule not in table]
               for rule in catalogue()}
    missing = {rule: kinds for rule, kinds in missing.items() if kinds}
    assert not missing, "rules without fixtures (add a folder under tests/fixtures/qa/):\n" + "\n".join(
        f"  {rule}: no {' and no '.join(kinds)} fixture" for rule, kinds in sorted(missing.items()))
    unknown = (set(fired) | set(absent)) - set(catalogue())
    assert not unknown, f"fixtures name rules the catalogue does not have: {sorted(unknown)}"


def test_every_letter_point_has_a_fixture() -> None:
    points = {int(c.split("-")[1]) for c in cases() if c.startswith("letter-")}
    # letter-12 (PDF over 20 MB) is exercised on a generated PDF in test_qa_outputs.py
    assert points == set(range(1, LETTER_POINTS + 1)) - {12}


def test_language_rules_are_many_and_well_formed() -> None:
    from dhr_kit.qa.catalogue import load_rule_data

    rules = load_rule_data("language.yml")["rules"]
    assert sum(len(r["patterns"]) for r in rules) >= 40
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert rule["suggestion"] and rule["description"] and rule["source"]
        assert set(rule["severity"]) == {"draft", "publish"}


SENTENCES = yaml.safe_load((Path(__file__).parent / "fixtures" / "qa" / "_sentences.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", SENTENCES, ids=[c["text"][:40] for c in SENTENCES])
def test_language_sentence(case: dict) -> None:
    from dhr_kit.qa.language import linter

    assert sorted(rule.id for rule, _, _ in linter().scan(case["text"])) == sorted(case["rules"])


def test_names_in_any_spreadsheet_cell_are_found(tmp_path: Path) -> None:
    """An agency's XLSX chronology is data too: a real name in any column of it is a leak."""
    import csv

    from openpyxl import Workbook, load_workbook

    project, _ = materialise(None, tmp_path)
    (project / "data" / "chronology.csv").rename(tmp_path / "unused.csv")
    folder = project / "data" / "chronology"
    folder.mkdir()
    with (tmp_path / "unused.csv").open(encoding="utf-8") as rows:
        records = list(csv.DictReader(rows))
    by_agency: dict[str, list[dict]] = {}
    for record in records:
        by_agency.setdefault(record.pop("agency"), []).append(record)
    for agency, events in by_agency.items():
        book = Workbook()
        sheet = book.active
        sheet.append(["date", "event", "source", "tor", "significance"])
        for event in events:
            sheet.append([event["date"], event["event"], event["source"], event["tor"], event["significance"]])
        book.save(folder / f"{agency}.xlsx")
    agency = next(iter(by_agency))
    book_path = folder / f"{agency}.xlsx"
    book = load_workbook(book_path)
    book.active.cell(row=2, column=3).value = "Statement taken by PC Ortolan from Jane Whitcombe"
    book.save(book_path)
    names = tmp_path / "names.txt"
    names.write_text("Jane Whitcombe\n", encoding="utf-8")
    found = [(f.rule, f.file, f.line) for f in check(project, names_file=names).findings if f.rule == "DHR-A001"]
    assert found == [("DHR-A001", f"data/chronology/{agency}.xlsx", 2)]
