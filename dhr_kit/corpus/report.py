"""`dhr corpus report`: the analysis written as a one-chapter Quarto book (``_quarto.yml``, ``index.qmd``, SVG
charts with alt text, every chart also a table) and rendered to HTML by dhr-kit's engine (embedded by
default; Quarto renders the same folder). The publication rendering: no draft banner, no review QA gates
(records were checked on the way in, and the report holds only counts)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from ..portfolio.charts import CHART_RC, svg_text  # noqa: E402
from ..portfolio.progress import STATUTORY_MONTHS, STATUTORY_SOURCE  # noqa: E402
from ..record.themes import theme_label  # noqa: E402
from .analysis import run_analysis  # noqa: E402
from .store import connect  # noqa: E402


def bar_chart(labels: list[str], values: list[float], xlabel: str, what: str) -> tuple[str, str]:
    with plt.rc_context(CHART_RC):
        fig, ax = plt.subplots(figsize=(8, 0.5 + 0.32 * max(1, len(labels))))
        ax.barh(labels, values, color="#1d4f91")
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        ax.spines[["top", "right"]].set_visible(False)
        svg = svg_text(fig)
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


QUARTO_YML = """# Written by `dhr corpus report`: the cross-review analysis as a Quarto book (the embedded engine or
# Quarto renders it; dhr-kit rewrites this folder on every report).
project:
  type: book
  output-dir: _book
book:
  title: "{title}"
  chapters:
    - index.qmd
lang: en-GB
"""
TITLE = "Domestic Homicide Reviews: analysis across reviews"


def write_report_source(db: Path, output: Path) -> Path:
    """Query the corpus and write the report's Quarto source (``_quarto.yml``, ``index.qmd``, SVG charts)."""
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
    parts = ["# Findings across reviews\n", f"{reviews} review records. The statutory expectation for a review is completion within "
             f"{STATUTORY_MONTHS} months ({STATUTORY_SOURCE}).\n"]
    for key, (heading, frame) in results.items():
        parts.append(f"## {heading}\n")
        if key in figure_after:
            name = figure_after[key]
            alt = charts[name][1].replace('"', "'")
            parts.append(f'![{heading}]({name}){{fig-alt="{alt}"}}\n')
        parts.append(_markdown_table(frame) + f"\n\n: {heading}\n")
    _write(output / "_quarto.yml", QUARTO_YML.format(title=TITLE))
    _write(output / "index.qmd", "\n".join(parts))
    return output / "index.qmd"


def render_report(db: Path, output: Path, engine: str = "embedded") -> Path:
    """Write the report's source into ``output`` and render it to HTML; returns ``output/_book/index.html``."""
    from ..render import render

    write_report_source(db, output)
    result = render(output, to="html", publish=True, gates=(), engine=engine, quiet=True)
    return result.output_dir / "index.html"
