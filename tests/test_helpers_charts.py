"""Timeline charts: files, Markdown, alt text, aggregation of dense chronologies, stable output."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "helpers"))
from dhr_helper_fixtures import small_data, small_review, synthetic_events, helper_env, review  # noqa: E402,F401

from dhr_kit.helpers import contacts_by_quarter_chart, timeline_chart  # noqa: E402
from dhr_kit.helpers.charts import OKABE_ITO  # noqa: E402




@pytest.fixture(scope="module")
def dense_review(tmp_path_factory):
    data = small_data()
    data["chronology"] = synthetic_events(10_000)
    return small_review(tmp_path_factory.mktemp("dense"), data)


def test_timeline_alt_text(review) -> None:
    assert timeline_chart(review).alt == (
        "Timeline of 4 contacts recorded in the chronology from February 2021 to August 2023, one row for each of "
        "3 agencies (Northshire Police, Riverside Medical Practice, Northshire Partnership NHS Foundation Trust). "
        "Northshire Police had the most contacts (2). 1 key event is marked with a red diamond. "
        "A shaded vertical line marks the month of Anna's death, March 2024.")


def test_quarter_alt_text(review) -> None:
    assert contacts_by_quarter_chart(review).alt == (
        "Bar charts, one for each of 3 agencies (Northshire Police, Riverside Medical Practice, Northshire "
        "Partnership NHS Foundation Trust), of the 4 contacts recorded in the chronology per quarter from "
        "January 2021 to September 2023. Northshire Police had the most contacts (2), and its busiest quarter was "
        "January 2021 to March 2021 (1 contact). The 1 key event is shown in red at the top of the bars. "
        "A dashed line marks the month of Anna's death, March 2024.")


def test_markdown_points_to_svg_relative_to_the_chapter(review, tmp_path, monkeypatch) -> None:
    chart = timeline_chart(review)
    text = chart._repr_markdown_()
    match = re.fullmatch(r'!\[Agencies\' contacts over time\]\((\.dhr-cache/figures/timeline-[0-9a-f]{10}\.svg)\)'
                         r'\{#fig-timeline fig-alt="(.+)"\}\n', text)
    assert match and match[2] == chart.alt
    assert (tmp_path / match[1]).is_file() and (tmp_path / match[1]).with_suffix(".png").is_file()
    monkeypatch.setenv("DHR_CHAPTER_DIR", str(tmp_path / "chapters"))
    assert "](../.dhr-cache/figures/timeline-" in str(timeline_chart(review))
    monkeypatch.delenv("DHR_CHAPTER_DIR")
    monkeypatch.setenv("QUARTO_DOCUMENT_PATH", str(tmp_path / "chapters" / "analysis.qmd"))
    assert "](../.dhr-cache/figures/timeline-" in str(timeline_chart(review))


def test_svg_keeps_text_searchable_has_no_timestamp_and_is_stable(review) -> None:
    first, second = timeline_chart(review), timeline_chart(review)
    svg = first.path.read_text(encoding="utf-8")
    assert "Month of Anna's death" in svg and "Northshire Police" in svg
    assert "<dc:date>" not in svg
    assert first.path == second.path  # same data, same file (content hash)


def test_palette_is_okabe_ito(review) -> None:
    svg = timeline_chart(review).path.read_text(encoding="utf-8").lower()
    assert OKABE_ITO["vermillion"].lower() in svg and OKABE_ITO["blue"].lower() in svg


def test_fonts_are_at_least_8pt(review) -> None:
    chart = contacts_by_quarter_chart(review)
    chart.svg_bytes()
    sizes = [t.get_fontsize() for t in chart.figure.findobj(lambda a: hasattr(a, "get_fontsize"))
             if getattr(t, "get_text", lambda: "")()]
    assert sizes and min(sizes) >= 8
    assert abs(chart.figure.get_figwidth() * 2.54 - 16) < 0.1


def test_small_chronology_is_not_aggregated(review) -> None:
    assert timeline_chart(review).aggregated is False


def test_ten_thousand_events_are_aggregated(dense_review) -> None:
    chart = timeline_chart(dense_review)
    assert chart.aggregated and chart.aggregated_by == "month"
    markers = sum(len(c.get_offsets()) for c in chart.figure.axes[0].collections)
    assert markers <= 2 * 3 * 37  # at most one circle and one diamond per agency per month
    assert "Timeline of 10000 contacts" in chart.alt
    assert "number of contacts per month" in chart.alt
    assert "Northshire Police had the most contacts" in chart.alt
    quarter = contacts_by_quarter_chart(dense_review)
    assert "10000 contacts" in quarter.alt
    assert quarter.path.is_file()


def test_long_period_aggregates_by_quarter(tmp_path) -> None:
    data = small_data()
    events = synthetic_events(2_000)
    for n, event in enumerate(events):  # one event every other day: 11 years, too many months to show
        event["date"] = pd.Timestamp("2010-01-01") + pd.Timedelta(days=2 * n)
    data["chronology"] = events
    chart = timeline_chart(small_review(tmp_path, data))
    assert chart.aggregated_by == "quarter"


def test_empty_chronology(tmp_path) -> None:
    data = small_data()
    data["chronology"] = []
    chart = timeline_chart(small_review(tmp_path, data))
    assert chart.alt == "The chronology has no events yet, so the chart is empty."
    assert chart.path.is_file()
