"""The dashboard's HTML: one self-contained page (no script, no off-machine request), charts as local SVG
files with alt text, every figure also given as a table."""
from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

import pandas as pd

from ..helpers.dates import humanise_dates
from .progress import STATUTORY_MONTHS, STATUTORY_SOURCE

CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:72rem;margin:0 auto;padding:1rem 1.5rem;color:#1a1a1a;
line-height:1.5;background:#fff}
h1{font-size:1.7rem}h2{font-size:1.3rem;margin-top:2rem;border-bottom:2px solid #1d4f91}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.9rem}
caption{text-align:left;font-weight:bold;padding:.3rem 0}
th,td{border:1px solid #999;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#e8eef7}
.flag{font-weight:bold;color:#8a1c1c}
.num{text-align:right}
.cards{display:flex;flex-wrap:wrap;gap:1rem;padding:0;list-style:none}
.cards li{border:2px solid #1d4f91;border-radius:.4rem;padding:.5rem 1rem;min-width:9rem}
.cards strong{display:block;font-size:1.6rem}
img{max-width:100%;height:auto}
a{color:#1d4f91}
a:focus,summary:focus{outline:3px solid #b35806}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.3rem}
"""
CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def _cell(value: Any, numeric: bool = False) -> str:
    """A table cell; ISO dates from the data are shown in the report's one date style ("March 2026")."""
    css = ' class="num"' if numeric else ""
    return f"<td{css}>{escape(humanise_dates(str(value)))}</td>"


def _table(frame: pd.DataFrame, caption: str, index_label: str | None = None) -> str:
    head = ([f'<th scope="col">{escape(index_label)}</th>'] if index_label else []) + \
           [f'<th scope="col">{escape(str(c).replace("_", " "))}</th>' for c in frame.columns]
    rows = []
    for key, row in frame.iterrows():
        cells = [f'<th scope="row">{escape(str(key))}</th>'] if index_label else []
        cells += [_cell(v, isinstance(v, (int, float)) and not isinstance(v, bool)) for v in row]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<table><caption>{escape(caption)}</caption><thead><tr>{''.join(head)}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _actions_table(frame: pd.DataFrame) -> str:
    head = ["Review", "Rec.", "Action", "Lead agency", "Target", "Status", "Flags", "Latest dated update"]
    rows = []
    for a in frame.itertuples():
        flags = [f for f, on in (("Overdue", a.overdue), ("Unevidenced: no dated update", a.unevidenced)) if on]
        update = f"{a.last_update}: {a.last_update_text}" if a.last_update else "None"
        rows.append("<tr>" + "".join([
            _cell(a.review), _cell(a.recommendation), _cell(a.action), _cell(a.lead_agency), _cell(a.target_date),
            _cell(a.status), f'<td class="flag">{escape("; ".join(flags))}</td>' if flags else "<td>None</td>",
            _cell(update)]) + "</tr>")
    head_html = "".join(f'<th scope="col">{h}</th>' for h in head)
    return (f"<table><caption>Every action, overdue and unevidenced first</caption><thead><tr>{head_html}</tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table>")


def _figure(src: str, alt: str, caption: str) -> str:
    return (f'<figure><img src="{escape(src)}" alt="{escape(alt)}"><figcaption>{escape(caption)}</figcaption>'
            "</figure>")


def render_page(*, title: str, as_of: date, summary: dict[str, int], actions: pd.DataFrame,
                per_review: pd.DataFrame, per_agency: pd.DataFrame, timescales: pd.DataFrame,
                charts: dict[str, tuple[str, str]], downloads: list[str], reviews: int) -> str:
    """The page's HTML; ``charts`` maps a chart's file name to (alt text, caption)."""
    cards = "".join(f"<li><strong>{summary[k]}</strong>{label}</li>" for k, label in (
        ("actions", "actions"), ("overdue", "overdue"), ("unevidenced", "unevidenced"), ("completed", "completed")))
    figure = {name: _figure(name, alt, caption) for name, (alt, caption) in charts.items()}
    links = "".join(f'<li><a href="{escape(d)}">{escape(d)}</a></li>' for d in downloads)
    over = timescales[timescales["over_expectation_by"].fillna(0) > 0] if len(timescales) else timescales
    scale = timescales.set_index("review") if len(timescales) else timescales
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>{escape(title)}</title>
<style>{CSS}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the actions</a>
<header><h1>{escape(title)}</h1>
<p>The live action plans of {reviews} Domestic Homicide Review{'s' if reviews != 1 else ''}, as of
{as_of.day} {as_of.strftime('%B %Y')}. An action is <em>overdue</em> when its plan says so or when it is not
completed by the end of its target month; it is <em>unevidenced</em> when it is under way or said to be done but
has no dated implementation update.</p></header>
<main id="main">
<h2>Summary</h2>
<ul class="cards">{cards}</ul>
<h2>Actions</h2>
{_actions_table(actions)}
<h2>Progress per review</h2>
{figure['progress-reviews.svg']}
{_table(per_review, 'Actions per review', 'Review')}
<h2>Progress per agency</h2>
{figure['progress-agencies.svg']}
{_table(per_agency, 'Actions per lead agency', 'Lead agency')}
<h2>Review timescales</h2>
<p>The statutory expectation is {STATUTORY_MONTHS} months ({escape(STATUTORY_SOURCE)}).
{len(over)} of {len(timescales)} review{'s' if len(timescales) != 1 else ''} took longer.</p>
{figure['timescales.svg']}
{_table(scale, 'Months from commissioning to completion and submission', 'Review')}
<h2>For the board's papers</h2>
<ul>{links}</ul>
</main>
<footer><p>Made with dhr-kit from the reviews' own data files; no names of people and no exact dates beyond
those the published action plans give.</p></footer>
</body>
</html>
"""
