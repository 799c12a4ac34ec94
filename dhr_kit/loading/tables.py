"""The tabular data files: panel, chronology, recommendations, action plan and updates, QA tracker."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel

from ..errors import Problem
from ..model import (Action, ActionUpdate, ChronologyEvent, PanelMember, Recommendation, TrackerItem)
from .context import LoadContext
from .csvio import Row, Table, read_table
from .dates import DateError, parse_date
from .validation import validate

LIST_COLUMNS = ("tor", "topics")
ENUM_COLUMNS = ("scope", "status", "significance")


@dataclass
class Located:
    """A validated item and the place it came from (for problems found later, e.g. cross-references)."""

    item: Any
    file: str
    line: int
    number: int
    row_key: str = ""

    def problem(self, column: str, message: str, fix: str) -> Problem:
        return Problem(self.file, message, fix=fix, line=self.line,
                       key=f"{self.row_key or f'row {self.number}'} / {column}")


def _cells(values: dict[str, Any]) -> dict[str, Any]:
    """Empty cells are left out (so defaults apply and required ones are reported); lists split on ';'."""
    data: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip()
            if not value:
                continue
            if name in LIST_COLUMNS:
                value = [part.strip() for part in value.split(";") if part.strip()]
            elif name in ENUM_COLUMNS:
                value = value.lower()
        data[name] = value
    return data


def _read_date(ctx: LoadContext, table: Table, row: Row, data: dict[str, Any], model: type[BaseModel]) -> bool:
    """Replace the ``date`` cell by a date (and its precision); False, with a problem, when unreadable."""
    try:
        data["date"], precision = parse_date(data["date"])
    except DateError as exc:
        ctx.problems.append(Problem(table.file, str(exc), fix=exc.fix, line=row.line, key=f"{row.key} / date"))
        data["date"] = date(1900, 1, 1)  # stand-in, so the row's other cells are still checked
        return False
    if issubclass(model, ChronologyEvent):
        data["date_precision"] = precision
    return True


def _rows(ctx: LoadContext, table: Table, model: type[BaseModel],
          extra: dict[str, Any] | None = None) -> Iterable[tuple[Row, Any]]:
    """Validate each row as ``model``; yields (row, item), item None when the row has a problem."""
    for row in table.rows:
        data = {**(extra or {}), **_cells(row.values)}
        date_ok = "date" not in data or not issubclass(model, (ChronologyEvent, ActionUpdate)) or \
            _read_date(ctx, table, row, data, model)

        def locate(loc: tuple, row: Row = row) -> tuple[int | None, str | None]:
            return row.line, f"{row.key} / {loc[0]}" if loc else row.key

        item = validate(model, data, ctx.problems, table.file, "csv", locate)
        yield row, (item if date_ok else None)


def _located(table: Table, row: Row, item: Any) -> Located:
    return Located(item, table.file, row.line, row.number, row.key)


def _table(ctx: LoadContext, name: str, required: Sequence[str], optional: Sequence[str] = (),
           must_exist: bool = True) -> Table | None:
    path = ctx.existing(name, required=must_exist, what=f"the header row {','.join([*required, *optional])}")
    if path is None:
        return None
    return read_table(path, ctx.root, ctx.problems, required=required, optional=optional)


def load_panel(ctx: LoadContext) -> list[Located]:
    table = _table(ctx, "panel.csv", ("name", "role", "agency", "independence"), ("panel_role",))
    if table is None:
        return []
    return [_located(table, row, item) for row, item in _rows(ctx, table, PanelMember) if item]


CHRONOLOGY_COLUMNS = ("date", "agency", "event")
CHRONOLOGY_OPTIONAL = ("source", "tor", "significance")


def load_chronology(ctx: LoadContext, agency_ids: set[str] | None) -> list[Located]:
    """data/chronology.csv, or one file per agency in data/chronology/ (agency = file name if no column)."""
    single = ctx.data / "chronology.csv"
    folder = ctx.data / "chronology"
    parts = sorted(p for p in folder.glob("*") if p.suffix.lower() in {".csv", ".xlsx"}
                   and not p.name.startswith(("~$", "."))) if folder.is_dir() else []
    if single.is_file() and parts:
        ctx.problems.append(Problem(ctx.rel(single), "there is both data/chronology.csv and data/chronology/",
                                    fix="keep one: either the single file, or one file per agency in the folder"))
    if not single.is_file() and not parts:
        ctx.problems.append(Problem(ctx.rel(single), "there is no chronology",
                                    fix="create data/chronology.csv (date,agency,event,source,tor,significance) "
                                        "or one file per agency in data/chronology/"))
        return []
    events: list[Located] = []
    for path in ([single] if single.is_file() else []) + parts:
        if not ctx.readable(path):
            continue
        per_agency = path.parent == folder
        table = read_table(path, ctx.root, ctx.problems,
                           required=CHRONOLOGY_COLUMNS if not per_agency else ("date", "event"),
                           optional=CHRONOLOGY_OPTIONAL if not per_agency else ("agency", *CHRONOLOGY_OPTIONAL))
        if table is None:
            continue
        extra = None
        if per_agency:
            extra = {"agency": path.stem}
            if "agency" not in table.columns and agency_ids is not None and path.stem not in agency_ids:
                ctx.problems.append(Problem(table.file, f"the file name '{path.stem}' is not an agency id",
                                            fix=f"name the file after an agency id in data/review.yml "
                                                f"({', '.join(sorted(agency_ids))}), or add an agency column"))
                continue
        events += [_located(table, row, item) for row, item in _rows(ctx, table, ChronologyEvent, extra=extra)
                   if item]
    return events


def load_recommendations(ctx: LoadContext) -> tuple[list[Located], set[str]]:
    """The valid recommendations, and every id written (so one bad row does not make its id unknown)."""
    table = _table(ctx, "recommendations.csv", ("id", "agency", "scope", "text"), ("tor", "topics"))
    if table is None:
        return [], set()
    first: dict[str, int] = {}
    for row in table.rows:
        rec_id = str(row.values.get("id", "")).strip()
        if rec_id in first:
            ctx.problems.append(Problem(table.file, f"duplicate recommendation id '{rec_id}' (first on line "
                                        f"{first[rec_id]})", line=row.line, key=f"{row.key} / id",
                                        fix="give each recommendation its own id (R1, R2, ...)"))
        elif rec_id:
            first[rec_id] = row.line
    result: list[Located] = []
    for row, item in _rows(ctx, table, Recommendation):
        if item is not None and first.get(item.id) == row.line:
            result.append(_located(table, row, item))
    return result, set(first)


def load_action_updates(ctx: LoadContext) -> list[Located]:
    table = _table(ctx, "action_updates.csv", ("recommendation", "date", "update"), must_exist=False)
    if table is None:
        return []
    return [_located(table, row, item) for row, item in _rows(ctx, table, UpdateRow) if item]


class UpdateRow(ActionUpdate):
    """A row of action_updates.csv: a dated update and the recommendation whose actions it belongs to."""

    recommendation: str
    text: str = ""
    update: str

    def as_update(self) -> ActionUpdate:
        return ActionUpdate(date=self.date, text=self.update)


def load_action_plan(ctx: LoadContext) -> list[Located]:
    table = _table(ctx, "action_plan.csv", ("recommendation", "action", "lead", "milestones", "target_date",
                                            "status"))
    if table is None:
        return []
    return [_located(table, row, item) for row, item in _rows(ctx, table, Action) if item]


def load_qa_tracker(ctx: LoadContext) -> list[Located]:
    table = _table(ctx, "qa_tracker.csv", ("id", "point"), ("status", "response", "where"), must_exist=False)
    if table is None:
        return []
    return [_located(table, row, item) for row, item in _rows(ctx, table, TrackerItem) if item]
