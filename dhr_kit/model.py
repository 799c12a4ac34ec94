"""The typed model of one Domestic Homicide Review, as loaded from the project's ``data/`` folder.

Everything here is plain data (pydantic models and a pandas DataFrame). Loading and validation live in
:mod:`dhr_kit.loader`; the file formats are documented in the README ("Data files").
"""
from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

AgencyType = Literal[
    "police",
    "gp",  # GP / primary care
    "mental-health",
    "acute-health",
    "ambulance",
    "housing",
    "adult-social-care",
    "childrens-social-care",
    "probation",
    "domestic-abuse-service",
    "substance-use-service",
    "education",
    "voluntary-sector",
    "other",
]
AGENCY_TYPES: tuple[str, ...] = AgencyType.__args__  # type: ignore[attr-defined]

PROTECTED_CHARACTERISTICS: tuple[str, ...] = (
    "age",
    "disability",
    "gender_reassignment",
    "marriage_and_civil_partnership",
    "pregnancy_and_maternity",
    "race",
    "religion_or_belief",
    "sex",
    "sexual_orientation",
)
"""The nine protected characteristics of the Equality Act 2010, as keys of protected_characteristics.yml."""

PARALLEL_REVIEW_TYPES: dict[str, str] = {
    "criminal": "Criminal proceedings",
    "inquest": "Coroner's inquest",
    "mhhr": "Mental Health Homicide Review (NHS independent investigation)",
    "sar": "Safeguarding Adults Review",
    "cspr": "Child Safeguarding Practice Review",
    "iopc": "Independent Office for Police Conduct referral",
}

PRACTICE_TOPICS: dict[str, str] = {
    "dvds": "Domestic Violence Disclosure Scheme (Clare's Law)",
    "marac": "Multi-Agency Risk Assessment Conference (MARAC)",
    "dash": "DASH risk assessment",
    "gp-requests": "GP / primary care handling of other agencies' requests",
    "mental-health": "Mental health",
    "substance-use": "Alcohol and substance use",
}
"""Practice topics a recommendation may address (``topics`` column); ids as used in the data files."""

Scope = Literal["local", "regional", "national"]
Significance = Literal["key", "notable", "routine"]
ActionStatus = Literal["not started", "in progress", "completed", "overdue"]
TrackerStatus = Literal["open", "addressed", "not accepted"]

_MODEL = ConfigDict(extra="forbid", frozen=True)


class MonthYear(BaseModel):
    """A month precision date (the only precision a published report may give for the death)."""

    model_config = _MODEL
    year: int = Field(ge=1900, le=2100)
    month: int = Field(ge=1, le=12)

    @model_validator(mode="before")
    @classmethod
    def _from_text_or_date(cls, value: Any) -> Any:
        """Accept ``"2024-03"`` (as written in the data files) and date objects (the day is dropped)."""
        if isinstance(value, (date, datetime)):
            return {"year": value.year, "month": value.month}
        if isinstance(value, str):
            match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})(?:-\d{1,2})?\s*", value)
            if not match:
                raise ValueError(f"{value!r} is not a month (YYYY-MM)")
            if not 1 <= int(match[2]) <= 12:
                raise ValueError(f"{value!r} is not a month (YYYY-MM): the month must be 01 to 12")
            return {"year": int(match[1]), "month": int(match[2])}
        return value

    @property
    def label(self) -> str:
        """'March 2024'."""
        return f"{calendar.month_name[self.month]} {self.year}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def __str__(self) -> str:
        return self.label


class Person(BaseModel):
    """A person in the review, always by pseudonym."""

    model_config = _MODEL
    pseudonym: str
    relationship: str = ""  # e.g. "Anna's son"; for the victim and perpetrator usually empty
    age: int | None = None  # age at the time of the death, never a date of birth
    ethnicity: str = ""
    description: str = ""


class Victim(Person):
    pseudonym_chosen_by: str = ""


class Professional(BaseModel):
    """The chair or author of the review."""

    model_config = _MODEL
    name: str
    role: str
    independence: str  # the statement of independence from the agencies and services in the case
    background: str = ""


class Agency(BaseModel):
    model_config = _MODEL
    id: str
    name: str
    type: AgencyType
    involved: bool = True  # had contact with the victim or perpetrator (False: owner of recommendations only)
    imr: bool = False  # provided an Individual Management Review
    no_recommendation_reason: str = ""  # why the agency has no recommendation of its own, when it has none


class ReviewDates(BaseModel):
    model_config = _MODEL
    commissioned: MonthYear
    home_office_notified: MonthYear | None = None
    first_panel: MonthYear | None = None
    completed: MonthYear
    submitted: MonthYear | None = None
    published: MonthYear | None = None  # the month the CSP published the report (after Home Office approval)
    panel_meetings: int = 0


class Family(BaseModel):
    model_config = _MODEL
    contributed: bool = False
    involvement: str = ""  # how family and friends were involved in the review
    tribute: str = ""  # the family's own words about the victim (a quotation, never linted)
    tribute_by: str = ""


class Metadata(BaseModel):
    """``data/review.yml``."""

    model_config = _MODEL
    csp: str
    title: str
    area: str = ""
    protective_marking: str = "OFFICIAL"
    victim: Victim
    death: MonthYear
    perpetrator: Person
    others: list[Person] = []
    chair: Professional
    author: Professional | None = None  # None: the chair is also the author
    dates: ReviewDates
    agencies: list[Agency]
    family: Family = Family()
    dissemination: list[str]
    practice_topics: dict[str, str] = {}  # topic id -> stated reason where a topic has no recommendation
    qa_letter: str | None = None  # path (relative to data/) of the QA Panel letter, once received


class PanelMember(BaseModel):
    """One row of ``data/panel.csv``."""

    model_config = _MODEL
    name: str  # name or role, as the CSP publishes it
    role: str
    agency: str
    panel_role: str = "Panel member"
    independence: str


class TermOfReference(BaseModel):
    """One entry of ``data/terms_of_reference.yml``."""

    model_config = _MODEL
    id: str
    title: str
    text: str


class ProtectedCharacteristic(BaseModel):
    model_config = _MODEL
    key: str
    relevant: bool
    reason: str  # why it is (or is not) relevant, specific to this case
    analysis: str = ""  # required when relevant

    @property
    def label(self) -> str:
        return self.key.replace("_", " ").capitalize()


class ParallelReview(BaseModel):
    model_config = _MODEL
    type: str  # a key of PARALLEL_REVIEW_TYPES
    decision: str  # e.g. "Held", "Not held", "Concluded"
    rationale: str
    outcome: str = ""

    @property
    def label(self) -> str:
        return PARALLEL_REVIEW_TYPES.get(self.type, self.type)


class Recommendation(BaseModel):
    """One row of ``data/recommendations.csv``."""

    model_config = _MODEL
    id: str
    agency: str  # an agency id from review.yml
    scope: Scope
    tor: list[str] = []  # Terms of Reference ids it answers
    topics: list[str] = []  # practice topics it addresses (e.g. "marac", "dvds")
    text: str


class ChronologyEvent(BaseModel):
    """One row of the chronology (validated row by row; the Review keeps them as a DataFrame)."""

    model_config = _MODEL
    date: date
    date_precision: Literal["day", "month"] = "day"
    agency: str
    event: str
    source: str = ""  # IMR paragraph or record reference
    tor: list[str] = []
    significance: Significance = "routine"


class ActionUpdate(BaseModel):
    model_config = _MODEL
    date: date
    text: str


class Action(BaseModel):
    """One row of ``data/action_plan.csv`` (several rows may serve one recommendation)."""

    model_config = _MODEL
    recommendation: str
    action: str
    lead: str
    milestones: str
    target_date: MonthYear
    status: ActionStatus
    updates: list[ActionUpdate] = []


class TrackerItem(BaseModel):
    """One point of the QA Panel's letter and what the review did about it (``data/qa_tracker.csv``)."""

    model_config = _MODEL
    id: str
    point: str
    status: TrackerStatus = "open"
    response: str = ""
    where: str = ""  # section(s) where it was addressed


class Review(BaseModel):
    """A whole review's structured data. Build it with :func:`dhr_kit.load_review`."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    root: Path
    metadata: Metadata
    panel: list[PanelMember]
    terms_of_reference: list[TermOfReference]
    chronology: pd.DataFrame
    """Columns: date (Timestamp, first day of the month when month-only), date_precision ('day'|'month'),
    agency (id), event, source, tor (list[str]), significance ('key'|'notable'|'routine'),
    file, row (where the event was read from)."""
    protected_characteristics: dict[str, ProtectedCharacteristic]
    parallel_reviews: list[ParallelReview]
    recommendations: list[Recommendation]
    action_plan: list[Action]
    qa_tracker: list[TrackerItem] = []
    data_files: list[Path] = []  # every file read, for cache keys

    # Convenience accessors used by helpers and checks -----------------------------------------
    @property
    def agencies(self) -> dict[str, Agency]:
        return {a.id: a for a in self.metadata.agencies}

    @property
    def victim(self) -> Victim:
        return self.metadata.victim

    @property
    def perpetrator(self) -> Person:
        return self.metadata.perpetrator

    @property
    def author(self) -> Professional:
        return self.metadata.author or self.metadata.chair

    def tor(self, tor_id: str) -> TermOfReference:
        for item in self.terms_of_reference:
            if item.id == tor_id:
                return item
        known = ", ".join(t.id for t in self.terms_of_reference)
        raise KeyError(f"no Term of Reference {tor_id!r} (known: {known})")

    def recommendation(self, rec_id: str) -> Recommendation:
        for rec in self.recommendations:
            if rec.id == rec_id:
                return rec
        raise KeyError(f"no recommendation {rec_id!r}")

    def actions_for(self, rec_id: str) -> list[Action]:
        return [a for a in self.action_plan if a.recommendation == rec_id]
