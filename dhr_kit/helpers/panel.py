"""Who did the review: panel members and their independence, the chair/author, contributors, timescales."""
from __future__ import annotations

import re

from ..errors import InputError, Problem
from ..model import PanelMember, Professional, Review
from ._review import get_review
from .dates import months_between
from .markdown import Markdown, escape, join_blocks, pipe_table, sentence

AGENCY_TYPE_LABELS: dict[str, str] = {
    "police": "Police",
    "gp": "GP / primary care",
    "mental-health": "Mental health",
    "acute-health": "Acute health (hospital)",
    "ambulance": "Ambulance service",
    "housing": "Housing",
    "adult-social-care": "Adult social care",
    "childrens-social-care": "Children's social care",
    "probation": "Probation",
    "domestic-abuse-service": "Domestic abuse service",
    "substance-use-service": "Substance use service",
    "education": "Education",
    "voluntary-sector": "Voluntary sector",
    "other": "Other",
}
MIN_STATEMENT_CHARS = 20
# A statement that starts with one of these verbs continues the person's name ("Has no connection…").
_CONTINUING_VERBS = ("has", "had", "have", "is", "was", "holds", "held", "does", "did", "never", "worked")
_NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def number_word(n: int) -> str:
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def agency_name(review: Review, agency_id: str) -> str:
    """The agency's name from review.yml; 'Independent' stays as written."""
    agency = review.agencies.get(agency_id)
    return agency.name if agency else agency_id


def panel_table(review: Review | None = None) -> Markdown:
    """The Review Panel: name, role, agency (by name), panel role and each member's independence."""
    review = get_review(review)
    problems = panel_problems(review)
    if problems:
        raise InputError(problems)
    rows = [(_member(m), agency_name(review, m.agency), m.panel_role, m.independence) for m in review.panel]
    return Markdown(pipe_table(["Member", "Agency", "Panel role", "Independence"], rows, widths=[25, 20, 13, 42],
                               caption="The Review Panel", label="tbl-panel"))


def panel_problems(review: Review, publish: bool = False) -> list[Problem]:
    """What stops panel_table() (``dhr check`` runs the same validation)."""
    problems = []
    for number, member in enumerate(review.panel, start=2):
        if len(member.independence.strip()) < MIN_STATEMENT_CHARS:
            problems.append(Problem("data/panel.csv", f"{member.name} has no statement of independence",
                                    key="independence", line=number,
                                    fix="state the member's independence from the services in the case, e.g. "
                                        "'No involvement with the case or line management of staff involved'"))
        if member.agency != "Independent" and member.agency not in review.agencies:
            problems.append(Problem("data/panel.csv", f"agency {member.agency!r} is not in data/review.yml",
                                    key="agency", line=number,
                                    fix="use an agency id from review.yml (agencies:), or Independent"))
    return problems


_TITLE_FILLERS = {"of", "for", "the", "and", "a", "an", "in"}
SAME_TITLE_OVERLAP = 0.6


def _title_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", text.casefold()) if w not in _TITLE_FILLERS}


def same_title(name: str, role: str) -> bool:
    """True when a member's 'name' is really their job title and says what the role says
    ("Head of Public Protection (Northshire)" / "Head of Public Protection"): most of the shorter
    title's words are in the other."""
    a, b = _title_words(name), _title_words(role)
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= SAME_TITLE_OVERLAP


def _member(member: PanelMember) -> str:
    """Name and role, once: many CSPs publish panel members by role only, so the two often coincide."""
    if same_title(member.name, member.role):
        return member.name
    return f"{member.name} ({member.role})"


def _statement(person: Professional, role: str, key: str) -> str:
    text = " ".join(person.independence.split())
    if len(text) < MIN_STATEMENT_CHARS:
        raise InputError(Problem("data/review.yml", f"the {role.lower()}'s statement of independence is missing",
                                 key=f"{key}.independence",
                                 fix="state that they have no line management of, or direct involvement with, "
                                     "the services in the case, and any connection they do have"))
    first, _, rest = text.partition(" ")
    if first.lower() in _CONTINUING_VERBS:
        text = f"{person.name} {first.lower()} {rest}"
    lead = f"**{escape(person.name)}** ({escape(person.role)})."
    parts = [lead, sentence(text)]
    if person.background:
        parts.append(sentence(person.background))
    return " ".join(parts)


def independence_statement(review: Review | None = None) -> Markdown:
    """The chair's (and the author's, when another person) statement of independence."""
    review = get_review(review)
    meta = review.metadata
    blocks = [_statement(meta.chair, "Chair", "chair")]
    if meta.author is not None and meta.author.name != meta.chair.name:
        blocks.append(_statement(meta.author, "Author", "author"))
    return Markdown(join_blocks(blocks))


def agencies_table(review: Review | None = None) -> Markdown:
    """Contributors to the review: agency, type, whether it had contact in the case, and its IMR."""
    review = get_review(review)
    rows = [(a.name, AGENCY_TYPE_LABELS.get(a.type, a.type), "Yes" if a.involved else "No", "Yes" if a.imr else "No")
            for a in review.metadata.agencies]
    return Markdown(pipe_table(["Agency", "Type", "Contact in the case", "IMR"], rows, widths=[40, 26, 18, 8],
                               caption="Agencies that contributed to the review", label="tbl-agencies"))


def review_timescales(review: Review | None = None) -> Markdown:
    """When the review was commissioned, notified, first met and completed, and how often the panel met."""
    review = get_review(review)
    meta, dates = review.metadata, review.metadata.dates
    text = f"{escape(meta.csp)} commissioned this review in {dates.commissioned.label}"
    if dates.home_office_notified:
        text += f", and notified the Home Office in {dates.home_office_notified.label}"
    sentences = [text + "."]
    if dates.first_panel and dates.panel_meetings:
        times = number_word(dates.panel_meetings)
        sentences.append(f"The Review Panel first met in {dates.first_panel.label} and met {times} "
                         f"time{'s' if dates.panel_meetings != 1 else ''} in all.")
    elif dates.panel_meetings:
        sentences.append(f"The Review Panel met {number_word(dates.panel_meetings)} times.")
    months = months_between(dates.commissioned, dates.completed)
    after = f", {months} month{'s' if months != 1 else ''} after the review was commissioned" if months > 0 else ""
    sentences.append(f"The report was completed in {dates.completed.label}{after}.")
    if dates.submitted:
        sentences.append(f"It was submitted to the Home Office in {dates.submitted.label}.")
    return Markdown(" ".join(sentences))


__all__ = ["panel_table", "independence_statement", "agencies_table", "review_timescales"]
