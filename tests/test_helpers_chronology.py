"""Chronology table (filters, draft vs publish dates) and the ToR evidence blocks."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "helpers"))
from dhr_helper_fixtures import assert_golden, small_review, helper_env, review  # noqa: E402,F401

from dhr_kit.errors import InputError  # noqa: E402
from dhr_kit.helpers import chronology_table, tor_analysis  # noqa: E402

HEADER = ("| Ref | Date | Agency | Event (source) | ToR |\n|:" + "-" * 4 + "|:" + "-" * 11 + "|:" + "-" * 15
          + "|:" + "-" * 58 + "|:" + "-" * 7 + "|\n")




def test_draft_shows_full_dates_where_known(review) -> None:
    text = str(chronology_table(review=review))
    assert text.startswith(HEADER + "|   | 14 February 2021 | Northshire Police | Officers attended a report of an argument")
    assert "|   | March 2021 | Riverside Medical Practice | Anna attended a medication review" in text
    assert "| K1 | 3 August 2023 | Northshire Police | **MARAC referral \\| high risk**" in text
    assert "\n\n: Events in the combined chronology {#tbl-chronology}\n\nKey events are shown in bold.\n" in text


def test_key_events_table_is_captioned_numbered_and_not_bold(review) -> None:
    """Bold throughout marks nothing: a table of key events only is plain, with its K references."""
    text = str(chronology_table(significance="key", review=review))
    assert "| [K1]{#key-k1} | 3 August 2023 | Northshire Police | MARAC referral \\| high risk" in text
    assert "**" not in text and "shown in bold" not in text
    assert ": Key events in the combined chronology {#tbl-key-events}" in text


def test_publish_shows_months_only(review, monkeypatch) -> None:
    monkeypatch.setenv("DHR_PUBLISH", "1")
    text = str(chronology_table(review=review))
    assert "| February 2021 | Northshire Police |" in text and "| August 2023 |" in text
    assert "14 February" not in text and "3 August" not in text


FILTERS = [
    (dict(agency="police"), ["argument", "MARAC"]),
    (dict(agency="Riverside Medical Practice"), ["medication"]),
    (dict(agency=["gp", "mental-health"]), ["medication", "Crisis"]),
    (dict(start="2021-03", end="2022-06"), ["medication", "Crisis"]),
    (dict(end="2021-03"), ["argument", "medication"]),
    (dict(tor="ToR1"), ["argument", "MARAC"]),
    (dict(significance="key"), ["MARAC"]),
    (dict(significance=["key", "notable"], agency="police"), ["argument", "MARAC"]),
    (dict(start="2024-01"), []),
]


@pytest.mark.parametrize("filters, words", FILTERS)
def test_filters(review, filters, words) -> None:
    text = str(chronology_table(review=review, **filters))
    rows = [line for line in text.splitlines() if line.startswith("| ") and "Date" not in line]
    assert len(rows) == len(words)
    assert all(word in row for word, row in zip(words, rows))
    if not words:
        assert text == "No events in the chronology match this selection.\n"


@pytest.mark.parametrize("filters, file, key", [
    (dict(agency="fire"), "data/review.yml", "agencies"),
    (dict(tor="ToR9"), "data/terms_of_reference.yml", "id"),
    (dict(significance="urgent"), "chapter cell", "significance"),
    (dict(start="14/02/2021"), "chapter cell", "start"),
])
def test_bad_filters_are_input_errors(review, filters, file, key) -> None:
    with pytest.raises(InputError) as err:
        chronology_table(review=review, **filters)
    assert (err.value.problems[0].file, err.value.problems[0].key) == (file, key)


def test_review_may_be_passed_first(review) -> None:
    assert str(chronology_table(review)) == str(chronology_table(review=review))


def test_tor_analysis(review) -> None:
    assert_golden("tor_analysis_ToR1", str(tor_analysis("ToR1", review)))
    text = str(tor_analysis("ToR1", review))
    assert text.startswith('::: {.callout-note title="Term of Reference"}\n**ToR1: Risk identification and assessment.**')
    assert "MARAC referral" not in text, "the evidence cites events; it does not re-print the chronology"
    assert "full chronology" not in text  # the full chronology is not published: never point the reader to it


def test_tor_analysis_counts_by_agency_and_cites_key_events(tmp_path) -> None:
    from dhr_helper_fixtures import small_data
    data = small_data()
    review = small_review(tmp_path, data)
    tagged = [e for e in data["chronology"] if "ToR1" in e.get("tor", [])]
    text = str(tor_analysis("ToR1", review))
    assert f"holds {len(tagged)} events relevant to ToR1, recorded by one agency".replace(str(len(tagged)), "two") in text
    assert ("The panel graded one of them key: [K1](#key-k1), numbered as in the table of key events "
            "(@tbl-key-events).") in text
    assert f"| Northshire Police | {len(tagged)} |" in text and "| [K1](#key-k1) |" in text
    assert ": What each agency knew: events relevant to ToR1 {#tbl-tor1-evidence}" in text
    without = str(tor_analysis("ToR1", review, key_events_label=None))
    assert "@tbl-key-events" not in without and "#key-k1" not in without


def test_tor_without_events(tmp_path) -> None:
    from dhr_helper_fixtures import small_data
    data = small_data()
    data["terms_of_reference"].append({"id": "ToR3", "title": "Housing", "text": "How did the landlord respond"})
    text = str(tor_analysis("ToR3", small_review(tmp_path, data)))
    assert text.endswith("No chronology events are tagged with ToR3.\n")


def test_unknown_tor_lists_known_ids(review) -> None:
    with pytest.raises(InputError) as err:
        tor_analysis("ToR7", review)
    problem = err.value.problems[0]
    assert problem.file == "data/terms_of_reference.yml" and "ToR1, ToR2" in problem.fix
