"""A table as published after disclosure control: each figure's value or marker, nothing else.

A protected table holds no suppressed value: what is not shown is not in it, so nothing built
on it (CSV, Excel, the dashboard, the public page) can leak a figure by mistake.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from seen.errors import InvalidInput
from seen.report.markers import Marker
from seen.report.rules import DisclosureRules
from seen.report.table import Dimension, Layout, Position


@dataclass(frozen=True)
class PublishedCell:
    value: int | None
    marker: Marker = Marker.NONE

    def __post_init__(self) -> None:
        if (self.value is None) != self.marker.hides_value:
            raise InvalidInput(
                f"a published figure has a value or a marker that hides it, not both: "
                f"{self.value!r} with {self.marker.value!r}"
            )
        if self.value is not None and self.value < 0:
            raise InvalidInput(f"a published count cannot be negative: {self.value}")

    @property
    def text(self) -> str:
        """The figure as a reader sees it: the number, or its marker."""
        return self.marker.value if self.value is None else str(self.value)


@dataclass(frozen=True)
class PublishedFigure:
    """One figure with where it is: the unit of the tidy CSV."""

    period: str | None
    row: str
    column: str | None
    cell: PublishedCell
    is_total: bool


@dataclass(frozen=True)
class ProtectedTable:
    id: str
    title: str
    unit: str
    source: str
    layout: Layout
    cells: tuple[tuple[tuple[PublishedCell, ...], ...], ...]  # [period][grid row][grid column]
    rules: DisclosureRules
    notes: tuple[str, ...] = ()  # the table's own footer notes, before the rules

    def __post_init__(self) -> None:
        n_rows, n_columns = self.layout.grid_shape
        if len(self.cells) != self.layout.period_count or any(
            len(grid) != n_rows or any(len(row) != n_columns for row in grid) for grid in self.cells
        ):
            raise InvalidInput(f"table {self.id}: the published cells do not fit its layout")
        for period in range(self.layout.period_count):
            for position in self.layout.positions():
                if self.cell(period, position).marker is Marker.LOW and not self.is_rounded(
                    position
                ):
                    where = self.layout.describe(period, position)
                    raise InvalidInput(
                        f"table {self.id}: {where}: only a rounded total can be marked low"
                    )

    @property
    def rows(self) -> Dimension:
        return self.layout.rows

    @property
    def columns(self) -> Dimension | None:
        return self.layout.columns

    @property
    def periods(self) -> Dimension | None:
        return self.layout.periods

    @property
    def footer(self) -> tuple[str, ...]:
        """The table's notes, then the rules it was published under."""
        return self.notes + self.rules.statement()

    @property
    def legend(self) -> tuple[Marker, ...]:
        return self.rules.legend()

    def cell(self, period: int, position: Position) -> PublishedCell:
        row, column = position
        return self.cells[period][row][column]

    def is_rounded(self, position: Position) -> bool:
        return self.rules.round_totals_to is not None and self.layout.is_total(position)

    def figures(self) -> Iterator[PublishedFigure]:
        """Every figure, period by period, row by row, totals after what they add up."""
        layout = self.layout
        for period in range(layout.period_count):
            for position in layout.positions():
                yield PublishedFigure(
                    period=layout.period_label(period),
                    row=layout.row_label(position),
                    column=layout.column_label(position),
                    cell=self.cell(period, position),
                    is_total=layout.is_total(position),
                )
