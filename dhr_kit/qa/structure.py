"""DHR-S: the report's structure — model-layout sections, annexes, title page, preface, analysis by
Terms of Reference, independence statements, protected characteristics, parallel reviews, dissemination."""
from __future__ import annotations

import re
from collections import Counter
from functools import cache

from .catalogue import finding, load_rule_data
from .document import Document, Section, normalise_heading
from .findings import Finding
from .workspace import Workspace

_WORD = re.compile(r"[A-Za-z]+")
_MONTH_NAMES = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DEATH_YEAR = re.compile(rf"\b(?:died|death|killed|murdered)\b[^.;]{{0,40}}?(?:\b({_MONTH_NAMES})\s+)?\b((?:19|20)\d{{2}})\b",
                         re.IGNORECASE)
_DAY_DATE = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_NAMES}\b|\b{_MONTH_NAMES}\s+\d{{1,2}}(?:st|nd|rd|th)?,"
                       r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b", re.IGNORECASE)


@cache
def layout() -> dict:
    return load_rule_data("sections.yml")


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s/]", " ", text.lower()).split())


def is_trivial(text: str, min_words: int = 4) -> bool:
    return _plain(text) in {_plain(t) for t in layout()["trivial_statements"]} or _words(text) < min_words


def is_generic_reason(text: str) -> bool:
    plain = " ".join(text.lower().split())
    return any(re.search(p, plain) for p in layout()["generic_reason_patterns"])


def _section_calls(doc: Document, section: Section) -> set[str]:
    return {c.name for c in doc.calls_between(section.line, section.end_line)}


def _has_content(doc: Document, section: Section, helpers: list[str], min_words: int = 20) -> bool:
    return bool(_section_calls(doc, section) & set(helpers)) or \
        doc.words_between(section.line + 1, section.end_line) >= min_words


def _all_calls(ws: Workspace) -> dict[str, tuple[str, int]]:
    return {c.name: (doc.file, c.line) for doc in ws.documents for c in doc.calls}


def check_sections(ws: Workspace) -> list[Finding]:
    found: list[Finding] = []
    chapters_line = ws.config_line("chapters")
    calls = _all_calls(ws)
    for spec in layout()["sections"]:
        if spec["id"] == "preface":
            continue
        if ws.find_sections(spec["synonyms"]):
            continue
        helper = next((h for h in spec.get("helpers", []) if h in calls), None)
        found.append(finding("DHR-S001", "_quarto.yml", chapters_line,
                             variant="helper-without-heading" if helper else None, title=spec["title"],
                             synonyms=", ".join(spec["synonyms"][:4]), helper=helper,
                             called_at=f"{calls[helper][0]}:{calls[helper][1]}" if helper else ""))
    return found


def check_preface(ws: Workspace) -> list[Finding]:
    spec = next(s for s in layout()["sections"] if s["id"] == "preface")
    matches = ws.find_sections(spec["synonyms"])
    if not matches:
        return [finding("DHR-S007", "_quarto.yml", ws.config_line("chapters"))]
    if any(_has_content(doc, section, spec["helpers"]) for doc, section in matches):
        return []
    doc, section = matches[0]
    return [finding("DHR-S007", doc.file, section.line, variant="empty")]


def check_annexes(ws: Workspace) -> list[Finding]:
    annexes = layout()["annexes"]
    found: list[Finding] = []
    chapters_line = ws.config_line("appendices") if ws.config_line("appendices") > 1 else ws.config_line("chapters")

    # executive summary
    summary = annexes["executive-summary"]
    if ws.project.executive_summary is None and not ws.find_sections(summary["synonyms"]):
        found.append(finding("DHR-S002", "_quarto.yml", ws.config_line("chapters")))

    def annexed(spec: dict) -> tuple[Document, Section | None] | None:
        for doc in ws.documents:
            if not doc.appendix:
                continue
            if any(c.name in spec["helpers"] for c in doc.calls):
                return doc, None
            for doc2, section in ws.find_sections(spec["synonyms"]):
                if doc2 is doc:
                    return doc, section
        return None

    plan = annexed(annexes["action-plan"])
    if plan is None:
        found.append(finding("DHR-S003", "_quarto.yml", chapters_line))
    else:
        doc = plan[0]
        live = any(re.search(r"live\s+document", s.text, re.IGNORECASE) for s in doc.segments)
        if not live and not any(c.name in annexes["action-plan"]["helpers"] for c in doc.calls):
            found.append(finding("DHR-S017", doc.file, plan[1].line if plan[1] else 1))
    if annexed(annexes["qa-letter"]) is None:
        found.append(finding("DHR-S004", "_quarto.yml", chapters_line))
    return found


def check_title_page(ws: Workspace) -> list[Finding]:
    found: list[Finding] = []
    death = ws.review.metadata.death.label
    fields: list[tuple[str, int, str]] = []  # (file, line, text)
    for key in ("title", "subtitle", "date"):
        value = (ws.project.config.get("book") or {}).get(key)
        if isinstance(value, str):
            fields.append(("_quarto.yml", ws.config_line(key), value))
    for doc in ws.documents[:1]:  # the title page is the first chapter's front matter (index.qmd)
        for key in ("title", "subtitle"):
            value = doc.front_matter.get(key)
            if isinstance(value, str):
                line = next((i for i, text in enumerate(doc.lines, 1) if text.strip().startswith(f"{key}:")), 1)
                fields.append((doc.file, line, value))
    for file, line, text in fields:
        for match in _DEATH_YEAR.finditer(text):
            if not match.group(1):
                found.append(finding("DHR-S005", file, line, match.start() + 1, text=match.group(0), death=death))
        for match in _DAY_DATE.finditer(text):
            found.append(finding("DHR-S006", file, line, match.start() + 1, text=match.group(0)))
    return found


def _tor_pattern(tor_id: str) -> re.Pattern:
    match = re.fullmatch(r"([A-Za-z]+)\s*-?\s*(\d+)", tor_id)
    if match:
        return re.compile(rf"\b{re.escape(match[1])}\s*-?\s*{match[2]}\b", re.IGNORECASE)
    return re.compile(rf"\b{re.escape(tor_id)}\b", re.IGNORECASE)


def _agency_heading_names(ws: Workspace) -> set[str]:
    names = {normalise_heading(a) for a in layout()["agency_headings"]}
    for agency in ws.review.metadata.agencies:
        names.add(normalise_heading(agency.name))
        names.add(normalise_heading(agency.id.replace("-", " ")))
    return names


def check_analysis(ws: Workspace) -> list[Finding]:
    spec = next(s for s in layout()["sections"] if s["id"] == "analysis")
    analyses = ws.find_sections(spec["synonyms"])
    if not analyses:
        return []  # DHR-S001 reports the missing section
    found: list[Finding] = []
    agency_names = _agency_heading_names(ws)
    full_names = {normalise_heading(a.name) for a in ws.review.metadata.agencies}
    subheadings: list[tuple[Document, Section]] = []
    calls = []
    for doc, section in analyses:
        subheadings += [(doc, s) for s in doc.sections
                        if section.line < s.line <= section.end_line and s.level > section.level]
        calls += doc.calls_between(section.line, section.end_line)
    all_tors = any(c.name in spec["helpers"] and not c.args for c in calls)
    call_args = {re.sub(r"\s", "", a).lower() for c in calls for a in c.args}
    first_doc, first_section = analyses[0]
    for tor in ws.review.terms_of_reference:
        pattern = _tor_pattern(tor.id)
        title = normalise_heading(tor.title)
        addressed = all_tors or re.sub(r"\s", "", tor.id).lower() in call_args or any(
            pattern.search(s.title) or (title and title in s.norm) for _, s in subheadings)
        if not addressed:
            found.append(finding("DHR-S008", first_doc.file, first_section.line, tor=tor.id, title=tor.title))
    per_agency = [(doc, s) for doc, s in subheadings if s.level <= first_section.level + 2 and (
        s.norm in agency_names or any(s.norm.startswith(n + " ") or s.norm == n for n in full_names))]
    rule_id = "DHR-S009" if len(per_agency) >= 2 else "DHR-S019"  # several: organised by agency; one: a stray heading
    for doc, section in per_agency:
        found.append(finding(rule_id, doc.file, section.line, heading=section.title, count=len(per_agency)))
    return found


def check_independence(ws: Workspace) -> list[Finding]:
    found: list[Finding] = []
    for member in ws.review.panel:
        if is_trivial(member.independence):
            found.append(finding("DHR-S010", "data/panel.csv", ws.csv_line("panel.csv", "name", member.name),
                                 name=member.name, statement=member.independence))
    spec = next(s for s in layout()["sections"] if s["id"] == "panel")
    for doc, section in ws.find_sections(spec["synonyms"]):
        stated = _section_calls(doc, section) & set(spec["helpers"]) or any(
            re.search(r"independen", s.text, re.IGNORECASE)
            for s in doc.segments_between(section.line + 1, section.end_line))
        if not stated:
            found.append(finding("DHR-S011", doc.file, section.line))
    people = [("chair", ws.review.metadata.chair)]
    if ws.review.metadata.author is not None:
        people.append(("author", ws.review.metadata.author))
    for key, person in people:
        if is_trivial(person.independence, min_words=6):
            found.append(finding("DHR-S012", "data/review.yml", ws.yaml_line("review.yml", (key, "independence")),
                                 role=key))
    return found


def check_equality(ws: Workspace) -> list[Finding]:
    found: list[Finding] = []
    items = ws.review.protected_characteristics
    reasons = Counter(" ".join(c.reason.lower().split()) for c in items.values())
    for key, item in items.items():
        line = ws.yaml_line("protected_characteristics.yml", (key, "reason"))
        plain = " ".join(item.reason.lower().split())
        if is_generic_reason(item.reason) or _words(item.reason) < 8 or reasons[plain] > 1:
            found.append(finding("DHR-S013", "data/protected_characteristics.yml", line, label=item.label,
                                 reason=item.reason.strip()))
        if item.relevant and _words(item.analysis) < 15:
            found.append(finding("DHR-S013", "data/protected_characteristics.yml",
                                 ws.yaml_line("protected_characteristics.yml", (key, "analysis")) or line,
                                 variant="no-analysis", label=item.label))
    if items and not any(i.relevant for i in items.values()):
        found.append(finding("DHR-S020", "data/protected_characteristics.yml", 1))
    spec = next(s for s in layout()["sections"] if s["id"] == "equality")
    for doc, section in ws.find_sections(spec["synonyms"])[:1]:
        if _section_calls(doc, section) & set(spec["helpers"]):
            continue
        text = " ".join(s.text for s in doc.segments_between(section.line, section.end_line, ("prose", "heading")))
        missing = [k for k in items if k.replace("_", " ").split(" ")[0] not in text.lower()]
        if missing:
            found.append(finding("DHR-S018", doc.file, section.line, missing=", ".join(missing)))
    return found


def _mental_health_involved(ws: Workspace) -> bool:
    return any(a.type == "mental-health" and a.involved for a in ws.review.metadata.agencies)


def check_parallel_reviews(ws: Workspace) -> list[Finding]:
    found: list[Finding] = []
    reviews = ws.review.parallel_reviews
    file = "data/parallel_reviews.yml"
    mhhr = [(i, r) for i, r in enumerate(reviews) if r.type == "mhhr"]
    if _mental_health_involved(ws) and not mhhr:
        found.append(finding("DHR-S014", file, 1))
    for index, item in enumerate(reviews):
        line = ws.yaml_line("parallel_reviews.yml", (index, "rationale"))
        if item.type == "mhhr" and _mental_health_involved(ws) and _words(item.rationale) < 12:
            found.append(finding("DHR-S014", file, line, variant="no-rationale"))
        elif _words(item.rationale) < 6:
            found.append(finding("DHR-S015", file, line, label=item.label))
    return found


def check_dissemination(ws: Workspace) -> list[Finding]:
    pattern = re.compile(r"domestic\s+abuse\s+commissioner", re.IGNORECASE)
    if any(pattern.search(entry) for entry in ws.review.metadata.dissemination):
        return []
    spec = next(s for s in layout()["sections"] if s["id"] == "dissemination")
    for doc, section in ws.find_sections(spec["synonyms"]):
        if any(pattern.search(s.text) for s in doc.segments_between(section.line, section.end_line)):
            return []
    return [finding("DHR-S016", "data/review.yml", ws.yaml_line("review.yml", ("dissemination",)))]


def check_structure(ws: Workspace) -> list[Finding]:
    return [*check_sections(ws), *check_preface(ws), *check_annexes(ws), *check_title_page(ws),
            *check_analysis(ws), *check_independence(ws), *check_equality(ws), *check_parallel_reviews(ws),
            *check_dissemination(ws)]
