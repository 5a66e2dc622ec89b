"""Small tables for the example tests, written as they would be printed."""

from __future__ import annotations

from collections.abc import Sequence

from seen.report import Dimension, ProtectedTable, Table
from seen.report.table import Entry, Layout


def table(
    counts: Sequence[Sequence[Entry]],
    *,
    two_way: bool = True,
    footer: Sequence[str] = (),
) -> Table:
    """A one-period table; a one-way table's counts are given one per row."""
    rows = Dimension("Area", tuple(f"Area {chr(65 + i)}" for i in range(len(counts))))
    columns = (
        Dimension("Route", tuple(f"Route {i + 1}" for i in range(len(counts[0]))))
        if two_way
        else None
    )
    return Table(
        id="example",
        title="Young carers identified, by area and route",
        unit="children",
        source="Seen hub, synthetic partnership",
        layout=Layout(rows, columns),
        counts=(tuple(tuple(row) for row in counts),),
        footer=tuple(footer),
    )


def one_way(counts: Sequence[Entry]) -> Table:
    return table([[count] for count in counts], two_way=False)


def printed(published: ProtectedTable, period: int = 0) -> list[list[str]]:
    """The grid as a reader sees it, totals included."""
    return [[cell.text for cell in row] for row in published.cells[period]]
