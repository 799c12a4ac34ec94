"""Standard sections built from the data: title page, preface, panel, independence, equality, parallel reviews."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "helpers"))
from dhr_helper_fixtures import assert_golden, small_data, small_review, helper_env, review  # noqa: E402,F401

from dhr_kit.errors import InputError  # noqa: E402
from dhr_kit.helpers import (agencies_table, dissemination, independence_statement, panel_table,  # noqa: E402
                             parallel_reviews, preface, protected_characteristics, review_timescales, title_page,
                             title_page_data, terms_of_reference)
from dhr_kit.helpers.equality import STOCK_PHRASES, is_generic  # noqa: E402




def test_title_page_data_has_month_and_year_of_death(review) -> None:
    assert title_page_data(review) == {
        "csp": "Calderbrook Community Safety Partnership",
        "title": "Domestic Homicide Review into the death of Anna",
        "victim": "Anna", "died": "who died in March 2024", "chair": "Dr Ruth Adeyemi",
        "author": "Dr Ruth Adeyemi", "date": "September 2025", "marking": "OFFICIAL",
    }


def test_title_page_markdown(review) -> None:
    assert str(title_page(review)) == (
        "::: {.title-page}\nOFFICIAL\n\n**Calderbrook Community Safety Partnership**\n\n"
        "**Domestic Homicide Review into the death of Anna**\n\nAnna, who died in March 2024\n\n"
        "Independent Chair and Author: Dr Ruth Adeyemi  \\\nReport completed: September 2025\n:::\n")


def test_title_page_names_a_separate_author(tmp_path) -> None:
    data = small_data()
    data["metadata"]["chair"]["role"] = "Independent Chair"
    data["metadata"]["author"] = {"name": "Sam Okoro", "role": "Author", "independence": "Has no connection with any agency."}
    text = str(title_page(small_review(tmp_path, data)))
    assert "Independent Chair: Dr Ruth Adeyemi  \\\nAuthor: Sam Okoro" in text


def test_dissemination_and_terms_of_reference(review) -> None:
    assert str(dissemination(review)) == "- Domestic Abuse Commissioner\n- Home Office\n- Northshire Police\n"
    assert str(terms_of_reference(review)) == (
        "1. **Risk identification and assessment.** How did agencies identify and assess the risk to Anna.\n"
        "2. **Information sharing.** How did agencies share information.\n")


def test_empty_dissemination_is_an_input_error(tmp_path) -> None:
    data = small_data()
    data["metadata"]["dissemination"] = []
    with pytest.raises(InputError) as err:
        dissemination(small_review(tmp_path, data))
    assert err.value.problems[0].key == "dissemination"


@pytest.mark.parametrize("name, helper", [
    ("preface", preface), ("panel_table", panel_table), ("independence_statement", independence_statement),
    ("agencies_table", agencies_table), ("review_timescales", review_timescales),
    ("protected_characteristics", protected_characteristics), ("parallel_reviews", parallel_reviews),
])
def test_golden(name, helper, review) -> None:
    assert_golden(name, str(helper(review)))


def test_preface_without_tribute_or_chooser(tmp_path) -> None:
    data = small_data()
    data["metadata"]["family"] = {"contributed": False}
    data["metadata"]["victim"]["pseudonym_chosen_by"] = ""
    text = str(preface(small_review(tmp_path, data)))
    assert "section 9 of the Domestic Violence, Crime and Victims Act 2004" in text
    assert ">" not in text
    assert "Anna's family were invited to contribute" in text
    assert "to protect the privacy of Anna's family" in text


def test_independence_statement_for_separate_author(tmp_path) -> None:
    data = small_data()
    data["metadata"]["author"] = {"name": "Sam Okoro", "role": "Author",
                                  "independence": "She has no line management of, or involvement with, any service."}
    text = str(independence_statement(small_review(tmp_path, data)))
    assert text.endswith("**Sam Okoro** (Author). She has no line management of, or involvement with, any service.\n")


def test_missing_independence_statements_are_input_errors(tmp_path) -> None:
    data = small_data()
    data["metadata"]["chair"]["independence"] = " "
    data["panel"][1]["independence"] = ""
    review = small_review(tmp_path, data)
    with pytest.raises(InputError) as err:
        independence_statement(review)
    assert (err.value.problems[0].file, err.value.problems[0].key) == ("data/review.yml", "chair.independence")
    with pytest.raises(InputError) as err:
        panel_table(review)
    assert (err.value.problems[0].file, err.value.problems[0].key, err.value.problems[0].line) == \
        ("data/panel.csv", "independence", 3)


GENERIC = [
    ("N/A", True),
    ("Not relevant.", True),
    ("No evidence that this characteristic was relevant here.", True),
    ("There is no evidence that this was a factor in the case at all.", True),
    ("Anna was 38 and Mark 41; no evidence that age affected how agencies responded.", False),
    ("Neither had a disability recorded by any agency during the period under review.", False),
]


@pytest.mark.parametrize("reason, generic", GENERIC)
def test_generic_reasons(reason: str, generic: bool) -> None:
    assert is_generic(reason, ["Anna", "Mark", "Leo"]) is generic


def test_stock_phrases_are_all_generic_on_their_own() -> None:
    for phrase in STOCK_PHRASES:
        assert is_generic(phrase, ["Anna"]) and is_generic(f"{phrase} was found in the review for this.", ["Anna"])


def test_protected_characteristics_errors_name_file_and_key(tmp_path) -> None:
    data = small_data()
    characteristics = data["protected_characteristics"]
    del characteristics["race"]
    characteristics["age"]["reason"] = "N/A"
    characteristics["sex"]["analysis"] = ""
    with pytest.raises(InputError) as err:
        protected_characteristics(small_review(tmp_path, data))
    found = {(p.file, p.key) for p in err.value.problems}
    # a generic reason or a missing analysis is DHR-S013's finding (dhr check), not a helper error
    assert found == {("data/protected_characteristics.yml", "race")}


def test_protected_characteristics_lists_all_nine(review) -> None:
    text = str(protected_characteristics(review))
    for label in ("Age", "Disability", "Gender reassignment", "Marriage and civil partnership",
                  "Pregnancy and maternity", "Race", "Religion or belief", "Sex", "Sexual orientation"):
        assert f"| {label} | " in text
    assert "**Sex.** Domestic homicide is highly gendered." in text
    assert ": The protected characteristics of the Equality Act 2010 {#tbl-protected-characteristics}" in text


def test_protected_characteristics_table_only_when_the_chapter_analyses_them(review) -> None:
    """analyses=False: the chapter's own sections analyse the relevant ones (no characteristic twice)."""
    text = str(protected_characteristics(review, analyses=False))
    assert "| Sex | " in text and "**Sex.**" not in text


@pytest.mark.parametrize("change, key", [
    (lambda reviews: [r for r in reviews if r["type"] != "mhhr"], "mhhr"),
    (lambda reviews: [{**r, "rationale": ""} if r["type"] == "mhhr" else r for r in reviews], "mhhr.rationale"),
])
def test_mhhr_required_when_mental_health_involved(tmp_path, change, key) -> None:
    data = small_data()
    data["parallel_reviews"] = change(data["parallel_reviews"])
    with pytest.raises(InputError) as err:
        parallel_reviews(small_review(tmp_path, data))
    assert [(p.file, p.key) for p in err.value.problems] == [("data/parallel_reviews.yml", key)]


def test_mhhr_not_required_without_mental_health_services(tmp_path) -> None:
    data = small_data()
    data["parallel_reviews"] = [r for r in data["parallel_reviews"] if r["type"] != "mhhr"]
    data["metadata"]["agencies"] = [a for a in data["metadata"]["agencies"] if a["type"] != "mental-health"]
    data["chronology"] = [e for e in data["chronology"] if e["agency"] != "mental-health"]
    text = str(parallel_reviews(small_review(tmp_path, data)))
    assert "| Mental Health Homicide Review (NHS independent investigation) | No decision recorded yet |" in text


def test_publish_requires_every_parallel_review_decision(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DHR_PUBLISH", "1")
    with pytest.raises(InputError) as err:
        parallel_reviews(small_review(tmp_path))
    assert {p.key for p in err.value.problems} == {"inquest", "sar", "cspr", "iopc"}


def test_panel_member_published_by_role_is_named_once(tmp_path) -> None:
    data = small_data()
    data["panel"][1]["name"] = data["panel"][1]["role"] = "Head of Safeguarding"
    text = str(panel_table(small_review(tmp_path, data)))
    assert "| Head of Safeguarding | Northshire Police |" in text
    assert "Head of Safeguarding (Head of Safeguarding)" not in text
