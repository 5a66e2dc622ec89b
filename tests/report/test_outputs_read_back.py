"""The CSV and Excel files hold exactly the published figures, markers and rules: read back."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest
from openpyxl import load_workbook

from seen.errors import InvalidInput
from seen.report import (
    Dimension,
    DisclosureRules,
    Marker,
    ProtectedTable,
    Table,
    protect,
    write_csv,
    write_xlsx,
)
from seen.report.outputs import DATA_COLUMNS, GUIDANCE_COLUMNS


def _tables() -> list[ProtectedTable]:
    by_purpose = Table.from_counts(
        id="requests_by_purpose",
        title="Requests to share, by purpose and outcome",
        unit="requests",
        source="Seen hub, synthetic partnership",
        rows=Dimension("Purpose", ("Safeguarding", "Young carers", "Exploitation")),
        columns=Dimension("Outcome", ("Allowed", "Declined")),
        periods=Dimension("Year", ("2024-25", "2025-26")),
        counts={
            ("2024-25", "Safeguarding", "Allowed"): 3,
            ("2024-25", "Safeguarding", "Declined"): 20,
            ("2024-25", "Young carers", "Allowed"): 15,
            ("2024-25", "Young carers", "Declined"): 30,
            ("2024-25", "Exploitation", "Allowed"): 12,
            ("2025-26", "Safeguarding", "Allowed"): 40,
            ("2025-26", "Young carers", "Declined"): Marker.NOT_AVAILABLE,
            ("2025-26", "Exploitation", "Declined"): 9,
        },
        footer=["A request is counted in the year it was made."],
    )
    by_route = Table.from_counts(
        id="young_carers_by_route",
        title="Young carers identified, by route",
        unit="children",
        source="Seen hub, synthetic partnership",
        rows=Dimension("Route", ("Self", "School", "Prompt", "Assessment")),
        counts={("Self",): 4, ("School",): 31, ("Prompt",): 12, ("Assessment",): 57},
    )
    return [protect(by_purpose), protect(by_route, DisclosureRules(round_totals_to=10))]


def test_the_tidy_csv_has_one_row_per_figure_with_its_value_or_marker(tmp_path: Path) -> None:
    tables = _tables()
    files = write_csv(tables, tmp_path / "partnership.csv")
    with files.data.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == DATA_COLUMNS
    expected = [
        (
            table.id,
            figure.period or "",
            table.rows.name,
            figure.row,
            table.columns.name if table.columns is not None else "",
            figure.column or "",
            "" if figure.cell.value is None else str(figure.cell.value),
            figure.cell.marker.value,
        )
        for table in tables
        for figure in table.figures()
    ]
    assert [tuple(row.values()) for row in rows] == expected
    assert len(rows) == 2 * 4 * 3 + 5
    first = rows[0]
    assert (first["category_1"], first["category_2"], first["value"], first["marker"]) == (
        "Safeguarding",
        "Allowed",
        "",
        "c",
    )
    grand = rows[2 * 4 * 3 - 1]
    assert (grand["time_period"], grand["category_1"], grand["category_2"]) == (
        "2025-26",
        "Total",
        "Total",
    )
    # Every value is a whole number or empty: the column loads as numbers.
    assert all(row["value"] == "" or row["value"].isdigit() for row in rows)
    assert {row["marker"] for row in rows} <= {m.value for m in Marker}


def test_the_guidance_file_carries_every_tables_title_rules_and_markers(tmp_path: Path) -> None:
    tables = _tables()
    files = write_csv(tables, tmp_path / "partnership.csv")
    assert files.guidance == tmp_path / "partnership.guidance.csv"
    with files.guidance.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == GUIDANCE_COLUMNS
    described = {row["field"].removeprefix("column ") for row in rows if row["table_id"] == ""}
    assert described == set(DATA_COLUMNS)
    for table in tables:
        mine = [(row["field"], row["text"]) for row in rows if row["table_id"] == table.id]
        assert ("title", table.title) in mine
        assert [text for field, text in mine if field == "rule"] == list(table.rules.statement())
        assert [text for field, text in mine if field == "note"] == list(table.notes)
        markers = [text.split(":")[0] for field, text in mine if field == "marker"]
        assert markers == [m.value for m in table.legend]
    rounded = [row["text"] for row in rows if row["table_id"] == "young_carers_by_route"]
    assert any("rounded to the nearest 10" in text for text in rounded)


def test_excel_has_contents_and_a_sheet_per_table_with_figures_legend_and_rules(
    tmp_path: Path,
) -> None:
    tables = _tables()
    path = write_xlsx(tables, tmp_path / "partnership.xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Contents", "requests_by_purpose", "young_carers_by_route"]
    contents = workbook["Contents"]
    assert contents["A5"].value == "requests_by_purpose"
    assert contents["A5"].hyperlink.location == "'requests_by_purpose'!A1"
    assert contents["B6"].value == "Young carers identified, by route"

    sheet = workbook["requests_by_purpose"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Requests to share, by purpose and outcome"
    header = values[5]
    assert header[:5] == ["Year", "Purpose", "Allowed", "Declined", "Total"]
    table = tables[0]
    body = values[6 : 6 + 2 * 4]
    expected = [
        [
            figure.cell.value if figure.cell.value is not None else figure.cell.marker.value
            for figure in list(table.figures())[i * 3 : i * 3 + 3]
        ]
        for i in range(2 * 4)
    ]
    assert [row[2:5] for row in body] == expected
    assert [row[:2] for row in body[:4]] == [
        ["2024-25", "Safeguarding"],
        ["2024-25", "Young carers"],
        ["2024-25", "Exploitation"],
        ["2024-25", "Total"],
    ]
    assert body[0][2] == "c" and isinstance(body[0][4], int)
    text = [row[0] for row in values]
    legend_at = text.index("Markers")
    assert [values[legend_at + 1 + i][:2] for i in range(3)] == [
        [m.value, m.meaning] for m in table.legend
    ]
    notes_at = text.index("Notes")
    assert text[notes_at + 1 : notes_at + 1 + len(table.footer)] == list(table.footer)


def test_excel_shows_a_one_way_table_with_its_rounded_total(tmp_path: Path) -> None:
    tables = _tables()
    sheet = load_workbook(write_xlsx(tables, tmp_path / "p.xlsx"))["young_carers_by_route"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=6, max_col=2)]
    assert values[:6] == [
        ["Route", "Number of children"],
        ["Self", "c"],
        ["School", 31],
        ["Prompt", "c"],
        ["Assessment", 57],
        ["Total", 100],
    ]


def test_text_that_looks_like_a_formula_stays_text_in_excel(tmp_path: Path) -> None:
    # A Table refuses labels and notes starting with "=", but a protected table built by
    # other code need not have been through it: the writer stores every text as text.
    table = dataclasses.replace(_tables()[1], notes=("=1+1",))
    sheet = load_workbook(write_xlsx([table], tmp_path / "p.xlsx"))["young_carers_by_route"]
    (note,) = [cell for row in sheet.iter_rows() for cell in row if cell.value == "=1+1"]
    assert note.data_type == "s"


def test_outputs_refuse_no_tables_repeated_ids_and_wrong_suffixes(tmp_path: Path) -> None:
    tables = _tables()
    with pytest.raises(InvalidInput, match="no tables"):
        write_csv([], tmp_path / "a.csv")
    with pytest.raises(InvalidInput, match="must be unique"):
        write_xlsx([tables[0], tables[0]], tmp_path / "a.xlsx")
    with pytest.raises(InvalidInput, match=r"ends in \.csv"):
        write_csv(tables, tmp_path / "a.txt")
    with pytest.raises(InvalidInput, match=r"ends in \.xlsx"):
        write_xlsx(tables, tmp_path / "a.xls")


def test_a_failed_write_leaves_no_file_behind(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    tables = _tables()
    real = ProtectedTable.figures

    def fails_on_the_second_table(self: ProtectedTable):  # type: ignore[no-untyped-def]
        if self.id == "young_carers_by_route":
            raise OSError("disk full")
        return real(self)

    monkeypatch.setattr(ProtectedTable, "figures", fails_on_the_second_table)
    with pytest.raises(OSError, match="disk full"):
        write_csv(tables, tmp_path / "partnership.csv")
    assert list(tmp_path.iterdir()) == []
