"""Content helpers for chapter cells: each returns Markdown (or a Chart) built from the review's data.

Every helper takes ``review`` (default: the current project's review, loaded once per process) and
returns an object with ``_repr_markdown_()``; ``str(obj)`` gives the same Markdown.
"""
from __future__ import annotations

from ..model import Review
from .chronology import chronology_table
from .equality import protected_characteristics
from .figures import Chart
from .markdown import Markdown
from .panel import agencies_table, independence_statement, panel_table, review_timescales
from .parallel import parallel_reviews
from .plan import action_plan, recommendations
from .preface import preface
from .qaletter import qa_letter, qa_responses
from .sections import dissemination
from .summary import executive_summary
from .titlepage import title_page, title_page_data
from .tor import terms_of_reference, tor_analysis



def timeline_chart(review: Review | None = None, *, caption: str | None = None,
                   label: str | None = "fig-timeline") -> Chart:
    """Swimlane of contacts per agency over time: key events as diamonds, the month of death shaded."""
    from .charts import timeline_chart as draw  # matplotlib is imported only when a chart is drawn

    return draw(review, caption=caption, label=label)


def contacts_by_quarter_chart(review: Review | None = None, *, caption: str | None = None,
                              label: str | None = "fig-contacts-by-quarter") -> Chart:
    """Small multiples: contacts per quarter for each agency (key events stacked in red), same scales."""
    from .charts import contacts_by_quarter_chart as draw

    return draw(review, caption=caption, label=label)


__all__ = [
    "Markdown",
    "Chart",
    "title_page_data",
    "title_page",
    "preface",
    "panel_table",
    "independence_statement",
    "agencies_table",
    "review_timescales",
    "protected_characteristics",
    "parallel_reviews",
    "dissemination",
    "terms_of_reference",
    "tor_analysis",
    "chronology_table",
    "timeline_chart",
    "contacts_by_quarter_chart",
    "recommendations",
    "action_plan",
    "qa_letter",
    "qa_responses",
    "executive_summary",
]
