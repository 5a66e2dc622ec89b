"""A table adds its own totals, and refuses input it could not publish, naming where."""

from __future__ import annotations

import pytest

from seen.errors import InvalidInput
from seen.report import Dimension, Marker, Table
from seen.report.table import Layout

PURPOSE = Dimension("Purpose", ("Safeguarding", "Young carers"))
OUTCOME = Dimension("Outcome", ("Allowed", "Declined", "Pending"))
YEAR = Dimension("Year", ("2024-25", "2025-26"))


def _from_counts(**overrides: object) -> Table:
    arguments: dict[str, object] = {
        "id": "requests",
        "title": "Requests by purpose and outcome",
        "unit": "requests",
        "source": "Seen hub",
        "rows": PURPOSE,
        "columns": OUTCOME,
        "counts": {("Safeguarding", "Allowed"): 12, ("Young carers", "Pending"): 3},
    }
    arguments.update(overrides)
    return Table.from_counts(**arguments)  # type: ignore[arg-type]


def test_from_counts_fills_missing_combinations_with_zero_and_adds_totals() -> None:
    table = _from_counts()
    assert table.grid(0) == (
        (12, 0, 0, 12),
        (0, 0, 3, 3),
        (12, 0, 3, 15),
    )


def test_periods_are_tables_of_their_own_with_no_total_across_them() -> None:
    table = _from_counts(
        periods=YEAR,
        columns=None,
        counts={("2024-25", "Safeguarding"): 7, ("2025-26", "Young carers"): 9},
    )
    assert table.grid(0) == ((7,), (0,), (7,))
    assert table.grid(1) == ((0,), (9,), (9,))
    assert table.layout.period_count == 2


def test_totals_leave_out_x_and_z_and_are_x_or_z_when_nothing_is_counted() -> None:
    table = _from_counts(
        counts={
            ("Safeguarding", "Allowed"): Marker.NOT_APPLICABLE,
            ("Young carers", "Allowed"): Marker.NOT_APPLICABLE,
            ("Safeguarding", "Declined"): Marker.NOT_AVAILABLE,
            ("Young carers", "Declined"): 4,
        }
    )
    assert table.grid(0)[-1][:2] == (Marker.NOT_APPLICABLE, 4)
    assert table.grid(0)[0] == (Marker.NOT_APPLICABLE, Marker.NOT_AVAILABLE, 0, 0)


def test_lines_cover_every_row_and_column_of_the_grid_with_its_total() -> None:
    layout = Layout(PURPOSE, OUTCOME)
    lines = layout.lines()
    assert len(lines) == 3 + 4  # the rows with the totals' row, the columns with the totals'
    assert all(layout.is_total(line.total) for line in lines)
    one_way = Layout(PURPOSE)
    assert [line.entries for line in one_way.lines()] == [((0, 0), (1, 0), (2, 0))]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"id": "Requests"}, "table id 'Requests' must be lower case"),
        ({"id": "contents"}, "not be 'contents'"),
        ({"id": "a" * 32}, "at most 31 characters"),
        ({"title": " "}, "table requests: the title is empty"),
        ({"source": "=HYPERLINK(1)"}, "the source '=HYPERLINK.1.' starts with '='"),
        ({"counts": {("Safeguarding", "Allowed"): -1}}, "Purpose Safeguarding, Outcome Allowed"),
        ({"counts": {("Safeguarding", "Allowed"): 2.5}}, "is not a count"),
        ({"counts": {("Safeguarding", "Allowed"): True}}, "is not a count"),
        ({"counts": {("Safeguarding", "Allowed"): Marker.CONFIDENTIAL}}, "nor the marker x or z"),
        ({"counts": {("Safeguarding", "Refused"): 1}}, "'Refused' in count key"),
        ({"counts": {("Safeguarding",): 1}}, "is not one of .Purpose, Outcome."),
    ],
)
def test_bad_input_is_refused_with_where(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        _from_counts(**overrides)


def test_a_table_refuses_counts_of_the_wrong_shape() -> None:
    with pytest.raises(InvalidInput, match="period 0 row 1 has 2 cells, not 3"):
        Table(
            id="requests",
            title="t",
            unit="requests",
            source="s",
            layout=Layout(PURPOSE, OUTCOME),
            counts=(((1, 2, 3), (1, 2)),),
        )


@pytest.mark.parametrize(
    ("name", "categories", "message"),
    [
        ("Purpose", (), "has no categories"),
        ("Purpose", ("A", "A"), "repeats categories"),
        ("Purpose", ("A", "total"), "kept for the totals"),
        ("Purpose", ("A", "-1"), "read as a formula"),
        (" ", ("A",), "needs a name"),
    ],
)
def test_a_dimension_refuses_categories_it_could_not_publish(
    name: str, categories: tuple[str, ...], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        Dimension(name, categories)
