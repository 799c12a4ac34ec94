"""Load and validate a review's ``data/`` folder into a typed :class:`~dhr_kit.model.Review`.

Every problem in every file is collected first and reported together (:class:`InputError`), each with
the file, the line (or row and column, or YAML key) and the fix. File formats: the README (Data files).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .context import project_root
from .errors import InputError, Problem
from .loading import crossrefs
from .loading.context import LoadContext
from .loading.tables import (Located, load_action_plan, load_action_updates, load_chronology, load_panel,
                             load_qa_tracker, load_recommendations)
from .loading.yamlfiles import (load_metadata, load_parallel_reviews, load_protected_characteristics,
                                load_terms_of_reference)
from .model import Action, Review

CHRONOLOGY_COLUMNS = ["date", "date_precision", "agency", "event", "source", "tor", "significance", "file", "row"]


def _locate_root(path: Path | str | None) -> tuple[Path, Path]:
    """(project root, data folder) from the root, the data folder itself, or the current project."""
    path = Path(path).resolve() if path is not None else project_root()
    if (path / "data").is_dir():
        return path, path / "data"
    if path.name == "data" and path.is_dir():
        return path.parent, path
    raise InputError(Problem(str(path), "no data/ folder here",
                             fix="run in a review project (the folder holding data/), or create one with `dhr new DIR`"))


def _chronology_frame(events: list[Located]) -> pd.DataFrame:
    records = [{**loc.item.model_dump(), "file": loc.file, "row": loc.number} for loc in events]
    frame = pd.DataFrame.from_records(records, columns=CHRONOLOGY_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    frame = frame.sort_values("date", kind="stable").reset_index(drop=True)
    return frame


def _attach_updates(actions: list[Located], updates: list[Located]) -> list[Action]:
    by_rec: dict[str, list] = {}
    for loc in sorted(updates, key=lambda u: u.item.date):
        by_rec.setdefault(loc.item.recommendation, []).append(loc.item.as_update())
    return [loc.item.model_copy(update={"updates": [*loc.item.updates, *by_rec.get(loc.item.recommendation, [])]})
            for loc in actions]


def _in_reading_order(problems: list[Problem]) -> list[Problem]:
    """Grouped by file (in the order files were read), then by line."""
    first = {p.file: i for i, p in reversed(list(enumerate(problems)))}
    return sorted(problems, key=lambda p: (first[p.file], p.line or 0))


def load_review(path: Path | str | None = None) -> Review:
    """Load ``data/`` of the review at ``path`` (project root or its data folder; default: current project).

    Raises :class:`InputError` listing every problem found in the data files.
    """
    root, data = _locate_root(path)
    ctx = LoadContext(root=root, data=data)
    metadata, agency_ids = load_metadata(ctx)
    terms = load_terms_of_reference(ctx)
    panel = load_panel(ctx)
    chronology = load_chronology(ctx, agency_ids)
    characteristics = load_protected_characteristics(ctx)
    parallel = load_parallel_reviews(ctx)
    recommendations, rec_ids = load_recommendations(ctx)
    actions = load_action_plan(ctx)
    updates = load_action_updates(ctx)
    tracker = load_qa_tracker(ctx)

    if agency_ids is not None:
        crossrefs.check_agencies(panel, agency_ids, ctx.problems, allow_independent=True)
        crossrefs.check_agencies(chronology, agency_ids, ctx.problems)
        crossrefs.check_agencies(recommendations, agency_ids, ctx.problems)
    if terms:
        tor_ids = {t.id for t in terms}
        crossrefs.check_tor(chronology, tor_ids, ctx.problems)
        crossrefs.check_tor(recommendations, tor_ids, ctx.problems)
    crossrefs.check_topics(recommendations, ctx.problems)
    crossrefs.check_recommendation_ids(actions, rec_ids, ctx.problems)
    crossrefs.check_recommendation_ids(updates, rec_ids, ctx.problems)

    if ctx.problems or metadata is None:
        raise InputError(_in_reading_order(ctx.problems))
    return Review(
        root=root,
        metadata=metadata,
        panel=[loc.item for loc in panel],
        terms_of_reference=terms,
        chronology=_chronology_frame(chronology),
        protected_characteristics=characteristics,
        parallel_reviews=parallel,
        recommendations=[loc.item for loc in recommendations],
        action_plan=_attach_updates(actions, updates),
        qa_tracker=[loc.item for loc in tracker],
        data_files=sorted(ctx.files),
    )
