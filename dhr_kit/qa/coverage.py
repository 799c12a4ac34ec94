"""DHR-C: coverage — every involved agency, and every practice topic the review raises, reaches a
recommendation (or a stated reason); every recommendation has a complete action-plan row."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..model import Recommendation
from .catalogue import finding, load_rule_data
from .findings import Finding
from .structure import is_trivial, layout
from .workspace import Workspace


@dataclass(frozen=True)
class Event:
    file: str
    line: int
    agency: str
    agency_type: str
    text: str


def _words_pattern(words: list[str]) -> re.Pattern:
    return re.compile(r"(?<![\w])(?:" + "|".join(words) + r")(?![\w])", re.IGNORECASE)


@dataclass(frozen=True)
class Topics:
    labels: dict[str, str]
    keywords: dict[str, re.Pattern]
    police: frozenset[str]
    request: re.Pattern
    bodies: re.Pattern
    acknowledgement: re.Pattern


@cache
def topics() -> Topics:
    data = load_rule_data("topics.yml")
    entries = data["topics"]
    return Topics({k: v["label"] for k, v in entries.items()},
                  {k: _words_pattern(v["keywords"]) for k, v in entries.items()},
                  frozenset(k for k, v in entries.items() if v.get("police")),
                  _words_pattern(data["request_words"]), _words_pattern(data["requesting_bodies"]),
                  _words_pattern(data["acknowledgement"]))


def _events(ws: Workspace) -> list[Event]:
    frame = ws.review.chronology
    types = {a.id: a.type for a in ws.review.metadata.agencies}
    lines: dict[str, dict[int, int]] = {}
    events = []
    for file, number, agency, text in zip(frame["file"], frame["row"], frame["agency"], frame["event"]):
        if file not in lines:
            table = ws.table(ws.root / file)
            lines[file] = {row.number: row.line for row in table.rows} if table else {}
        events.append(Event(file, lines[file].get(int(number), 1), agency, types.get(agency, "other"), str(text)))
    events.sort(key=lambda e: (e.file, e.line))
    return events


def is_gp_request(event: Event) -> bool:
    t = topics()
    if event.agency_type == "gp":
        return bool(t.bodies.search(event.text) and t.request.search(event.text))
    return bool(t.keywords["gp-requests"].search(event.text) and t.request.search(event.text))


def addresses(rec: Recommendation, topic: str) -> bool:
    t = topics()
    if topic in rec.topics:
        return True
    if topic == "gp-requests":
        return bool(t.keywords[topic].search(rec.text) and t.request.search(rec.text))
    return bool(t.keywords[topic].search(rec.text))


def _analysis_text(ws: Workspace) -> list[tuple[str, int, str]]:
    spec = next(s for s in layout()["sections"] if s["id"] == "analysis")
    return [(doc.file, seg.line, seg.text) for doc, section in ws.find_sections(spec["synonyms"])
            for seg in doc.segments_between(section.line, section.end_line)]


def _reason(ws: Workspace, topic: str) -> bool:
    return not is_trivial(ws.review.metadata.practice_topics.get(topic, ""), min_words=5)


def check_topics(ws: Workspace) -> list[Finding]:
    t = topics()
    found: list[Finding] = []
    events = _events(ws)
    recs = ws.review.recommendations
    types = {a.id: a.type for a in ws.review.metadata.agencies}
    analysis = _analysis_text(ws)
    for topic, label in t.labels.items():
        if topic == "gp-requests":
            raised = next(((e.file, e.line) for e in events if is_gp_request(e)), None)
        else:
            raised = next(((e.file, e.line) for e in events if t.keywords[topic].search(e.text)), None) or next(
                ((file, line) for file, line, text in analysis if t.keywords[topic].search(text)), None)
        if raised is None or _reason(ws, topic):
            continue
        if topic in t.police:
            police_events = [e for e in events if e.agency_type == "police" and t.keywords[topic].search(e.text)]
            police_recs = [r for r in recs if types.get(r.agency) == "police" and addresses(r, topic)]
            if police_events and not police_recs:
                event = police_events[0]
                found.append(finding("DHR-C003", event.file, event.line, label=label, events=len(police_events),
                                     topic=topic))
                continue
        if topic == "gp-requests":
            gp_recs = [r for r in recs if addresses(r, topic)]
            if not gp_recs:
                found.append(finding("DHR-C004", raised[0], raised[1]))
            elif not any(t.acknowledgement.search(r.text) for r in gp_recs):
                rec = gp_recs[0]
                found.append(finding("DHR-C007", "data/recommendations.csv",
                                     ws.csv_line("recommendations.csv", "id", rec.id), recommendation=rec.id))
            continue
        if not any(addresses(r, topic) for r in recs):
            found.append(finding("DHR-C002", raised[0], raised[1], label=label, topic=topic))
    return found


def check_agencies(ws: Workspace) -> list[Finding]:
    found: list[Finding] = []
    with_recs = {r.agency for r in ws.review.recommendations}
    for agency in ws.review.metadata.agencies:
        if agency.involved and agency.id not in with_recs and is_trivial(agency.no_recommendation_reason, 5):
            found.append(finding("DHR-C001", "data/review.yml", ws.yaml_line("review.yml", ("agencies", agency.id)),
                                 agency=agency.name, agency_id=agency.id))
    return found


def check_action_plan(ws: Workspace) -> list[Finding]:
    found: list[Finding] = []
    for rec in ws.review.recommendations:
        actions = ws.review.actions_for(rec.id)
        if not actions:
            found.append(finding("DHR-C005", "data/recommendations.csv",
                                 ws.csv_line("recommendations.csv", "id", rec.id), recommendation=rec.id))
            continue
        line = ws.csv_line("action_plan.csv", "recommendation", rec.id)
        for action in actions:
            missing = [name for name in ("action", "lead", "milestones") if is_trivial(getattr(action, name), 1)]
            if missing:
                found.append(finding("DHR-C006", "data/action_plan.csv", line, recommendation=rec.id,
                                     missing=", ".join(missing)))
            if action.status in ("in progress", "completed") and not action.updates:
                found.append(finding("DHR-C008", "data/action_plan.csv", line, recommendation=rec.id,
                                     status=action.status))
    return found


def check_coverage(ws: Workspace) -> list[Finding]:
    return [*check_agencies(ws), *check_topics(ws), *check_action_plan(ws)]
