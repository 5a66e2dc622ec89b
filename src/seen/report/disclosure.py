"""Disclosure control: from a table of counts to the table Seen may publish.

`protect(table)` applies the rules (`seen.report.rules`) to each period on its own:

1. Primary suppression: every count from 1 to 5 is marked c, totals included (a total of 3
   identifies as surely as a cell of 3), and so is a rounded total shown as 1 to 5.
2. The proof obligation: for each figure marked c (totals first, then cells, each in grid
   order), a linear programme (`seen.report.recovery`) finds the least and greatest values it
   could take given every figure and total shown. The figure is safe when these differ and,
   for a count of 1 to 5, when the greatest is above 5 too (a reader cannot even tell that it
   is small).
3. Complementary suppression, by a fixed rule, for a figure that is not yet safe. In a
   two-way table: the cheapest rectangle of figures through it (itself, one more in its row,
   one more in its column and the one where those meet), the totals' own row and column
   included. Moving the corners of a rectangle up and down in turn keeps every total, so a
   reader can no longer pin the figure down from its row and column. In a one-way table: the
   cheapest other figure in its line. Cheapest means, in order: fewer totals (cells are
   suppressed before totals), fewer zeros (a 0 beside a c tells a reader which way the c can
   move), the smallest sum of the counts newly hidden, then the first in the grid, row by row.
   The figure is then checked again (2), and complements are added until it is safe.
   Suppressing a figure only widens what every other could be, so a figure found safe stays
   safe, and the loop ends: at worst every figure is marked c, and then nothing bounds any.
4. Release: a later rectangle can make an earlier complement unnecessary, so each complement
   is shown again, dearest first (totals, then the largest counts), if every figure marked c
   is still safe without it (all are checked again: showing a figure narrows the others).

Totals are checked first because protecting a total takes another total (the totals' own row
and column hold nothing else), and the rectangle that does so protects cells with it; on
random tables this suppresses a fifth fewer figures than grid order (docs/reporting.md).

The result holds the published values and markers only.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from seen.errors import SeenError
from seen.report.markers import Marker
from seen.report.published import ProtectedTable, PublishedCell
from seen.report.recovery import ReaderKnowledge
from seen.report.rules import DisclosureRules
from seen.report.table import Entry, Layout, Position, Table


def protect(
    table: Table,
    rules: DisclosureRules | None = None,
    also_suppress: Mapping[int, Collection[Position]] | None = None,
) -> ProtectedTable:
    """The table as it may be published under `rules` (by default the DfE's: counts 1 to 5
    suppressed, exact totals). `also_suppress` (period -> positions) names figures to mark c
    whatever their count, and never show again: what another table sharing them needs
    (`seen.report.linked`); they are protected like any complement."""
    rules = rules or DisclosureRules()
    also = also_suppress or {}
    cells = tuple(
        _PeriodControl(table.layout, table.grid(period), rules, also.get(period, ())).publish()
        for period in range(table.layout.period_count)
    )
    return ProtectedTable(
        id=table.id,
        title=table.title,
        unit=table.unit,
        source=table.source,
        layout=table.layout,
        cells=cells,
        rules=rules,
        notes=table.footer,
    )


class _PeriodControl:
    """Deciding which of one period's figures to suppress."""

    def __init__(
        self,
        layout: Layout,
        grid: Sequence[Sequence[Entry]],
        rules: DisclosureRules,
        required: Collection[Position] = (),
    ) -> None:
        self._layout = layout
        self._grid = grid
        self._rules = rules
        self._primary = {
            position
            for position in layout.positions()
            if isinstance(count := self._count(position), int)
            and (
                rules.is_small(count)
                or (layout.is_total(position) and rules.is_small(rules.rounded(count)))
            )
        }
        # Complements another table needs: suppressed from the start, never released.
        self._required = {p for p in required if isinstance(self._count(p), int)} - self._primary
        self._suppressed = self._primary | self._required
        self._knowledge: ReaderKnowledge | None = None

    def publish(self) -> tuple[tuple[PublishedCell, ...], ...]:
        """Steps 2 and 3: check each c, adding complements until it is safe; then step 4."""
        worklist = sorted(self._suppressed, key=self._check_order)
        while worklist:
            position = worklist[0]
            if self._is_safe(position):
                worklist.pop(0)
                continue
            for complement in self._complements_for(position):
                self._suppressed.add(complement)
                worklist.append(complement)
            self._knowledge = None
        self._release_unneeded()
        return self._published()

    def _release_unneeded(self) -> None:
        """Step 4: show again, dearest first, each complement the table is safe without."""
        complements = sorted(
            self._suppressed - self._primary - self._required, key=self._cost_one, reverse=True
        )
        for complement in complements:
            self._suppressed.discard(complement)
            self._knowledge = None
            if not all(self._is_safe(p) for p in sorted(self._suppressed, key=self._check_order)):
                self._suppressed.add(complement)
                self._knowledge = None

    def _cost_one(self, position: Position) -> tuple[int, int, int, list[Position]]:
        return self._cost([position])

    def _check_order(self, position: Position) -> tuple[bool, Position]:
        """Totals first, then cells, each in grid order (see the module's notes)."""
        return not self._layout.is_total(position), position

    def _count(self, position: Position) -> Entry:
        return self._grid[position[0]][position[1]]

    def _shown(self, position: Position) -> bool:
        """A count that is still shown, so could still be suppressed (x and z never are)."""
        return isinstance(self._count(position), int) and position not in self._suppressed

    def _cost(self, positions: Sequence[Position]) -> tuple[int, int, int, list[Position]]:
        """The order complements are chosen in: fewer totals, then fewer zeros (a 0 beside a c
        tells a reader which way it can move), then the smallest sum of counts, then the first
        in the grid, so that the choice is deterministic."""
        counts = [self._count(p) for p in positions]
        return (
            sum(self._layout.is_total(p) for p in positions),
            sum(count == 0 for count in counts),
            sum(count for count in counts if isinstance(count, int)),
            sorted(positions),
        )

    def _is_safe(self, position: Position) -> bool:
        if self._alone_in_an_exact_line(position):
            return False  # the line's total less its other figures gives it away
        if self._knowledge is None:
            self._knowledge = ReaderKnowledge(self._layout, self._published(), self._rules)
        count = self._count(position)
        assert isinstance(count, int)
        # The true count is always possible, so a greatest value above it is enough to show
        # the figure is not determined; only otherwise is the least value needed.
        high = self._knowledge.greatest(position)
        if high is not None and high == count and self._knowledge.least(position) == count:
            return False
        if position in self._primary:
            return high is None or high > self._rules.largest_suppressed
        return True

    def _alone_in_an_exact_line(self, position: Position) -> bool:
        """A quick answer, without the linear programme, for the commonest case."""
        if self._rules.round_totals_to is not None:
            return False
        return any(
            not any(
                p != position and p in self._suppressed and isinstance(self._count(p), int)
                for p in line.entries
            )
            for line in self._layout.lines_through(position)
        )

    def _complements_for(self, position: Position) -> list[Position]:
        """The figures to suppress next to protect `position`: the cheapest rectangle of
        figures through it in a two-way table (a cycle: moving its corners up and down in
        turn keeps every row and column total), the cheapest other figure in its line in a
        one-way table; failing those, the cheapest figure shown in its row and column, then
        anywhere in the period."""
        if self._layout.two_way:
            rectangle = self._cheapest_rectangle(position)
            if rectangle:
                return rectangle
        near = sorted({p for line in self._layout.lines_through(position) for p in line.entries})
        for candidates in (near, list(self._layout.positions())):
            shown = [p for p in candidates if self._shown(p)]
            if shown:
                return [min(shown, key=self._cost_one)]
        # With every count suppressed no constraint bounds any c from above.
        raise SeenError("disclosure control found no figure left to suppress: this is a bug")

    def _cheapest_rectangle(self, position: Position) -> list[Position]:
        row, column = position
        n_rows, n_columns = self._layout.grid_shape
        best: list[Position] = []
        for other_row in range(n_rows):
            for other_column in range(n_columns):
                if other_row == row or other_column == column:
                    continue
                corners = [(row, other_column), (other_row, column), (other_row, other_column)]
                if not all(isinstance(self._count(p), int) for p in corners):
                    continue  # x and z are in no total: no cycle runs through them
                new = [p for p in corners if p not in self._suppressed]
                if new and (not best or self._cost(new) < self._cost(best)):
                    best = new
        return best

    def _published(self) -> tuple[tuple[PublishedCell, ...], ...]:
        n_rows, n_columns = self._layout.grid_shape
        return tuple(
            tuple(self._published_cell((r, c)) for c in range(n_columns)) for r in range(n_rows)
        )

    def _published_cell(self, position: Position) -> PublishedCell:
        count = self._count(position)
        if isinstance(count, Marker):
            return PublishedCell(None, count)
        if position in self._suppressed:
            return PublishedCell(None, Marker.CONFIDENTIAL)
        if self._layout.is_total(position):
            shown = self._rules.rounded(count)
            if shown == 0 and count > 0:
                return PublishedCell(None, Marker.LOW)
            return PublishedCell(shown)
        return PublishedCell(count)
