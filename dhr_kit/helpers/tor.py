"""Terms of Reference: the numbered list, and the evidence block that opens each ToR's analysis."""
from __future__ import annotations

import re

from ..model import Review
from ._review import get_review
from .chronology import check_tor_ids, filter_events, key_event_anchor, key_event_refs
from .dates import month_label
from .markdown import Markdown, Raw, callout, escape, join_blocks, pipe_table, sentence
from .panel import agency_name, number_word


def terms_of_reference(review: Review | None = None) -> Markdown:
    """The Terms of Reference as a numbered list (the id is shown when it is not simply ToR<number>)."""
    review = get_review(review)
    items = []
    for number, item in enumerate(review.terms_of_reference, start=1):
        label = escape(item.title) if item.id == f"ToR{number}" else f"{escape(item.title)} ({escape(item.id)})"
        items.append(f"{number}. **{label}.** {sentence(item.text)}")
    return Markdown("\n".join(items))


def _refs_text(refs: list[str], linked: bool = False) -> str:
    if not refs:
        return "none"
    return ", ".join(f"[{r}](#{key_event_anchor(r)})" if linked else r for r in refs)


def _period(dates) -> str:
    first, last = month_label(dates.min()), month_label(dates.max())
    return first if first == last else f"{first} to {last}"


def tor_analysis(tor_id: str, review: Review | None = None, *,
                 key_events_label: str | None = "tbl-key-events") -> Markdown:
    """The evidence that opens a ToR's analysis, in a form a reader can use without re-reading the
    chronology: the ToR in a callout; how many events the chronology holds for it, from which agencies,
    over what period; a table of what each agency knew (its events, how many the panel graded key or
    notable, and the key events by their reference, K1, K2…, in the key-events table of the chronology
    chapter, ``@{key_events_label}``). Pass ``key_events_label=None`` when the report has no such table.
    """
    if isinstance(tor_id, Review):  # tor_analysis(review, "ToR1")
        tor_id, review = review, tor_id  # type: ignore[assignment]
    review = get_review(review)
    check_tor_ids(review, [tor_id])
    item = review.tor(tor_id)
    box = callout(f"**{escape(item.id)}: {escape(item.title)}.** {sentence(item.text)}", title="Term of Reference")
    tagged = filter_events(review, tor=tor_id)
    if tagged.empty:
        return Markdown(join_blocks([box, f"No chronology events are tagged with {escape(tor_id)}."]))
    refs = key_event_refs(review)
    key_refs = [refs[i] for i in tagged.index if i in refs]
    agencies = list(dict.fromkeys(tagged["agency"]))
    total = len(tagged)
    lead = (f"The combined chronology holds {number_word(total)} event{'s' if total != 1 else ''} relevant to "
            f"{escape(tor_id)}, recorded by {number_word(len(agencies))} "
            f"agenc{'ies' if len(agencies) != 1 else 'y'}, {_period(tagged['date'])}.")
    if key_refs:
        where = f" (@{key_events_label})" if key_events_label else ""
        lead += (f" The panel graded {number_word(len(key_refs))} of them key: "
                 f"{_refs_text(key_refs, bool(key_events_label))}, numbered as in the table of key events{where}.")
    rows = []
    for agency in agencies:
        own = tagged[tagged["agency"] == agency]
        graded = int(own["significance"].isin(["key", "notable"]).sum())
        rows.append((agency_name(review, agency), str(len(own)), str(graded), _period(own["date"]),
                     Raw(_refs_text([refs[i] for i in own.index if i in refs], bool(key_events_label)))))
    label = "tbl-" + re.sub(r"[^a-z0-9]+", "-", tor_id.lower()).strip("-") + "-evidence"
    table = pipe_table(["Agency", "Events", "Key or notable", "Period", "Key events"], rows,
                       widths=[30, 10, 12, 30, 18],
                       caption=f"What each agency knew: events relevant to {tor_id}", label=label)
    return Markdown(join_blocks([box, lead, table]))
