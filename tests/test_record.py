"""The versioned review record: the example's record follows the shipped JSON Schema, carries no names and
month-precision review dates; records breaking the schema or the anonymity rules are refused naming the
record and the field (tests/fixtures/records/refused.yml)."""
from __future__ import annotations

import copy
import json
import re
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import REPO

from dhr_kit.cli import main
from dhr_kit.corpus.synthetic import synthetic_records
from dhr_kit.record import SCHEMA_VERSION, check_record

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "records" / "refused.yml").read_text())


@pytest.fixture(scope="module")
def record(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("record") / "record.json"
    assert main(["export", str(REPO), "--output", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_the_schema_ships_with_the_package_and_is_a_valid_schema() -> None:
    schema = json.loads(resources.files("dhr_kit.record").joinpath("dhr-record.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema_version"]["pattern"].startswith("^1")


def test_the_example_record_follows_the_schema(record) -> None:
    schema = json.loads(resources.files("dhr_kit.record").joinpath("dhr-record.schema.json").read_text())
    jsonschema.validate(record, schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert record["schema_version"] == SCHEMA_VERSION
    assert len(record["protected_characteristics"]) == 9
    assert {q["id"] for q in record["qa_letter"]} == {f"QA{i}" for i in range(1, 7)}
    assert all(a["updates"] for a in record["action_plan"] if a["status"] == "completed")


def test_the_record_has_no_names_and_month_precision_review_dates(record) -> None:
    text = json.dumps(record, ensure_ascii=False)
    review_yml = yaml.safe_load((REPO / "data" / "review.yml").read_text(encoding="utf-8"))
    for name in (review_yml["chair"]["name"], "Adeyemi"):
        assert name not in text, "the chair's name is not in the record"
    assert "pseudonym" not in text and "victim" not in record["review"]
    dates = [record["review"]["death"], *(d for d in record["review"]["dates"].values() if d)]
    assert all(re.fullmatch(r"\d{4}-\d{2}", d) for d in dates)
    assert record["panel"]["chair_independence"].startswith("The chair has never worked")


def _apply(record: dict, case: dict) -> dict:
    changed = copy.deepcopy(record)
    for path, value in case.get("set", {}).items():
        *parents, last = path.strip("/").split("/")
        node = changed
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[int(last) if isinstance(node, list) else last] = value
    for path in case.get("drop", []):
        del changed[path.strip("/")]
    return changed


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_corpus_add_refuses_naming_record_and_field(case, record, tmp_path, capsys) -> None:
    good, bad = tmp_path / "good.json", tmp_path / f"{case['case']}.json"
    good.write_text(json.dumps(record), encoding="utf-8")
    bad.write_text(json.dumps(_apply(record, case)), encoding="utf-8")
    argv = ["corpus", "add", "--db", str(tmp_path / "c.duckdb"), str(good), str(bad)]
    if "names" in case:
        (tmp_path / "names.txt").write_text(case["names"] + "\n", encoding="utf-8")
        argv += ["--names", str(tmp_path / "names.txt")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    line = next(line for line in err.splitlines() if str(bad) in line)
    assert f"[{case['field']}]" in line and case["says"] in line, err
    assert "Traceback" not in err and str(good) not in err
    assert not (tmp_path / "c.duckdb").exists(), "nothing is loaded when a record is refused"
    if "names" in case:
        assert case["names"] not in err, "the name itself is never printed"


def test_export_refuses_a_record_with_an_identifying_detail(tmp_path, capsys) -> None:
    from conftest import copy_example

    project = copy_example(tmp_path / "review")
    plan = project / "data" / "action_plan.csv"
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "Head of Digital Policing", "Head of Digital Policing (07700 900123)"), encoding="utf-8")
    assert main(["export", str(project), "-o", str(tmp_path / "r.json")]) == 2
    err = capsys.readouterr().err
    assert "[/action_plan/" in err and "/lead]" in err and "telephone number" in err
    assert not (tmp_path / "r.json").exists()


def test_synthetic_records_follow_the_schema_and_vary() -> None:
    records = list(synthetic_records(40, seed=3))
    for record in records:
        check_record(record, record["review"]["id"])
    assert len({r["review"]["csp"] for r in records}) > 5
    assert len({len(r["recommendations"]) for r in records}) > 5
    assert records == list(synthetic_records(40, seed=3)) and records != list(synthetic_records(40, seed=4))
