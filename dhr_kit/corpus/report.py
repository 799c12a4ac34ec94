"""`dhr corpus report`: the analysis as an accessible HTML page (charts as SVG with alt text, every chart
also a table) and the same content as Markdown (``report.qmd``, which Quarto renders too)."""
from __future__ import annotations

import os
import tempfile
from html import escape
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from ..portfolio.charts import _RC, _svg  # noqa: E402
from ..portfolio.page import CSS, CSP, _table  # noqa: E402
from ..portfolio.progress import STATUTORY_MONTHS, STATUTORY_SOURCE  # noqa: E402
from ..record.themes import theme_label  # noqa: E402
from .analysis import run_analysis  # noqa: E402
from .store import connect  # noqa: E402


def bar_chart(labels: list[str], values: list[float], xlabel: str, what: str) -> tuple[str, str]:
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(8, 0.5 + 0.32 * max(1, len(labels))))
        ax.barh(labels, values, color="#1d4f91")
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        ax.spines[["top", "right"]].set_visible(False)
        svg = _svg(fig)
    top = "; ".join(f"{label}: {value:g}" for label, value in list(zip(labels, values))[:5])
    return svg, f"Bar chart of {what}. Largest — {top}."


def _write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def _markdown_table(frame: pd.DataFrame) -> str:
    head = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(str(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *rows])


def render_report(db: Path, output: Path) -> Path:
    """Write report.html, report.qmd and the SVG charts into ``output``; returns the HTML's path."""
    con = connect(db, read_only=True)
    try:
        results = run_analysis(con)
        reviews = con.execute("SELECT count(*) FROM reviews").fetchone()[0]
    finally:
        con.close()
    qa = results["qa_themes"][1]
    qa.insert(1, "label", [theme_label(t) for t in qa["theme"]])
    charts = {
        "characteristics.svg": bar_chart(list(results["characteristics"][1]["characteristic"]),
                                         list(results["characteristics"][1]["percent_of_reviews"]),
                                         "% of reviews", "the share of reviews finding each protected "
                                                         "characteristic relevant"),
        "agencies.svg": bar_chart(list(results["agencies"][1]["agency_type"]),
                                  list(results["agencies"][1]["recommendations"]), "recommendations",
                                  "recommendations per type of agency"),
        "qa-themes.svg": bar_chart(list(qa["label"]), list(qa["points"]), "QA letter points",
                                   "QA Panel letter points per theme"),
    }
    figure_after = {"characteristics": "characteristics.svg", "agencies": "agencies.svg", "qa_themes": "qa-themes.svg"}
    output.mkdir(parents=True, exist_ok=True)
    for name, (svg, _) in charts.items():
        _write(output / name, svg)
    title = "Domestic Homicide Reviews: analysis across reviews"
    intro = (f"{reviews} review records. The statutory expectation for a review is completion within "
             f"{STATUTORY_MONTHS} months ({STATUTORY_SOURCE}).")
    html_parts, md_parts = [], [f"---\ntitle: \"{title}\"\nlang: en-GB\n---\n\n{intro}\n"]
    for key, (heading, frame) in results.items():
        html_parts.append(f"<h2>{escape(heading)}</h2>")
        md_parts.append(f"## {heading}\n")
        if key in figure_after:
            name = figure_after[key]
            alt = charts[name][1]
            html_parts.append(f'<figure><img src="{name}" alt="{escape(alt)}"><figcaption>{escape(heading)}'
                              "</figcaption></figure>")
            md_parts.append(f"![{heading}]({name}){{fig-alt=\"{alt}\"}}\n")
        html_parts.append(_table(frame, heading))
        md_parts.append(_markdown_table(frame) + "\n")
    page = f"""<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>{escape(title)}</title><style>{CSS}</style></head>
<body><main><h1>{escape(title)}</h1><p>{escape(intro)}</p>
{''.join(html_parts)}
</main></body></html>
"""
    _write(output / "report.qmd", "\n".join(md_parts))
    index = output / "report.html"
    _write(index, page)
    return index
