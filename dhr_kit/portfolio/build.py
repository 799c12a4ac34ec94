"""Build the portfolio: records → tables → charts → ``index.html`` + ``actions.csv`` + ``portfolio.xlsx``."""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from ..denylist import DenyList
from .actions import actions_frame, summary
from .charts import progress_chart, timescale_chart
from .page import render_page
from .progress import per_group, progress_over_time, timescales
from .sources import PortfolioSources, load_record

DEFAULT_OUTPUT = Path("_portfolio") / "index.html"


@dataclass(frozen=True)
class PortfolioResult:
    index: Path
    summary: dict[str, int]
    actions: pd.DataFrame


def _write(path: Path, data: str | bytes) -> None:
    """Write through a temporary file, so a failed run leaves the previous output whole."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    os.replace(tmp, path)


def build_portfolio(sources: PortfolioSources, output: Path = DEFAULT_OUTPUT, as_of: date | None = None,
                    names: DenyList | None = None) -> PortfolioResult:
    """Every review read and checked first; only then are the outputs written."""
    as_of = as_of or date.today()
    records = [load_record(path, names) for path in sources.paths]
    actions = actions_frame(records, as_of)
    by_review, by_agency = per_group(actions, "review"), per_group(actions, "lead_agency")
    scales = timescales(records)
    charts = {"progress-reviews.svg": progress_chart(progress_over_time(actions, "review", as_of), "review"),
              "progress-agencies.svg": progress_chart(progress_over_time(actions, "lead_agency", as_of), "agency"),
              "timescales.svg": timescale_chart(scales)}
    captions = {"progress-reviews.svg": "Share of each review's actions completed, by month",
                "progress-agencies.svg": "Share of each lead agency's actions completed, by month (eight "
                                         "agencies with most actions; every agency in the table below)",
                "timescales.svg": "Months from commissioning to completion, against the statutory expectation"}
    index = output if output.suffix.lower() in (".html", ".htm") else output / "index.html"
    folder = index.parent
    folder.mkdir(parents=True, exist_ok=True)
    csv = actions.to_csv(index=False, lineterminator="\n")
    _write(folder / "actions.csv", csv)
    xlsx = folder / "portfolio.xlsx"
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".xlsx", delete=False) as tmp:
        with pd.ExcelWriter(tmp.name, engine="openpyxl") as writer:
            actions.to_excel(writer, sheet_name="Actions", index=False)
            by_review.to_excel(writer, sheet_name="Per review", index_label="review")
            by_agency.to_excel(writer, sheet_name="Per agency", index_label="lead agency")
            scales.to_excel(writer, sheet_name="Timescales", index=False)
    os.replace(tmp.name, xlsx)
    for name, (svg, _) in charts.items():
        _write(folder / name, svg)
    page = render_page(title=sources.title, as_of=as_of, summary=summary(actions), actions=actions,
                       per_review=by_review, per_agency=by_agency, timescales=scales,
                       charts={n: (alt, captions[n]) for n, (_, alt) in charts.items()},
                       downloads=["actions.csv", "portfolio.xlsx"], reviews=len(records))
    _write(index, page)
    return PortfolioResult(index, summary(actions), actions)
