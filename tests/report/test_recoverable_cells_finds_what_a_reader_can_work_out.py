"""The checker is the proof obligation, so it must find what a reader can work out: a lone c
beside an exact total, a c pinned down through other rows and columns, a c a rounded total
pins down, and zeros that stop a cycle of c from moving."""

from __future__ import annotations

import numpy as np
import pytest

from seen.errors import InvalidInput
from seen.report import DisclosureRules, Marker, ProtectedTable, PublishedCell
from seen.report.recovery import feasible_ranges, recoverable_cells

from .tables import table

C = PublishedCell(None, Marker.CONFIDENTIAL)


def _published(
    grid: list[list[int | None]], *, rules: DisclosureRules | None = None, two_way: bool = True
) -> ProtectedTable:
    """A published table as written, None for c (totals included in `grid`)."""
    n_rows = len(grid) - 1
    n_columns = len(grid[0]) - (1 if two_way else 0)
    layout = table([[0] * n_columns] * n_rows, two_way=two_way).layout
    cells = tuple(tuple(C if v is None else PublishedCell(v) for v in row) for row in grid)
    return ProtectedTable(
        id="hand_made",
        title="A hand-made publication",
        unit="children",
        source="this test",
        layout=layout,
        cells=(cells,),
        rules=rules or DisclosureRules(),
    )


def test_a_lone_c_beside_an_exact_total_is_found() -> None:
    published = _published([[None], [10], [20], [33]], two_way=False)
    (found,) = recoverable_cells(published)
    assert (found.low, found.high, found.exact) == (3, 3, True)
    assert found.where == "Area Area A"


def test_a_c_pinned_down_through_another_row_and_column_is_found() -> None:
    # Row A hides two cells, but Route 2's column has only one c: it is 20, so the 3 follows.
    published = _published(
        [
            [None, None, 23],
            [15, 30, 45],
            [18, 50, 68],
        ]
    )
    assert {(f.position, f.low, f.high) for f in recoverable_cells(published)} == {
        ((0, 0), 3, 3),
        ((0, 1), 20, 20),
    }


def test_a_rectangle_of_c_is_not_recoverable() -> None:
    published = _published(
        [
            [None, None, 23],
            [None, None, 45],
            [12, 0, 12],
            [30, 50, 80],
        ]
    )
    assert recoverable_cells(published) == []
    assert {(f.position, f.low, f.high) for f in feasible_ranges(published)} == {
        ((0, 0), 0, 18),
        ((0, 1), 5, 23),
        ((1, 0), 0, 18),
        ((1, 1), 27, 45),
    }


def test_zeros_that_stop_a_rectangle_moving_are_found() -> None:
    # Every row and column has two c, so the equations alone leave each c free (rank 3 for 4
    # unknowns); but Route 2's c add up to 0, and counts are never negative, so both are 0 and
    # the rest follow. The linear programme sees it; rank analysis would not.
    published = _published(
        [
            [None, None, 5, 8],
            [None, None, 6, 13],
            [10, 0, 11, 21],
        ]
    )
    equations = np.array([[1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 1, 0], [0, 1, 0, 1]])
    assert np.linalg.matrix_rank(equations) == 3
    assert {(f.position, f.low, f.high) for f in recoverable_cells(published)} == {
        ((0, 0), 3, 3),
        ((0, 1), 0, 0),
        ((1, 0), 7, 7),
        ((1, 1), 0, 0),
    }


def test_a_rounded_total_gives_an_interval_not_a_value() -> None:
    rules = DisclosureRules(round_totals_to=10)
    published = _published([[None], [40], [40]], rules=rules, two_way=False)
    (found,) = feasible_ranges(published)
    # The total is 35 to 44, so the c is 0 to 4: not exact, but shown to be small.
    assert (found.low, found.high, found.exact) == (0, 4, False)


def test_a_rounded_total_can_still_pin_a_c_at_zero() -> None:
    rules = DisclosureRules(round_totals_to=10)
    # 14 and a c under a total of 10 (5 to 14): the c can only be 0.
    published = _published([[None], [14], [10]], rules=rules, two_way=False)
    (found,) = recoverable_cells(published)
    assert (found.low, found.high) == (0, 0)


def test_figures_that_contradict_each_other_are_refused() -> None:
    published = _published([[None], [40], [30]], two_way=False)
    with pytest.raises(InvalidInput, match="contradict"):
        feasible_ranges(published)


def test_low_is_only_for_rounded_totals() -> None:
    with pytest.raises(InvalidInput, match="only a rounded total can be marked low"):
        ProtectedTable(
            id="hand_made",
            title="t",
            unit="children",
            source="s",
            layout=table([[0]], two_way=False).layout,
            cells=(((PublishedCell(None, Marker.LOW),), (PublishedCell(0),)),),
            rules=DisclosureRules(),
        )
