"""The chronology: filtering events and showing them as a table (dates to month precision when publishing)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd

from ..context import is_publish
from ..errors import InputError, Problem
from ..loading.dates import DateError, parse_date
from ..model import Review
from ._review import get_review
from .dates import event_date_label
from .markdown import Markdown, Raw, escape, join_blocks, pipe_table
from .panel import agency_name

SIGNIFICANCE = ("key", "notable", "routine")


def _as_list(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def _as_date(value: str | date | pd.Timestamp | None, name: str, end: bool = False) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        day, precision = parse_date(value)
    except DateError as exc:
        raise InputError(Problem("chapter cell", f"{name}={value!r}: {exc}", key=name, fix=exc.fix)) from None
    stamp = pd.Timestamp(day)
    if end and precision == "month":  # end="2023-06" includes the whole of June
        stamp = stamp + pd.offsets.MonthEnd(0)
    return stamp


def _resolve_agencies(review: Review, agencies: list[str]) -> list[str]:
    by_name = {a.name.lower(): a.id for a in review.metadata.agencies}
    ids, unknown = [], []
    for value in agencies:
        agency_id = value if value in review.agencies else by_name.get(value.lower())
        (ids if agency_id else unknown).append(agency_id or value)
    if unknown:
        known = ", ".join(review.agencies)
        raise InputError(Problem("data/review.yml", f"no agency {', '.join(map(repr, unknown))}", key="agencies",
                                 fix=f"use an agency id or name from review.yml: {known}"))
    return ids


def check_tor_ids(review: Review, tor_ids: list[str]) -> None:
    known = [t.id for t in review.terms_of_reference]
    unknown = [t for t in tor_ids if t not in known]
    if unknown:
        raise InputError(Problem("data/terms_of_reference.yml", f"no Term of Reference {', '.join(map(repr, unknown))}",
                                 key="id", fix=f"use one of the known ids: {', '.join(known) or '(none defined)'}"))


def filter_events(review: Review, agency: str | Iterable[str] | None = None, start=None, end=None,
                  tor: str | Iterable[str] | None = None,
                  significance: str | Iterable[str] | None = None) -> pd.DataFrame:
    """The chronology's events matching every filter given (None means no filter), in date order."""
    frame = review.chronology
    mask = pd.Series(True, index=frame.index)
    agencies = _as_list(agency)
    if agencies is not None:
        mask &= frame["agency"].isin(_resolve_agencies(review, agencies))
    start_at, end_at = _as_date(start, "start"), _as_date(end, "end", end=True)
    if start_at is not None:
        mask &= frame["date"] >= start_at
    if end_at is not None:
        mask &= frame["date"] <= end_at
    tors = _as_list(tor)
    if tors is not None:
        check_tor_ids(review, tors)
        wanted = set(tors)
        mask &= frame["tor"].map(lambda ids: bool(wanted.intersection(ids or [])))
    levels = _as_list(significance)
    if levels is not None:
        bad = [s for s in levels if s not in SIGNIFICANCE]
        if bad:
            raise InputError(Problem("chapter cell", f"significance {', '.join(map(repr, bad))} is not known",
                                     key="significance", fix=f"use {', '.join(SIGNIFICANCE)}"))
        mask &= frame["significance"].isin(levels)
    return frame[mask].sort_values("date", kind="stable")


def key_event_refs(review: Review) -> dict[int, str]:
    """Every key event's reference ("K1", "K2"…), numbered in date order over the whole chronology, so
    the analysis can cite a key event by the number it has in the key-events table."""
    frame = review.chronology
    keys = frame[frame["significance"] == "key"].sort_values("date", kind="stable")
    return {index: f"K{number}" for number, index in enumerate(keys.index, start=1)}


def key_event_anchor(ref: str) -> str:
    """The id of a key event's row in the table of key events ("K3" -> "key-k3")."""
    return f"key-{ref.lower()}"


def chronology_table(agency: str | Iterable[str] | None = None, start=None, end=None,
                     tor: str | Iterable[str] | None = None, significance: str | Iterable[str] | None = None,
                     review: Review | None = None, *, caption: str | None = None,
                     label: str | None = None) -> Markdown:
    """The chronology as a captioned, numbered pipe table (ref, date, agency, event with its source, ToR).

    Filters: ``agency`` (id or name, or a list), ``start``/``end`` (``YYYY-MM-DD`` or ``YYYY-MM``, inclusive),
    ``tor`` (ToR id or list), ``significance`` (key, notable, routine, or a list). Key events carry their
    reference (K1, K2…) so the analysis can cite them; they are in bold only when the table mixes key
    and other events (bold throughout would mark nothing). ``label`` defaults to ``tbl-key-events`` for
    the table of key events and ``tbl-chronology`` otherwise.
    """
    if isinstance(agency, Review):  # chronology_table(review) — the review passed first, like other helpers
        review, agency = agency, None
    review = get_review(review)
    events = filter_events(review, agency, start, end, tor, significance)
    if events.empty:
        return Markdown("No events in the chronology match this selection.")
    only_key = set(events["significance"]) == {"key"}
    mixed = (events["significance"] == "key").any() and not only_key
    refs = key_event_refs(review)
    publish = is_publish()
    rows = []
    for index, r in events.iterrows():
        text = escape(r["event"])
        text = f"**{text}**" if mixed and r["significance"] == "key" else text
        source = f" ({escape(r['source'])})" if r["source"] else ""
        ref = refs.get(index, "")
        anchor = Raw(f"[{ref}]{{#{key_event_anchor(ref)}}}") if ref and only_key else ref  # the analysis links here
        rows.append((anchor, event_date_label(r["date"], r["date_precision"], publish),
                     agency_name(review, r["agency"]), Raw(text + source), ", ".join(r["tor"] or [])))
    if caption is None:
        caption = "Key events in the combined chronology" if only_key else "Events in the combined chronology"
    if label is None:
        label = "tbl-key-events" if only_key else "tbl-chronology"
    table = pipe_table(["Ref", "Date", "Agency", "Event (source)", "ToR"], rows,
                       widths=[5, 12, 16, 59, 8], caption=caption, label=label)
    note = "Key events are shown in bold." if mixed else ""
    return Markdown(join_blocks([table, note]))
