"""Time the timeline chart (draw + save SVG/PNG) at 1,000 and 10,000 chronology events.

    python bench/charts.py        # prints both timings and their ratio (goal: ratio <= 10)
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "helpers"))

from dhr_helper_fixtures import small_data, small_review, synthetic_events  # noqa: E402

from dhr_kit.helpers import timeline_chart  # noqa: E402


def time_timeline(events: int, folder: Path, repeat: int = 3) -> tuple[float, bool]:
    data = small_data()
    data["chronology"] = synthetic_events(events)
    review = small_review(folder, data)
    best, aggregated = float("inf"), False
    for _ in range(repeat):
        start = time.perf_counter()
        chart = timeline_chart(review)
        chart.svg_bytes()
        chart.png_bytes()
        best = min(best, time.perf_counter() - start)
        aggregated = chart.aggregated
    return best, aggregated


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DHR_PROJECT"] = tmp
        time_timeline(100, Path(tmp), repeat=1)  # warm up fonts and matplotlib caches
        small, small_agg = time_timeline(1_000, Path(tmp))
        large, large_agg = time_timeline(10_000, Path(tmp))
    print(f"timeline_chart  1,000 events: {small * 1000:7.1f} ms (aggregated: {small_agg})")
    print(f"timeline_chart 10,000 events: {large * 1000:7.1f} ms (aggregated: {large_agg})")
    ratio = large / small
    print(f"ratio 10,000 / 1,000: {ratio:.2f} (goal <= 10: {'met' if ratio <= 10 else 'NOT met'})")
    return 0 if ratio <= 10 else 1


if __name__ == "__main__":
    sys.exit(main())
