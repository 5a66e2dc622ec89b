"""The issue's acceptance, for any table of counts: after disclosure control no figure shown is
1 to 5, no figure marked c can be worked out exactly from what is shown (the linear programme
for each), every figure shown is the one counted (totals rounded where the rules say), and the
markers are the documented ones."""

from __future__ import annotations

from hypothesis import given, settings

from seen.report import DisclosureRules, Marker, Table, protect, recoverable_cells
from seen.report.recovery import feasible_ranges
from seen.report.table import Layout

from .strategies import RULES, tables

DOCUMENTED = {
    Marker.NONE,
    Marker.CONFIDENTIAL,
    Marker.NOT_AVAILABLE,
    Marker.NOT_APPLICABLE,
    Marker.LOW,
}


def _positions(layout: Layout) -> list[tuple[int, tuple[int, int]]]:
    return [(p, position) for p in range(layout.period_count) for position in layout.positions()]


@settings(max_examples=150, deadline=None)
@given(tables(), RULES)
def test_no_figure_shown_is_between_1_and_5(table: Table, rules: DisclosureRules) -> None:
    published = protect(table, rules)
    for figure in published.figures():
        value = figure.cell.value
        assert value is None or not 1 <= value <= 5, figure


@settings(max_examples=150, deadline=None)
@given(tables(), RULES)
def test_no_suppressed_figure_can_be_worked_out(table: Table, rules: DisclosureRules) -> None:
    published = protect(table, rules)
    assert recoverable_cells(published) == []


@settings(max_examples=100, deadline=None)
@given(tables(), RULES)
def test_a_suppressed_small_count_could_be_more_than_5(
    table: Table, rules: DisclosureRules
) -> None:
    published = protect(table, rules)
    for found in feasible_ranges(published):
        row, column = found.position
        count = table.grid(found.period)[row][column]
        assert isinstance(count, int)
        assert found.low <= count and (found.high is None or count <= found.high), found
        if 1 <= count <= 5:
            assert found.high is None or found.high > 5, found


@settings(max_examples=150, deadline=None)
@given(tables(), RULES)
def test_every_figure_shown_is_the_one_counted(table: Table, rules: DisclosureRules) -> None:
    published = protect(table, rules)
    for period, position in _positions(table.layout):
        row, column = position
        counted = table.grid(period)[row][column]
        cell = published.cell(period, position)
        if isinstance(counted, Marker):
            assert cell.value is None and cell.marker is counted
        elif cell.value is not None:
            expected = rules.rounded(counted) if table.layout.is_total(position) else counted
            assert cell.value == expected


@settings(max_examples=150, deadline=None)
@given(tables(), RULES)
def test_markers_are_the_documented_ones(table: Table, rules: DisclosureRules) -> None:
    published = protect(table, rules)
    for figure in published.figures():
        assert figure.cell.marker in DOCUMENTED
        assert (figure.cell.value is None) == (figure.cell.marker is not Marker.NONE)
        if figure.cell.marker is Marker.LOW:
            assert figure.is_total and rules.round_totals_to is not None
    assert set(published.legend) >= {
        Marker.CONFIDENTIAL,
        Marker.NOT_AVAILABLE,
        Marker.NOT_APPLICABLE,
    }
