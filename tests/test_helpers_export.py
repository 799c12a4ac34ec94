"""`dhr export` (JSON and CSV) and helpers loading the current project's review by default (cached)."""
from __future__ import annotations

import csv
import io
import json
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "helpers"))
from dhr_helper_fixtures import write_project  # noqa: E402

from dhr_kit.cli import main  # noqa: E402
from dhr_kit.export import export_review  # noqa: E402
from dhr_kit.helpers import dissemination, title_page_data  # noqa: E402
from dhr_kit.helpers._review import get_review  # noqa: E402


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("DHR_PROJECT", str(tmp_path))
    monkeypatch.delenv("DHR_PUBLISH", raising=False)
    return write_project(tmp_path)


def test_export_json(project) -> None:
    data = json.loads(export_review(project, "json"))
    assert data["schema_version"] == "1.0" and "victim" not in data["review"] and data["review"]["death"] == "2024-03"
    assert data["recommendations"][0] == {
        "id": "R1", "agency_id": "police", "agency": "Northshire Police", "scope": "local", "tor": ["ToR1"],
        "topics": ["dvds"], "text": "Northshire Police to complete DVDS requests within 28 days", "agency_type": "police"}
    assert [(a["recommendation"], a["status"], a["lead_agency"]) for a in data["action_plan"]] == [
        ("R1", "in progress", "Northshire Police"), ("R2", "completed", "Calderbrook Community Safety Partnership")]
    assert data["action_updates"] == [{"recommendation": "R1", "date": "2026-02-10", "update": "Audit completed"}]
    assert {a["id"]: a["recommendations"] for a in data["agencies"]}["police"] == ["R1"]
    sex = next(c for c in data["protected_characteristics"] if c["key"] == "sex")
    assert sex["relevant"] is True and sex["analysis"] == "Domestic homicide is highly gendered."
    assert len(data["protected_characteristics"]) == 9


def test_cli_json_to_stdout_and_file(project, capsys) -> None:
    assert main(["export", str(project)]) == 0
    assert json.loads(capsys.readouterr().out)["recommendations"][1]["scope"] == "national"
    out = project / "out" / "export.json"
    assert main(["export", str(project), "--format", "json", "--output", str(out)]) == 0
    assert json.loads(out.read_text())["review"]["csp"] == "Calderbrook Community Safety Partnership"


def test_cli_csv_one_file_per_table(project) -> None:
    assert main(["export", str(project), "--format", "csv"]) == 0
    folder = project / "_export"
    assert sorted(p.name for p in folder.iterdir()) == [
        "action_plan.csv", "action_updates.csv", "agencies.csv", "protected_characteristics.csv", "recommendations.csv"]
    rows = list(csv.DictReader(io.StringIO((folder / "recommendations.csv").read_text())))
    assert rows[0]["agency"] == "Northshire Police" and rows[0]["tor"] == "ToR1"
    assert main(["export", str(project), "--format", "csv", "-o", str(project / "elsewhere")]) == 0
    assert (project / "elsewhere" / "agencies.csv").is_file()


def test_cli_bad_data_exits_2(project, capsys) -> None:
    (project / "data" / "review.yml").write_text("csp: [unclosed\n")
    assert main(["export", str(project)]) == 2
    assert "data/review.yml" in capsys.readouterr().err


def test_helpers_load_the_current_project_once(project) -> None:
    first = get_review()
    assert get_review() is first
    assert title_page_data()["victim"] == "Anna"
    review_yml = project / "data" / "review.yml"
    text = review_yml.read_text().replace("- Home Office\n", "- Home Office\n- Northshire Safeguarding Adults Board\n")
    review_yml.write_text(text)
    stat = review_yml.stat()
    os.utime(review_yml, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert get_review() is not first
    assert "- Northshire Safeguarding Adults Board" in str(dissemination())


def test_export_rejects_unknown_format(project) -> None:
    from dhr_kit.errors import InputError

    with pytest.raises(InputError):
        export_review(project, "xml")

