"""Tables that publish the same totals are protected together: for any two tables counting the
same children by different rows (ethnic group, deprivation quintile) over the same columns, no
figure marked c can be worked out, or shown to be 1 to 5, from both tables at once."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from seen.report import DisclosureRules, Marker, Table, protect, recoverable_cells
from seen.report.linked import SharedMargin, protect_linked
from seen.report.published import ProtectedTable
from seen.report.recovery import ReaderKnowledge
from seen.report.table import Layout

from .strategies import COUNTS, RULES, dimension

BY_COLUMNS = [SharedMargin("first", "columns", "second", "columns")]


@st.composite
def two_tables_of_the_same_children(draw: st.DrawFn) -> tuple[Table, Table]:
    """Counts by (row of the first, row of the second, column), added up each way."""
    columns = dimension("Column", draw(st.integers(1, 4)))
    n_first, n_second = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    k = len(columns.categories)
    cube = [[[draw(COUNTS) for _ in range(k)] for _ in range(n_second)] for _ in range(n_first)]
    first = [
        [sum(cube[a][b][c] for b in range(n_second)) for c in range(k)] for a in range(n_first)
    ]
    second = [
        [sum(cube[a][b][c] for a in range(n_first)) for c in range(k)] for b in range(n_second)
    ]
    return _table("first", "First", first, columns), _table("second", "Second", second, columns)


def _table(table_id: str, name: str, counts: list[list[int]], columns: object) -> Table:
    rows = dimension(name, len(counts))
    return Table(
        id=table_id,
        title=f"The {name.lower()} table",
        unit="children",
        source="Hypothesis",
        layout=Layout(rows, columns),  # type: ignore[arg-type]
        counts=(tuple(tuple(row) for row in counts),),
    )


def _given_away(
    tables: list[Table], published: list[ProtectedTable], rules: DisclosureRules
) -> list[str]:
    """Figures marked c that both tables together pin down, or show to be at most 5."""
    first, second = published
    grid_rows, grid_columns = first.layout.grid_shape
    second_rows, _ = second.layout.grid_shape
    same = [
        (("first", (grid_rows - 1, c)), ("second", (second_rows - 1, c)))
        for c in range(grid_columns)
    ]
    knowledge = ReaderKnowledge.joint(
        [(t.id, t.layout, t.cells[0]) for t in published], rules, same
    )
    found = []
    for table, protected in zip(tables, published, strict=True):
        for position in protected.layout.positions():
            if protected.cell(0, position).marker is not Marker.CONFIDENTIAL:
                continue
            count = table.grid(0)[position[0]][position[1]]
            assert isinstance(count, int)
            low, high = knowledge.range_of((table.id, position))
            if low == high or (1 <= count <= 5 and high is not None and high <= 5):
                found.append(f"{table.id} {position}: {count} in [{low}, {high}]")
    return found


@settings(max_examples=150, deadline=None)
@given(two_tables_of_the_same_children(), RULES)
def test_no_suppressed_figure_can_be_worked_out_from_both_tables(
    tables: tuple[Table, Table], rules: DisclosureRules
) -> None:
    published = protect_linked(list(tables), BY_COLUMNS, rules)
    assert _given_away(list(tables), published, rules) == []


@settings(max_examples=100, deadline=None)
@given(two_tables_of_the_same_children(), RULES)
def test_each_linked_table_is_still_safe_on_its_own(
    tables: tuple[Table, Table], rules: DisclosureRules
) -> None:
    for protected in protect_linked(list(tables), BY_COLUMNS, rules):
        assert recoverable_cells(protected) == []
        for figure in protected.figures():
            assert figure.cell.value is None or not 1 <= figure.cell.value <= 5, figure


@settings(max_examples=100, deadline=None)
@given(two_tables_of_the_same_children())
def test_unlinked_tables_are_protected_as_on_their_own(tables: tuple[Table, Table]) -> None:
    assert protect_linked(list(tables)) == [protect(table) for table in tables]


def test_a_count_two_tables_give_away_together_is_protected() -> None:
    # The same 33 children by two breakdowns; 4 are in the first column. Each table alone hides
    # its 4 safely, but the first shows the second column's total (29) that the second table
    # needed hidden, and together they pin the 4 down.
    columns = dimension("Column", 2)
    tables = [
        _table("first", "First", [[0, 29], [4, 0]], columns),
        _table("second", "Second", [[0, 19], [4, 10]], columns),
    ]
    rules = DisclosureRules()
    one_by_one = [protect(table) for table in tables]
    assert all(recoverable_cells(protected) == [] for protected in one_by_one)
    assert "first (1, 0): 4 in [4, 4]" in _given_away(tables, one_by_one, rules)
    assert _given_away(tables, protect_linked(tables, BY_COLUMNS, rules), rules) == []
