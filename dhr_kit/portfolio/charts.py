"""The dashboard's charts: matplotlib SVG with text kept as text, each with its alt text from the same data."""
from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from .progress import STATUTORY_MONTHS  # noqa: E402

CHART_RC = {"svg.fonttype": "none", "svg.hashsalt": "dhr-portfolio", "font.size": 10,
            "font.family": "DejaVu Sans"}
_COLOURS = ["#1d4f91", "#b35806", "#2d7d46", "#7b3294", "#8c510a", "#01665e", "#c51b7d", "#4d4d4d"]
_STYLES = ["-", "--", "-.", ":"]


def svg_text(fig) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "dhr-kit"}, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def progress_chart(table: pd.DataFrame, what: str, limit: int = 8) -> tuple[str, str]:
    """(svg, alt text): % of actions completed by month, one line per review or agency (the ``limit`` largest)."""
    columns = list(table.columns)[:limit]
    with plt.rc_context(CHART_RC):
        fig, ax = plt.subplots(figsize=(8, 3.6))
        for i, column in enumerate(columns):
            ax.plot(range(len(table)), table[column], label=column, color=_COLOURS[i % len(_COLOURS)],
                    linestyle=_STYLES[i % len(_STYLES)], linewidth=2)
        step = max(1, len(table) // 8)
        ax.set_xticks(range(0, len(table), step), list(table.index)[::step], rotation=30, ha="right")
        ax.set_ylim(0, 100)
        ax.set_ylabel("% of actions completed")
        ax.grid(axis="y", color="#dddddd")
        ax.spines[["top", "right"]].set_visible(False)
        if columns:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
        svg = svg_text(fig)
    last = table.iloc[-1] if len(table) else pd.Series(dtype=float)
    ends = "; ".join(f"{c}: {int(last[c])}%" for c in columns) if len(table) else "no completed action yet"
    period = f"from {table.index[0]} to {table.index[-1]}" if len(table) else ""
    alt = (f"Line chart of the share of actions completed per {what}, by month {period}. "
           f"Latest figures — {ends}.")
    return svg, alt


def timescale_chart(table: pd.DataFrame) -> tuple[str, str]:
    """(svg, alt text): months from commissioning to completion per review, with the six-month expectation."""
    data = table.dropna(subset=["months_to_completion"])
    with plt.rc_context(CHART_RC):
        fig, ax = plt.subplots(figsize=(8, 0.6 + 0.5 * max(1, len(data))))
        ax.barh(list(data["review"]), list(data["months_to_completion"]), color="#1d4f91")
        ax.axvline(STATUTORY_MONTHS, color="#b35806", linestyle="--", linewidth=2)
        ax.text(STATUTORY_MONTHS, -0.7, f" expected: {STATUTORY_MONTHS} months", color="#8c3a00", va="top")
        for y, value in enumerate(data["months_to_completion"]):
            ax.text(value, y, f" {int(value)}", va="center")
        ax.set_xlabel("months from commissioning to completion")
        ax.invert_yaxis()
        ax.spines[["top", "right"]].set_visible(False)
        svg = svg_text(fig)
    parts = "; ".join(f"{r.review}: {int(r.months_to_completion)} months" for r in data.itertuples())
    alt = (f"Bar chart of the months each review took from commissioning to completion, against the "
           f"{STATUTORY_MONTHS}-month statutory expectation. {parts}.")
    return svg, alt
