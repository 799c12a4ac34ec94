"""Terms of Reference: the numbered list, and the evidence block that opens each ToR's analysis."""
from __future__ import annotations

from collections.abc import Iterable

from ..context import is_publish
from ..model import Review
from ._review import get_review
from .chronology import check_tor_ids, filter_events
from .dates import event_date_label
from .markdown import Markdown, callout, escape, join_blocks, pipe_table, sentence
from .panel import agency_name


def terms_of_reference(review: Review | None = None) -> Markdown:
    """The Terms of Reference as a numbered list (the id is shown when it is not simply ToR<number>)."""
    review = get_review(review)
    items = []
    for number, item in enumerate(review.terms_of_reference, start=1):
        label = escape(item.title) if item.id == f"ToR{number}" else f"{escape(item.title)} ({escape(item.id)})"
        items.append(f"{number}. **{label}.** {sentence(item.text)}")
    return Markdown("\n".join(items))


def tor_analysis(tor_id: str, review: Review | None = None,
                 significance: str | Iterable[str] | None = ("key", "notable")) -> Markdown:
    """The ToR's text in a callout, then the chronology events tagged with it (date, agency, event).

    By default only key and notable events are listed (routine contacts are counted, and are in the full
    chronology), so the evidence stays readable; ``significance=None`` lists every tagged event.
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
    shown = tagged if significance is None else filter_events(review, tor=tor_id, significance=significance)
    publish = is_publish()
    rows = [(event_date_label(r["date"], r["date_precision"], publish), agency_name(review, r["agency"]), r["event"])
            for r in shown.to_dict("records")]
    total, listed = len(tagged), len(rows)
    lead = f"The chronology holds {total} event{'s' if total != 1 else ''} relevant to {escape(tor_id)}"
    if listed == total:
        lead += ":"
    else:
        lead += (f"; the {listed} that the panel graded key or notable are listed here, and the other "
                 f"{total - listed} are in the full chronology.")
    blocks = [box, lead]
    if rows:
        blocks.append(pipe_table(["Date", "Agency", "Event"], rows, widths=[20, 24, 56]))
    return Markdown(join_blocks(blocks))
