"""Reading CSV and XLSX tables so that every row keeps the place it came from.

A CSV row's ``line`` is the physical line where the record starts (records may span lines inside
quotes); an XLSX row's ``line`` is the sheet's row number. ``number`` counts data rows from 1.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from ..errors import Problem, relpath


@dataclass
class Row:
    line: int
    number: int
    values: dict[str, Any]
    sheet: str | None = None  # the sheet's name, in a workbook with several sheets

    @property
    def key(self) -> str:
        """How a problem names the row: 'row 3', or "sheet '2023' / row 3" (line is then the sheet's row)."""
        return f"sheet '{self.sheet}' / row {self.number}" if self.sheet else f"row {self.number}"


@dataclass
class Table:
    path: Path
    file: str  # as the author sees it (relative to the project root)
    columns: list[str]
    rows: list[Row] = field(default_factory=list)


def _cell_text(value: Any) -> Any:
    """Spreadsheet cells as the CSV reader would give them; dates are kept as dates."""
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _check_header(columns: list[str], file: str, required: Sequence[str], optional: Sequence[str],
                  problems: list[Problem]) -> bool:
    """Report missing, unknown and duplicate columns; False when a required column is missing."""
    ok = True
    allowed = [*required, *optional]
    for name in required:
        if name not in columns:
            problems.append(Problem(file, f"the column '{name}' is missing", line=1, key=name,
                                    fix=f"add '{name}' to the header row; the columns are: {', '.join(allowed)}"))
            ok = False
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            problems.append(Problem(file, f"the column '{name}' appears twice", line=1, key=name,
                                    fix="remove or rename one of them"))
        seen.add(name)
        if not name:
            problems.append(Problem(file, "a column has no name in the header row", line=1,
                                    fix=f"name it (the columns are: {', '.join(allowed)}) or delete the column"))
        elif name not in allowed:
            close = get_close_matches(name, allowed, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            problems.append(Problem(file, f"unknown column '{name}'", line=1, key=name,
                                    fix=f"{hint}rename or remove it; the columns are: {', '.join(allowed)}"))
    return ok


def read_csv_table(path: Path, root: Path, problems: list[Problem], *, required: Sequence[str],
                   optional: Sequence[str] = ()) -> Table | None:
    """Read a CSV file with a header row; None when it cannot be used at all (problems say why)."""
    file = relpath(path, root)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(file, f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                                fix="save the file as 'CSV UTF-8 (comma delimited)'"))
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    last_line = 0
    try:
        for fields in reader:
            rows.append((last_line + 1, fields))
            last_line = reader.line_num
    except csv.Error as exc:
        problems.append(Problem(file, f"cannot be read as CSV: {exc}", line=last_line + 1,
                                fix="check quotes on that line: a field with a comma or quote needs "
                                    "double quotes around it, and quotes inside doubled (\"\")"))
        return None
    rows = [(line, fields) for line, fields in rows if any(f.strip() for f in fields)]
    if not rows:
        problems.append(Problem(file, "is empty", fix=f"add the header row: {','.join([*required, *optional])}"))
        return None
    header = rows[0][1]
    columns = [name.strip() for name in header]
    if len(columns) == 1 and any(sep in columns[0] for sep in ";\t"):
        sep = "semicolons" if ";" in columns[0] else "tabs"
        problems.append(Problem(file, f"the columns are separated by {sep}, not commas", line=1,
                                fix="save the file as 'CSV UTF-8 (comma delimited)' (a spreadsheet set to a "
                                    "language that uses decimal commas writes semicolons)"))
        return None
    if not _check_header(columns, file, required, optional, problems):
        return None
    table = Table(path, file, columns)
    for number, (line, fields) in enumerate(rows[1:], start=1):
        extra = fields[len(columns):]
        if len(fields) < len(columns) or any(f.strip() for f in extra):
            problems.append(Problem(
                file, f"has {len(fields)} fields but the header has {len(columns)}", line=line, key=f"row {number}",
                fix="put double quotes around any field that contains a comma, and check for missing or extra commas"))
            continue
        values = {name: value.strip() for name, value in zip(columns, fields)}
        table.rows.append(Row(line, number, values))
    return table


def _sheet_rows(sheet: Any) -> list[tuple[int, list[Any]]]:
    """The sheet's non-empty rows as (row number, cells)."""
    return [(n, [_cell_text(c) for c in cells]) for n, cells in enumerate(sheet.iter_rows(values_only=True), 1)
            if any(c not in (None, "") for c in cells)]


def _formula_cells(path: Path, sheet_name: str) -> dict[tuple[int, int], str]:
    """(row, column) -> formula of each formula cell of a sheet (both counted from 1)."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        return {(n, i): value for n, cells in enumerate(workbook[sheet_name].iter_rows(values_only=True), 1)
                for i, value in enumerate(cells, 1) if isinstance(value, str) and value.startswith("=")}
    finally:
        workbook.close()


def read_xlsx_table(path: Path, root: Path, problems: list[Problem], *, required: Sequence[str],
                    optional: Sequence[str] = ()) -> Table | None:
    """Read an .xlsx workbook (first row of a sheet = header); dates stay dates.

    Every sheet with rows is read: a sheet must have the same header as the first, so no event on a second
    sheet is silently dropped. A cell whose formula has no saved value, or a value under no column heading,
    is a problem (it would otherwise be read as empty, or not at all).
    """
    from openpyxl import load_workbook  # imported here: only reviews with spreadsheets pay for it

    file = relpath(path, root)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types (zipfile, KeyError, InvalidFileException)
        problems.append(Problem(file, f"cannot be opened as an .xlsx workbook ({exc.__class__.__name__})",
                                fix="save it from your spreadsheet program as Excel Workbook (.xlsx)"))
        return None
    try:
        sheets = [(sheet.title, _sheet_rows(sheet)) for sheet in workbook.worksheets]
    finally:
        workbook.close()
    sheets = [(title, rows) for title, rows in sheets if rows]
    if not sheets:
        problems.append(Problem(file, "the workbook is empty",
                                fix=f"put the header row in row 1: {', '.join([*required, *optional])}"))
        return None
    several = len(sheets) > 1
    table: Table | None = None
    number = 0
    for title, rows in sheets:
        where = f"sheet '{title}'" if several else None
        columns = [str(name).strip() if name != "" else "" for name in rows[0][1]]
        while columns and not columns[-1]:
            columns.pop()
        if table is None:
            if not _check_header(columns, file, required, optional, problems):
                return None
            table = Table(path, file, columns)
        elif columns != table.columns:
            problems.append(Problem(file, f"the {where} has rows but not the header of the first sheet "
                                          f"({', '.join(table.columns)})", line=rows[0][0], key=where,
                                    fix="give every sheet the same header row, or move this sheet's rows "
                                        "into the first sheet, or delete the sheet"))
            continue
        formulas: dict[tuple[int, int], str] | None = None
        for line, cells in rows[1:]:
            number += 1
            row = Row(line, number, {}, title if several else None)
            stray = [i for i, value in enumerate(cells[len(columns):], len(columns) + 1) if value not in ("", None)]
            if stray:
                problems.append(Problem(file, f"a value in column {_column_letter(stray[0])} has no column "
                                              "heading", line=line, key=row.key,
                                        fix="give the column a heading from the allowed columns, or delete the "
                                            "value"))
            empty = [i for i, value in enumerate(cells[: len(columns)], 1) if value == ""]
            if empty:
                formulas = formulas if formulas is not None else _formula_cells(path, title)
                unsaved = [i for i in empty if (line, i) in formulas]
                if unsaved:
                    problems.append(Problem(
                        file, f"the formula in cell {_column_letter(unsaved[0])}{line} has no saved value",
                        line=line, key=row.key,
                        fix="open the workbook in Excel or LibreOffice and save it (so the value is stored), "
                            "or replace the formula by its value"))
            row.values = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(columns)}
            table.rows.append(row)
    return table


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def read_table(path: Path, root: Path, problems: list[Problem], *, required: Sequence[str],
               optional: Sequence[str] = ()) -> Table | None:
    reader = read_xlsx_table if path.suffix.lower() == ".xlsx" else read_csv_table
    return reader(path, root, problems, required=required, optional=optional)
