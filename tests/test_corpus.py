"""`dhr corpus add|report|sql|export` (the report rendered by the embedded engine): records into one DuckDB file; the analysis agrees with counts made
directly from the records; a review loaded twice is replaced; bad input exits 2."""
from __future__ import annotations

import collections
import csv
import io
import json
from pathlib import Path

import duckdb
import pytest

from conftest import REPO

from dhr_kit.cli import main
from dhr_kit.corpus.analysis import QUERIES
from dhr_kit.corpus.synthetic import synthetic_records


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list[dict]]:
    root = tmp_path_factory.mktemp("corpus")
    records = list(synthetic_records(60, seed=7))
    folder = root / "records"
    folder.mkdir()
    for record in records:
        (folder / f"{record['review']['id']}.json").write_text(json.dumps(record), encoding="utf-8")
    assert main(["export", str(REPO), "-o", str(folder / "example.json")]) == 0
    records.append(json.loads((folder / "example.json").read_text(encoding="utf-8")))
    db = root / "corpus.duckdb"
    assert main(["corpus", "add", "--db", str(db), str(folder)]) == 0
    return db, records


def sql(db: Path, query: str, capsys) -> list[dict[str, str]]:
    capsys.readouterr()
    assert main(["corpus", "sql", "--db", str(db), query]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_every_record_is_loaded_once_and_reloading_replaces(corpus, capsys, tmp_path) -> None:
    db, records = corpus
    assert sql(db, "select count(*) as n from reviews", capsys) == [{"n": str(len(records))}]
    actions = sum(len(r["action_plan"]) for r in records)
    assert sql(db, "select count(*) as n from actions", capsys) == [{"n": str(actions)}]
    again = tmp_path / "again.json"
    again.write_text(json.dumps(records[0]), encoding="utf-8")
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(db.read_bytes())
    assert main(["corpus", "add", "--db", str(copy), str(again)]) == 0
    assert sql(copy, "select count(*) as n from actions", capsys) == [{"n": str(actions)}]


def test_the_analysis_agrees_with_the_records(corpus, capsys) -> None:
    db, records = corpus
    relevant = collections.Counter(c["key"] for r in records for c in r["protected_characteristics"] if c["relevant"])
    rows = sql(db, f"select characteristic, reviews_relevant from ({QUERIES['characteristics'][1]})", capsys)
    assert {r["characteristic"]: int(r["reviews_relevant"]) for r in rows if int(r["reviews_relevant"])} == relevant
    themes = collections.Counter(t for r in records for q in r["qa_letter"] for t in q["themes"])
    rows = sql(db, "select unnest(themes) as theme, count(*) as n from qa_points group by 1", capsys)
    assert {r["theme"]: int(r["n"]) for r in rows} == themes


def test_the_report_names_every_question_and_has_alt_text(corpus, tmp_path) -> None:
    db, records = corpus
    assert main(["corpus", "report", "--db", str(db), "-o", str(tmp_path / "out")]) == 0
    html = (tmp_path / "out" / "_book" / "index.html").read_text(encoding="utf-8")
    for heading in ("Protected characteristics found relevant", "Recommendations by type of agency",
                    "Practice topics", "Time from commissioning to completion", "Themes of the QA Panel"):
        assert heading in html
    assert f"{len(records)} review records" in html and 'lang="en-GB"' in html
    assert html.count('alt="Bar chart of') == 3 and "DRAFT" not in html
    assert "<text" in (tmp_path / "out" / "qa-themes.svg").read_text(encoding="utf-8")
    assert "lang: en-GB" in (tmp_path / "out" / "_quarto.yml").read_text(encoding="utf-8")
    assert "## Themes of the QA Panel's letter points" in (tmp_path / "out" / "index.qmd").read_text(encoding="utf-8")


def test_parquet_export_reads_back(corpus, tmp_path) -> None:
    db, records = corpus
    assert main(["corpus", "export", "--db", str(db), str(tmp_path / "pq")]) == 0
    query = f"select count(*) from read_parquet('{tmp_path / 'pq' / 'reviews.parquet'}')"
    count = duckdb.connect().execute(query).fetchone()[0]
    assert count == len(records)


@pytest.mark.parametrize("argv, says", [
    (["corpus", "sql", "--db", "{db}", "select * from nowhere"], "the tables are"),
    (["corpus", "report", "--db", "{missing}"], "does not exist"),
    (["corpus", "add", "--db", "{new}", "{missing}"], "does not exist"),
])
def test_bad_input_exits_2(corpus, argv, says, tmp_path, capsys) -> None:
    db, _ = corpus
    argv = [a.format(db=db, missing=tmp_path / "missing.json", new=tmp_path / "new.duckdb") for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
