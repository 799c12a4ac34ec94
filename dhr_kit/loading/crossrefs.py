"""Checks across files: agencies, Terms of Reference, practice topics and recommendations that one
file names and another must define."""
from __future__ import annotations

from ..errors import Problem
from ..model import PRACTICE_TOPICS
from .tables import Located


def _known(ids: set[str]) -> str:
    return ", ".join(sorted(ids)) or "(none defined)"


def check_agencies(items: list[Located], agency_ids: set[str], problems: list[Problem],
                   allow_independent: bool = False) -> None:
    for loc in items:
        agency = loc.item.agency
        if agency in agency_ids or (allow_independent and agency.lower() == "independent"):
            continue
        extra = " or Independent" if allow_independent else ""
        problems.append(loc.problem("agency", f"unknown agency '{agency}'",
                                    fix=f"use an agency id from data/review.yml ({_known(agency_ids)}){extra}, "
                                        "or add the agency under agencies:"))


def check_tor(items: list[Located], tor_ids: set[str], problems: list[Problem]) -> None:
    for loc in items:
        for tor in loc.item.tor:
            if tor not in tor_ids:
                problems.append(loc.problem("tor", f"unknown Term of Reference '{tor}'",
                                            fix=f"use ids from data/terms_of_reference.yml ({_known(tor_ids)}), "
                                                "separated by ';'"))


def check_topics(items: list[Located], problems: list[Problem]) -> None:
    for loc in items:
        for topic in loc.item.topics:
            if topic not in PRACTICE_TOPICS:
                problems.append(loc.problem("topics", f"unknown practice topic '{topic}'",
                                            fix=f"use one of: {', '.join(PRACTICE_TOPICS)} (separated by ';')"))


def check_recommendation_ids(items: list[Located], rec_ids: set[str], problems: list[Problem]) -> None:
    for loc in items:
        if loc.item.recommendation not in rec_ids:
            problems.append(loc.problem("recommendation", f"unknown recommendation '{loc.item.recommendation}'",
                                        fix=f"use an id from data/recommendations.csv ({_known(rec_ids)})"))
