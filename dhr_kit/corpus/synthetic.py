"""Synthetic review records: fictional, varied and seeded, for the corpus's tests and benchmark.

Every record follows the record schema and passes the anonymity rules; places, agencies and texts are
invented (no real Partnership, no person), and no two seeds give the same corpus.
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from typing import Any

from ..model import PARALLEL_REVIEW_TYPES, PRACTICE_TOPICS, PROTECTED_CHARACTERISTICS
from ..record import SCHEMA_VERSION
from ..record.themes import themes_of

PLACES = ["Calderbrook", "Brackenmoor", "Hollinsford", "Wrenhaven", "Thistlebury", "Oakridge Vale", "Fernleigh",
          "Ashcombe Water", "Kestrelmouth", "Larkspur Downs", "Millbeck", "Greyholme", "Otterburn Cross",
          "Sallowfield", "Rookhaven", "Tansley Marsh"]
AGENCIES = {"police": "{area} Police", "gp": "{place} Medical Practice", "mental-health": "{area} Mental Health Trust",
            "acute-health": "{place} Hospitals NHS Trust", "ambulance": "{area} Ambulance Service",
            "housing": "{place} Homes", "adult-social-care": "{place} Council Adult Social Care",
            "childrens-social-care": "{place} Council Children's Services", "probation": "Probation Service ({area})",
            "domestic-abuse-service": "Safer {place}", "substance-use-service": "{place} Recovery Partnership",
            "education": "{place} Schools Partnership", "voluntary-sector": "{place} Community Trust"}
RELEVANCE = {"sex": 0.9, "disability": 0.35, "age": 0.2, "race": 0.15, "pregnancy_and_maternity": 0.05,
             "religion_or_belief": 0.05, "sexual_orientation": 0.04, "marriage_and_civil_partnership": 0.1,
             "gender_reassignment": 0.01}
QA_POINTS = ["Add research evidence on coercive control to support the analysis",
             "Explain why the ambulance service has no recommendation",
             "Say more specifically why disability is a relevant characteristic under the Equality Act",
             "Set out the independence of each panel member",
             "Give the reasons for not commissioning a Safeguarding Adults Review",
             "Reword language that suggests the victim was responsible for the loss of contact",
             "Describe how the family's views shaped the Terms of Reference",
             "Make the action plan's recommendations SMART",
             "Explain the delay between the notification and the first panel",
             "Remove details that could identify the children"]
STATUS = (["completed"] * 5 + ["in progress"] * 3 + ["not started", "overdue"])


def _month(year: int, month: int) -> str:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return f"{year:04d}-{month:02d}"


def synthetic_record(index: int, rng: random.Random) -> dict[str, Any]:
    place = rng.choice(PLACES)
    area = f"{rng.choice(PLACES)}shire" if rng.random() < 0.5 else f"{place} and District"
    csp = f"{place} Community Safety Partnership"
    year, month = rng.randint(2015, 2025), rng.randint(1, 12)
    commissioned = 1 + rng.randint(0, 3)
    completed = commissioned + rng.randint(5, 30)
    submitted = completed + rng.randint(0, 3)
    dates = {"commissioned": _month(year, month + commissioned), "home_office_notified": _month(year, month + commissioned),
             "first_panel": _month(year, month + commissioned + 1), "completed": _month(year, month + completed),
             "submitted": _month(year, month + submitted),
             "published": _month(year, month + submitted + rng.randint(3, 12)) if rng.random() < 0.7 else None}
    types = rng.sample(list(AGENCIES), rng.randint(4, 10))
    agencies = [{"id": t, "name": AGENCIES[t].format(place=place, area=area), "type": t, "involved": True,
                 "imr": rng.random() < 0.8, "recommendations": [], "no_recommendation_reason": ""} for t in types]
    tor = [{"id": f"ToR{i}", "title": f"Term of Reference {i}", "text": "How did agencies respond to the risk?"}
           for i in range(1, rng.randint(4, 8))]
    recommendations, actions = [], []
    done_year, done_month = int(dates["completed"][:4]), int(dates["completed"][5:])
    for n in range(1, rng.randint(3, 16)):
        agency = rng.choice(agencies)
        rec_id = f"R{n}"
        agency["recommendations"].append(rec_id)
        topics = rng.sample(list(PRACTICE_TOPICS), rng.choice([0, 1, 1, 2]))
        scope = rng.choices(["local", "regional", "national"], [8, 2, 1])[0]
        recommendations.append({"id": rec_id, "agency_id": agency["id"], "agency": agency["name"],
                                "agency_type": agency["type"], "scope": scope,
                                "tor": [rng.choice(tor)["id"]], "topics": topics,
                                "text": f"{agency['name']} to improve its response (recommendation {n})"})
        for k in range(rng.randint(1, 2)):
            status = rng.choice(STATUS)
            target = _month(done_year, done_month + rng.randint(2, 24))
            updates = []
            if status != "not started" and rng.random() < 0.85:
                for _ in range(rng.randint(1, 3)):
                    offset = rng.randint(1, 30)
                    y, m = int(_month(done_year, done_month + offset)[:4]), int(_month(done_year, done_month + offset)[5:])
                    updates.append({"date": date(y, m, rng.randint(1, 28)).isoformat(),
                                    "text": rng.choice(["Policy revised and agreed", "Training delivered to staff",
                                                        "Audit completed and reported to the board",
                                                        "Procedure in use across teams"])})
            actions.append({"recommendation": rec_id, "scope": scope, "lead_agency": agency["name"],
                            "action": f"Action {k + 1} for recommendation {n}", "lead": "Head of Safeguarding",
                            "milestones": "Draft, agree, implement, audit", "target_date": target,
                            "status": status, "updates": sorted(updates, key=lambda u: u["date"])})
    points = rng.sample(QA_POINTS, rng.randint(0, 6))
    return {
        "schema_version": SCHEMA_VERSION, "generator": "dhr-kit synthetic",
        "review": {"id": f"synthetic-{index:06d}", "csp": csp, "title": f"Domestic Homicide Review {index}",
                   "area": area, "death": _month(year, month), "dates": dates,
                   "panel_meetings": rng.randint(3, 10), "family_contributed": rng.random() < 0.75,
                   "practice_topics_without_recommendation": {}},
        "panel": {"chair_role": "Independent Chair", "chair_independence": "The chair has no link to any agency.",
                  "members": [{"role": "Safeguarding Lead", "agency": a["id"], "panel_role": "Panel member",
                               "independence": "No involvement with the case"} for a in agencies[:5]]},
        "agencies": agencies,
        "protected_characteristics": [{"key": k, "characteristic": k.replace("_", " ").capitalize(),
                                       "relevant": rng.random() < RELEVANCE[k], "reason": "Considered by the panel.",
                                       "analysis": ""} for k in PROTECTED_CHARACTERISTICS],
        "parallel_reviews": [{"type": t, "label": PARALLEL_REVIEW_TYPES[t], "decision": d, "held": d != "Not held",
                              "rationale": "Decided with the panel.", "outcome": ""}
                             for t in rng.sample(list(PARALLEL_REVIEW_TYPES), rng.randint(1, 4))
                             for d in [rng.choice(["Concluded", "Not held", "Held"])]],
        "terms_of_reference": tor,
        "recommendations": recommendations,
        "action_plan": actions,
        "action_updates": [{"recommendation": r, "date": d, "update": t} for r, d, t in
                           sorted({(a["recommendation"], u["date"], u["text"]) for a in actions for u in a["updates"]})],
        "qa_letter": [{"id": f"QA{i}", "point": p, "status": rng.choice(["addressed", "addressed", "open"]),
                       "response": "", "where": "", "themes": themes_of(p)} for i, p in enumerate(points, 1)],
    }


def synthetic_records(count: int, seed: int = 15) -> Iterator[dict[str, Any]]:
    """``count`` records; the same seed gives the same records."""
    rng = random.Random(seed)
    for index in range(count):
        yield synthetic_record(index, rng)
