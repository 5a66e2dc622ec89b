"""The files people use: tidy CSV with its data guidance, and Excel with a sheet per table.

Both are written from protected tables only, so neither can hold a suppressed figure.

**Tidy CSV** (the DfE's open data standards: one row per observation, snake case column names,
UTF-8, aggregates labelled `Total`): one row per figure of every table, in the columns
`DATA_COLUMNS`. The value column holds numbers only, empty where the figure is not shown, and
the marker column says why (c, x, z, low), so the file loads as numbers in any tool. The DfE
puts its symbols in the value column itself; a separate marker column, as the issue asks,
keeps the value column numeric. The rules, titles and notes are in a companion file beside it,
`<name>.guidance.csv` (table_id, field, text), as the DfE puts them in a data guidance and
metadata file rather than in header or footer rows, which would break every reader of the
data.

**Excel** (openpyxl): a Contents sheet listing the tables and the markers, then one sheet per
table, named by its id: the title in A1, the unit and source, the table with its totals
(numbers as numbers, markers as text), the markers legend, and the footer with the rules.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from seen.errors import InvalidInput
from seen.report.published import ProtectedTable, PublishedCell
from seen.report.table import TOTAL

DATA_COLUMNS = (
    "table_id",
    "time_period",
    "dimension_1",
    "category_1",
    "dimension_2",
    "category_2",
    "value",
    "marker",
)
GUIDANCE_COLUMNS = ("table_id", "field", "text")

# What each data column holds: the first rows of the guidance file.
_COLUMN_GUIDANCE = {
    "table_id": "the table the figure belongs to (the same id names its Excel sheet)",
    "time_period": "the period the figure is for; empty for a table that is not over time",
    "dimension_1": "what the table's rows break the count down by",
    "category_1": f"the row's category; {TOTAL} for the total of all of them",
    "dimension_2": "what the table's columns break the count down by; empty for a one-way table",
    "category_2": f"the column's category; {TOTAL} for the total of all of them",
    "value": "the figure, a whole number; empty when it is not shown (see marker)",
    "marker": "empty for a figure shown; otherwise c, x, z or low (see each table's markers)",
}


@dataclass(frozen=True)
class CsvFiles:
    data: Path
    guidance: Path


def write_csv(tables: Sequence[ProtectedTable], path: Path) -> CsvFiles:
    """The tidy data file at `path` (ending .csv) and its guidance file beside it."""
    _check(tables)
    if path.suffix != ".csv":
        raise InvalidInput(f"{path}: a CSV file name ends in .csv")
    guidance_path = path.with_name(f"{path.stem}.guidance.csv")
    with _replacing(path) as partial, partial.open("w", encoding="utf-8", newline="") as data_file:
        writer = csv.writer(data_file)
        writer.writerow(DATA_COLUMNS)
        for table in tables:
            dimension_2 = table.columns.name if table.columns is not None else ""
            for figure in table.figures():
                writer.writerow(
                    (
                        table.id,
                        figure.period or "",
                        table.rows.name,
                        figure.row,
                        dimension_2,
                        figure.column or "",
                        "" if figure.cell.value is None else figure.cell.value,
                        figure.cell.marker.value,
                    )
                )
    with (
        _replacing(guidance_path) as partial,
        partial.open("w", encoding="utf-8", newline="") as guidance_file,
    ):
        writer = csv.writer(guidance_file)
        writer.writerow(GUIDANCE_COLUMNS)
        for column, meaning in _COLUMN_GUIDANCE.items():
            writer.writerow(("", f"column {column}", meaning))
        for table in tables:
            for field, text in _guidance(table):
                writer.writerow((table.id, field, text))
    return CsvFiles(path, guidance_path)


def _guidance(table: ProtectedTable) -> list[tuple[str, str]]:
    """A table's description and footer as (field, text) rows."""
    rows = [
        ("title", table.title),
        ("unit", table.unit),
        ("source", table.source),
        ("dimension_1", table.rows.name),
    ]
    if table.columns is not None:
        rows.append(("dimension_2", table.columns.name))
    if table.periods is not None:
        rows.append(("time_period", table.periods.name))
    rows += [("note", note) for note in table.notes]
    rows += [("rule", rule) for rule in table.rules.statement()]
    rows += [("marker", f"{marker.value}: {marker.meaning}") for marker in table.legend]
    return rows


def write_xlsx(tables: Sequence[ProtectedTable], path: Path) -> Path:
    """An Excel workbook at `path` (ending .xlsx): Contents, then a sheet per table."""
    _check(tables)
    if path.suffix != ".xlsx":
        raise InvalidInput(f"{path}: an Excel file name ends in .xlsx")
    workbook = Workbook()
    contents = workbook.active
    assert contents is not None
    _write_contents(contents, tables)
    for table in tables:
        _write_table(workbook.create_sheet(table.id), table)
    with _replacing(path) as partial:
        workbook.save(partial)
    return path


_TITLE = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_RIGHT = Alignment(horizontal="right")


def _text(sheet: Worksheet, row: int, column: int, text: str, font: Font | None = None) -> Cell:
    """A cell that holds text as text: openpyxl would otherwise read "=..." as a formula."""
    cell = _cell(sheet, row, column)
    cell.value = text
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def _cell(sheet: Worksheet, row: int, column: int) -> Cell:
    cell = sheet.cell(row=row, column=column)
    assert isinstance(cell, Cell)  # nothing is merged
    return cell


def _write_contents(sheet: Worksheet, tables: Sequence[ProtectedTable]) -> None:
    sheet.title = "Contents"
    _text(sheet, 1, 1, "Contents", _TITLE)
    _text(sheet, 2, 1, "Each table is on its own sheet, named by its table id.")
    _text(sheet, 4, 1, "Sheet", _BOLD)
    _text(sheet, 4, 2, "Table", _BOLD)
    row = 5
    for table in tables:
        link = _text(sheet, row, 1, table.id)
        # A link within the workbook (a location), not to a file (a target).
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{table.id}'!A1")
        link.style = "Hyperlink"
        _text(sheet, row, 2, table.title)
        row += 1
    row += 1
    _text(sheet, row, 1, "Markers", _BOLD)
    legend = {marker: None for table in tables for marker in table.legend}
    for marker in legend:
        row += 1
        _text(sheet, row, 1, marker.value)
        _text(sheet, row, 2, marker.meaning)
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 90


def _write_table(sheet: Worksheet, table: ProtectedTable) -> None:
    layout = table.layout
    _text(sheet, 1, 1, table.title, _TITLE)
    _text(sheet, 2, 1, f"Figures are numbers of {table.unit}.")
    _text(sheet, 3, 1, f"Source: {table.source}")
    if table.columns is not None:
        _text(sheet, 4, 1, f"Rows: {table.rows.name}. Columns: {table.columns.name}.")
    else:
        _text(sheet, 4, 1, f"Rows: {table.rows.name}.")

    header_row = 6
    leading = ([table.periods.name] if table.periods is not None else []) + [table.rows.name]
    value_headings = (
        [*table.columns.categories, TOTAL]
        if table.columns is not None
        else [f"Number of {table.unit}"]
    )
    for column, heading in enumerate([*leading, *value_headings], start=1):
        _text(sheet, header_row, column, heading, _BOLD)
    row = header_row
    n_rows, n_columns = layout.grid_shape
    for period in range(layout.period_count):
        for grid_row in range(n_rows):
            row += 1
            labels = [layout.period_label(period)] if table.periods is not None else []
            labels.append(layout.row_label((grid_row, 0)))
            for column, label in enumerate(labels, start=1):
                _text(sheet, row, column, label or "", _BOLD if label == TOTAL else None)
            for grid_column in range(n_columns):
                cell = table.cell(period, (grid_row, grid_column))
                _figure(_cell(sheet, row, len(labels) + grid_column + 1), cell)
    sheet.freeze_panes = f"{get_column_letter(len(leading) + 1)}{header_row + 1}"

    row += 2
    _text(sheet, row, 1, "Markers", _BOLD)
    for marker in table.legend:
        row += 1
        _text(sheet, row, 1, marker.value)
        _text(sheet, row, 2, marker.meaning)
    row += 2
    _text(sheet, row, 1, "Notes", _BOLD)
    for line in table.footer:
        row += 1
        _text(sheet, row, 1, line)

    for column in range(1, len(leading) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 30
    for column in range(len(leading) + 1, len(leading) + len(value_headings) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14


def _figure(cell: Cell, published: PublishedCell) -> None:
    """A number as a number; a marker as right-aligned text where the number would be."""
    if published.value is None:
        cell.value = published.marker.value
        cell.data_type = "s"
    else:
        cell.value = published.value
        cell.number_format = "#,##0"
    cell.alignment = _RIGHT


@contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A file written beside `path` and moved over it only when complete: a failed write
    leaves no half-written report."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        yield partial
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def _check(tables: Sequence[ProtectedTable]) -> None:
    if not tables:
        raise InvalidInput("there are no tables to write")
    ids = [table.id for table in tables]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise InvalidInput(f"table ids must be unique: {repeated} repeat")
