"""What a reader could work out about each suppressed figure from what is published.

The reader's knowledge, period by period (nothing is added up across periods):

- a figure shown exactly is a constant; so is a figure marked x or z, which no total counts;
- a total shown rounded lies in the interval that rounds to it (0 is a true zero), and a
  total marked `low` lies between 1 and the largest value that rounds to 0;
- a figure marked c is any count, 0 or more;
- in every row and column of the grid, the members add up to the total.

For each figure marked c, `feasible_ranges` minimises and maximises it over everything that
satisfies those constraints (a linear programme, solved by SciPy's HiGHS). The figure can be
worked out exactly when the minimum equals the maximum. The constraint matrix of a table's
rows and columns with their totals is a network matrix (cells are arcs from row nodes to column
nodes; totals are the arcs to and from a source and a sink), so it is totally unimodular: with
whole-number bounds the extreme values are whole numbers, and the check is exact for counts,
not only for real numbers.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
from scipy.optimize import linprog

from seen.errors import InvalidInput, SeenError
from seen.report.markers import Marker
from seen.report.published import ProtectedTable, PublishedCell
from seen.report.rules import DisclosureRules
from seen.report.table import Layout, Position

# A figure in one of several grids: (the grid's key, its position there).
Figure = tuple[Hashable, Position]

# HiGHS works in floating point; its answers for whole-number problems are within this of one.
_TOLERANCE = 1e-6


@dataclass(frozen=True)
class FeasibleRange:
    """The values a suppressed figure could take, given everything published."""

    period: int
    position: Position
    where: str
    low: int
    high: int | None  # None: no upper limit

    @property
    def exact(self) -> bool:
        return self.high == self.low


def feasible_ranges(table: ProtectedTable) -> list[FeasibleRange]:
    """The range of every figure marked c, period by period, in grid order."""
    ranges = []
    for period, grid in enumerate(table.cells):
        knowledge = ReaderKnowledge(table.layout, grid, table.rules)
        for position in table.layout.positions():
            if table.cell(period, position).marker is Marker.CONFIDENTIAL:
                low, high = knowledge.range_of(position)
                where = table.layout.describe(period, position)
                ranges.append(FeasibleRange(period, position, where, low, high))
    return ranges


def recoverable_cells(table: ProtectedTable) -> list[FeasibleRange]:
    """The figures marked c whose value the published figures and totals determine exactly:
    empty for a safely protected table."""
    return [found for found in feasible_ranges(table) if found.exact]


class ReaderKnowledge:
    """Published figures as linear constraints on the figures not shown: one period's grid,
    or (`joint`) several grids together, with the figures two of them both publish (a total
    that two tables share) constrained to be equal."""

    def __init__(
        self,
        layout: Layout,
        grid: Sequence[Sequence[PublishedCell]],
        rules: DisclosureRules,
    ) -> None:
        self._build([(None, layout, grid)], rules, ())

    @classmethod
    def joint(
        cls,
        grids: Sequence[tuple[Hashable, Layout, Sequence[Sequence[PublishedCell]]]],
        rules: DisclosureRules,
        same: Sequence[tuple[Figure, Figure]],
    ) -> ReaderKnowledge:
        """What a reader knows from every grid in `grids` (each named by a key) at once, where
        each pair in `same` names one count published in two places. Positions are then
        asked about as `(key, position)`."""
        knowledge = cls.__new__(cls)
        knowledge._build(grids, rules, same)
        return knowledge

    def _build(
        self,
        grids: Sequence[tuple[Hashable, Layout, Sequence[Sequence[PublishedCell]]]],
        rules: DisclosureRules,
        same: Sequence[tuple[Figure, Figure]],
    ) -> None:
        self._single = len(grids) == 1 and grids[0][0] is None
        self._variables: dict[Figure, int] = {}
        bounds: list[tuple[float, float | None]] = []
        constants: dict[Figure, int] = {}
        equations: list[list[tuple[Figure, int]]] = []
        for key, layout, grid in grids:
            for position in layout.positions():
                cell = grid[position[0]][position[1]]
                known = _what_is_known(cell, rules, layout.is_total(position))
                if isinstance(known, int):
                    constants[(key, position)] = known
                else:
                    self._variables[(key, position)] = len(bounds)
                    bounds.append(known)
            for line in layout.lines():
                equations.append([*(((key, m), 1) for m in line.members), ((key, line.total), -1)])
        equations.extend([(a, 1), (b, -1)] for a, b in same)
        self._bounds = bounds
        rows: list[np.ndarray] = []
        rhs: list[float] = []
        for equation in equations:
            if not any(figure in self._variables for figure, _ in equation):
                continue
            coefficients = np.zeros(len(bounds))
            constant = 0
            for figure, sign in equation:
                if figure in self._variables:
                    coefficients[self._variables[figure]] += sign
                else:
                    constant += sign * constants[figure]
            rows.append(coefficients)
            rhs.append(-constant)
        self._a_eq = np.array(rows) if rows else None
        self._b_eq = np.array(rhs) if rows else None

    def range_of(self, position: Position | Figure) -> tuple[int, int | None]:
        """The least and greatest whole values the figure at `position` can take (in a
        joint knowledge, `position` is `(key, position)`)."""
        return self.least(position), self.greatest(position)

    def least(self, position: Position | Figure) -> int:
        least = self._solve(self._objective(position, 1.0))
        assert least is not None  # every figure is 0 or more
        return math.ceil(least - _TOLERANCE)

    def greatest(self, position: Position | Figure) -> int | None:
        """None when nothing published limits the figure from above."""
        negated = self._solve(self._objective(position, -1.0))
        return None if negated is None else math.floor(-negated + _TOLERANCE)

    def _objective(self, position: Position | Figure, sign: float) -> np.ndarray:
        figure = cast(Figure, (None, position) if self._single else position)
        objective = np.zeros(len(self._bounds))
        objective[self._variables[figure]] = sign
        return objective

    def _solve(self, objective: np.ndarray) -> float | None:
        """The minimum of the objective, or None when it has no lower limit."""
        result = linprog(
            objective, A_eq=self._a_eq, b_eq=self._b_eq, bounds=self._bounds, method="highs"
        )
        if result.status == 0:
            return float(result.fun)
        if result.status == 3:
            return None
        if result.status == 2:
            raise InvalidInput(
                "the published figures contradict each other: no counts fit them all"
            )
        raise SeenError(f"the disclosure check could not be solved: {result.message}")


def _what_is_known(
    cell: PublishedCell, rules: DisclosureRules, is_total: bool
) -> int | tuple[float, float | None]:
    """A figure's published value, or the bounds a reader knows it lies within."""
    if cell.marker in (Marker.NOT_AVAILABLE, Marker.NOT_APPLICABLE):
        return 0  # counted in no total
    if cell.marker is Marker.CONFIDENTIAL:
        return (0.0, None)
    if cell.marker is Marker.LOW:
        _, high = rules.rounding_interval(0)
        return (1.0, float(high))
    assert cell.value is not None
    if is_total and rules.round_totals_to is not None and cell.value > 0:
        low, high = rules.rounding_interval(cell.value)
        return (float(low), float(high))
    return cell.value
