"""Timeline charts of the chronology: a swimlane of contacts per agency, and contacts per quarter.

Colour-blind-safe (Okabe-Ito colours, and shape as well as colour), sized for A4 (16 cm wide, text of
8 pt or more at print size), and with generated alt text stating what the chart shows.
"""
from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..model import Review
from ._review import get_review
from .dates import month_label
from .figures import Chart, chart_style
from .panel import agency_name

OKABE_ITO = {
    "orange": "#E69F00", "sky_blue": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000",
}
ROUTINE, NOTABLE, KEY = OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["vermillion"]
DEATH_COLOUR = "#555555"
WIDTH_IN = 16 / 2.54  # A4 text width
DENSE_LANE_EVENTS = 150  # above this many events in any lane, the timeline shows monthly counts
LABEL_WIDTH = 24  # characters per line of an agency's name on the axis


@dataclass(frozen=True)
class _Lanes:
    ids: list[str]
    names: list[str]
    counts: dict[str, int]


def _lanes(review: Review, events: pd.DataFrame) -> _Lanes:
    counts = events["agency"].value_counts().to_dict()
    ordered = [a.id for a in review.metadata.agencies if a.id in counts]
    ordered += sorted(set(counts) - set(ordered))
    return _Lanes(ordered, [agency_name(review, a) for a in ordered], {a: int(counts[a]) for a in ordered})


def _death_span(review: Review) -> tuple[pd.Timestamp, pd.Timestamp]:
    start = pd.Timestamp(review.metadata.death.first_day)
    return start, start + pd.offsets.MonthEnd(0) + pd.Timedelta(days=1)


def _empty_chart(name: str, caption: str, label: str | None) -> Chart:
    with chart_style():
        fig = Figure(figsize=(WIDTH_IN, 1.2))
        ax = fig.add_subplot()
        ax.axis("off")
        ax.text(0.5, 0.5, "The chronology has no events yet.", ha="center", va="center")
    return Chart(fig, name, caption, "The chronology has no events yet, so the chart is empty.", label)


def _busiest(lanes: _Lanes) -> tuple[str, int]:
    top = max(lanes.ids, key=lambda a: (lanes.counts[a], -lanes.ids.index(a)))
    return lanes.names[lanes.ids.index(top)], lanes.counts[top]


def _agencies_phrase(lanes: _Lanes) -> str:
    count = len(lanes.ids)
    text = f"{count} agenc{'ies' if count != 1 else 'y'}"
    if count <= 6:
        text += " (" + ", ".join(lanes.names) + ")"
    return text


def _period(events: pd.DataFrame) -> str:
    return f"{month_label(events['date'].min())} to {month_label(events['date'].max())}"


def timeline_alt(review: Review, events: pd.DataFrame, lanes: _Lanes, aggregated_by: str | None) -> str:
    victim = review.victim.pseudonym
    busiest, top = _busiest(lanes)
    keys = int((events["significance"] == "key").sum())
    parts = [
        f"Timeline of {len(events)} contacts recorded in the chronology from {_period(events)}, one row for each "
        f"of {_agencies_phrase(lanes)}.",
        f"{busiest} had the most contacts ({top}).",
        (f"The chronology has {_plural(keys, 'key event')}." if aggregated_by else
         f"{_plural(keys, 'key event')} {'are marked with red diamonds' if keys != 1 else 'is marked with a red diamond'}."),
        f"A shaded vertical line marks the month of {victim}'s death, {review.metadata.death.label}.",
    ]
    if aggregated_by:
        parts.insert(1, f"Because there are many events, each row shows the number of contacts per {aggregated_by} "
                        f"as circles of matching size, and each {aggregated_by} with a key event as a diamond.")
    return " ".join(parts)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _wrap(name: str) -> str:
    return "\n".join(textwrap.wrap(name, LABEL_WIDTH)) or name


def _style_time_axis(ax) -> None:
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


def _draw_death(ax, review: Review, label: bool) -> None:
    start, end = _death_span(review)
    ax.axvspan(start, end, color=DEATH_COLOUR, alpha=0.35, lw=1.2, zorder=1)
    if label:
        ax.annotate(f"Month of {review.victim.pseudonym}'s death", xy=(end, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(0, 4), textcoords="offset points", ha="right", va="bottom", fontsize=9,
                    color="#222222")


def _draw_events(ax, events: pd.DataFrame, lane_y: dict[str, float]) -> None:
    styles = {"routine": ("o", ROUTINE, 18, 0.7), "notable": ("s", NOTABLE, 22, 0.9), "key": ("D", KEY, 48, 1.0)}
    for level, (marker, colour, size, alpha) in styles.items():
        subset = events[events["significance"] == level]
        if subset.empty:
            continue
        ax.scatter(subset["date"], subset["agency"].map(lane_y), marker=marker, s=size, color=colour, alpha=alpha,
                   edgecolors="black" if level == "key" else "none", linewidths=0.6, zorder=3 if level == "key" else 2)


BINS = (("M", "month"), ("Q", "quarter"), ("Y", "year"))
MAX_BINS = 80  # bins across the axis before a coarser bin is used
AXES_WIDTH_PT = (WIDTH_IN - 1.9) * 72  # the plotting area beside the agency names


def _bin(events: pd.DataFrame) -> tuple[str, str]:
    """The finest of month/quarter/year that gives at most MAX_BINS bins over the chronology's period."""
    for freq, name in BINS:
        if len(pd.period_range(events["date"].min(), events["date"].max(), freq=freq)) <= MAX_BINS:
            return freq, name
    return BINS[-1]


def _binned(events: pd.DataFrame, freq: str) -> pd.DataFrame:
    periods = events["date"].dt.to_period(freq)
    return events.assign(period=periods).groupby(["agency", "period"]).agg(
        count=("event", "size"), key=("significance", lambda s: bool((s == "key").any()))).reset_index()


def _draw_binned(ax, events: pd.DataFrame, lane_y: dict[str, float], freq: str, unit: str) -> list:
    """Counts per agency and period as circles (area ∝ count, never wider than a period); key periods as diamonds."""
    binned = _binned(events, freq)
    starts, ends = binned["period"].dt.start_time, binned["period"].dt.end_time
    mid = starts + (ends - starts) / 2
    top = int(binned["count"].max())
    periods = len(pd.period_range(events["date"].min(), events["date"].max(), freq=freq)) + 2
    widest = float(np.clip(0.9 * AXES_WIDTH_PT / periods, 3.0, 14.0))  # points

    def size(count):
        return (np.maximum(widest * np.sqrt(np.asarray(count) / max(top, 1)), 2.0)) ** 2

    ax.scatter(mid, binned["agency"].map(lane_y), s=size(binned["count"]), color=ROUTINE, alpha=0.8,
               edgecolors="none", zorder=2)
    keys = binned[binned["key"]]
    ax.scatter(mid[keys.index], keys["agency"].map(lane_y) + 0.32, marker="D", s=min(0.75 * widest, 5.5) ** 2, color=KEY,
               edgecolors="black", linewidths=0.5, zorder=3)
    examples = sorted({1, max(1, round(top / 4)), top})
    handles = [Line2D([], [], marker="o", ls="", color=ROUTINE, alpha=0.8, markersize=math.sqrt(float(size(n))),
                      label=f"{n} contact{'s' if n != 1 else ''} a {unit}") for n in examples]
    return handles + [Line2D([], [], marker="D", ls="", color=KEY, markeredgecolor="black", markersize=5,
                             label=f"A {unit} with a key event")]


def timeline_chart(review: Review | None = None, *, caption: str | None = None,
                   label: str | None = "fig-timeline") -> Chart:
    """Swimlane of contacts per agency over time: key events as diamonds, the month of death shaded."""
    review = get_review(review)
    events = review.chronology
    caption = caption or "Agencies' contacts over time"
    if events.empty:
        return _empty_chart("timeline", caption, label)
    lanes = _lanes(review, events)
    aggregated = max(lanes.counts.values()) > DENSE_LANE_EVENTS
    freq, unit = _bin(events)
    lane_y = {agency: len(lanes.ids) - 1 - i for i, agency in enumerate(lanes.ids)}
    with chart_style():
        fig = Figure(figsize=(WIDTH_IN, 1.3 + 0.36 * len(lanes.ids)), layout="constrained")
        ax = fig.add_subplot()
        for y in lane_y.values():
            ax.axhline(y, color="#dddddd", lw=0.6, zorder=0)
        if aggregated:
            handles = _draw_binned(ax, events, lane_y, freq, unit)
        else:
            _draw_events(ax, events, lane_y)
            handles = [Line2D([], [], marker=m, ls="", color=c, markeredgecolor=e, markersize=s, label=t)
                       for m, c, e, s, t in (("o", ROUTINE, ROUTINE, 5, "Contact"), ("s", NOTABLE, NOTABLE, 5,
                                             "Notable contact"), ("D", KEY, "black", 6, "Key event"))]
        _draw_death(ax, review, label=True)
        handles.append(Patch(color=DEATH_COLOUR, alpha=0.35, label=f"Month of {review.victim.pseudonym}'s death"))
        start, end = _death_span(review)
        ax.set_xlim(min(events["date"].min(), start) - pd.Timedelta(days=30),
                    max(events["date"].max(), end) + pd.Timedelta(days=30))
        ax.set_ylim(-0.6, len(lanes.ids) - 0.4)
        ax.set_yticks(list(lane_y.values()), [_wrap(n) for n in lanes.names])
        ax.tick_params(axis="y", length=0)
        _style_time_axis(ax)
        fig.legend(handles=handles, loc="outside lower center", ncol=4 if len(handles) <= 4 else 3, frameon=False)
    alt = timeline_alt(review, events, lanes, unit if aggregated else None)
    return Chart(fig, "timeline", caption, alt, label, aggregated=aggregated, aggregated_by=unit if aggregated else None)


def _quarter_counts(events: pd.DataFrame) -> tuple[pd.PeriodIndex, dict[str, tuple[np.ndarray, np.ndarray]]]:
    quarters = events["date"].dt.to_period("Q")
    span = pd.period_range(quarters.min(), quarters.max(), freq="Q")
    table = events.assign(quarter=quarters, is_key=events["significance"] == "key")
    grouped = table.groupby(["agency", "quarter"])["is_key"].agg(["size", "sum"])
    result = {}
    for agency in table["agency"].unique():
        rows = grouped.loc[agency].reindex(span, fill_value=0)
        result[agency] = (rows["size"].to_numpy() - rows["sum"].to_numpy(), rows["sum"].to_numpy())
    return span, result


def quarter_alt(review: Review, events: pd.DataFrame, lanes: _Lanes, span: pd.PeriodIndex,
                counts: dict[str, tuple[np.ndarray, np.ndarray]]) -> str:
    busiest, top = _busiest(lanes)
    busiest_id = lanes.ids[lanes.names.index(busiest)]
    totals = counts[busiest_id][0] + counts[busiest_id][1]
    peak = span[int(np.argmax(totals))]
    keys = int((events["significance"] == "key").sum())
    first, last = span[0].start_time, span[-1].end_time
    return (f"Bar charts, one for each of {_agencies_phrase(lanes)}, of the {len(events)} contacts recorded in the "
            f"chronology per quarter from {month_label(first)} to {month_label(last)}. "
            f"{busiest} had the most contacts ({top}), and its busiest quarter was "
            f"{month_label(peak.start_time)} to {month_label(peak.end_time)} ({_plural(int(totals.max()), 'contact')}). "
            f"The {keys} key event{'s are' if keys != 1 else ' is'} shown in red at the top of the bars. "
            f"A dashed line marks the month of {review.victim.pseudonym}'s death, {review.metadata.death.label}.")


def contacts_by_quarter_chart(review: Review | None = None, *, caption: str | None = None,
                              label: str | None = "fig-contacts-by-quarter") -> Chart:
    """Small multiples: contacts per quarter for each agency (key events stacked in red), same scales."""
    review = get_review(review)
    events = review.chronology
    caption = caption or "Contacts per quarter by agency"
    if events.empty:
        return _empty_chart("contacts-by-quarter", caption, label)
    lanes = _lanes(review, events)
    span, counts = _quarter_counts(events)
    columns = 1 if len(lanes.ids) <= 3 else 2
    rows = math.ceil(len(lanes.ids) / columns)
    starts = span.start_time
    width = 0.8 * 91
    death_start, death_end = _death_span(review)
    death_mid = death_start + (death_end - death_start) / 2
    with chart_style():
        fig = Figure(figsize=(WIDTH_IN, 0.8 + 1.15 * rows), layout="constrained")
        axes = fig.subplots(rows, columns, sharex=True, sharey=True, squeeze=False).ravel()
        for ax, agency, name in zip(axes, lanes.ids, lanes.names):
            other, key = counts[agency]
            ax.bar(starts, other, width=width, align="edge", color=ROUTINE)
            ax.bar(starts, key, width=width, bottom=other, align="edge", color=KEY)
            ax.axvline(death_mid, color="black", ls="--", lw=0.9)
            ax.set_title("\n".join(textwrap.wrap(name, 36)), loc="left", pad=2)  # two lines fit half the width
            ax.yaxis.get_major_locator().set_params(integer=True, nbins=3)
            ax.grid(axis="y", color="#e5e5e5", lw=0.6)
            ax.set_axisbelow(True)
            _style_time_axis(ax)
            ax.spines["left"].set_visible(True)
        for index in range(len(lanes.ids), len(axes)):
            axes[index].set_visible(False)
            axes[index - columns].xaxis.set_tick_params(labelbottom=True)  # the panel above shows the dates
        handles = [Patch(color=ROUTINE, label="Contacts"), Patch(color=KEY, label="Key events"),
                   Line2D([], [], color="black", ls="--", lw=0.9, label=f"Month of {review.victim.pseudonym}'s death")]
        fig.legend(handles=handles, loc="outside lower center", ncol=3, frameon=False)
        fig.supylabel("Contacts per quarter", fontsize=9.5)
    alt = quarter_alt(review, events, lanes, span, counts)
    return Chart(fig, "contacts-by-quarter", caption, alt, label)
