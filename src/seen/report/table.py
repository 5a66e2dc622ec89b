"""A table of counts to publish: one or two categorical dimensions, optionally over time.

A table counts one thing (its unit: requests, children, prompts) by the categories of its row
dimension and, for a two-way table, of its column dimension. Seen adds the totals itself, so
they always agree with the cells: a total for each row and each column and a grand total (a
one-way table has the grand total only). Aggregates are labelled `Total`, as in the DfE's open
data standards.

A time dimension stacks periods: each period is a table of its own with its own totals, and
nothing is added up across periods (a monthly series publishes each month, not a sum of months;
put time in the row or column dimension instead where a total over time is wanted).

A cell holds a count (an int, 0 or more) or, where there is no count at all, the marker `x`
(not available) or `z` (not applicable). Totals add up the counts and leave those cells out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import product

from seen.errors import InvalidInput
from seen.report.markers import NO_COUNT, Marker

TOTAL = "Total"

# An input cell: a count, or x / z where there is no count.
Entry = int | Marker

# A place in one period's grid of cells and totals: (row, column). Row `len(rows.categories)`
# is the row of column totals; column `len(columns.categories)` is the column of row totals.
Position = tuple[int, int]

# Lower case, digits and underscores, at most 31 characters: a table id is also an Excel sheet
# name (31 characters at most) and an identifier in the tidy CSV (snake case, as the DfE asks).
_TABLE_ID = re.compile(r"[a-z][a-z0-9_]{0,30}")
# A spreadsheet reads text starting with one of these as a formula ("CSV injection"): no
# label, title or note may start with one.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel keeps this sheet for the list of tables (sheet names are not case sensitive).
RESERVED_IDS = frozenset({"contents"})


@dataclass(frozen=True)
class Dimension:
    """A way of breaking a count down: its name ("Purpose") and its categories, in order."""

    name: str
    categories: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidInput("a dimension needs a name")
        if not self.categories:
            raise InvalidInput(f"dimension {self.name!r} has no categories")
        _check_text(f"dimension {self.name!r}", "name", self.name)
        for category in self.categories:
            if not category.strip():
                raise InvalidInput(f"dimension {self.name!r} has an empty category")
            _check_text(f"dimension {self.name!r}", "category", category)
            if category.casefold() == TOTAL.casefold():
                raise InvalidInput(
                    f"dimension {self.name!r}: {category!r} is kept for the totals Seen adds"
                )
        duplicates = sorted({c for c in self.categories if self.categories.count(c) > 1})
        if duplicates:
            raise InvalidInput(f"dimension {self.name!r} repeats categories: {duplicates}")


@dataclass(frozen=True)
class Line:
    """Entries that add up to a total: a row or a column of the grid, totals included."""

    members: tuple[Position, ...]
    total: Position

    @property
    def entries(self) -> tuple[Position, ...]:
        return (*self.members, self.total)


@dataclass(frozen=True)
class Layout:
    """The shape of a table: its dimensions, the grid of cells and totals, and its lines."""

    rows: Dimension
    columns: Dimension | None = None
    periods: Dimension | None = None

    @property
    def two_way(self) -> bool:
        return self.columns is not None

    @property
    def period_count(self) -> int:
        return 1 if self.periods is None else len(self.periods.categories)

    @property
    def cell_rows(self) -> int:
        return len(self.rows.categories)

    @property
    def cell_columns(self) -> int:
        return 1 if self.columns is None else len(self.columns.categories)

    @property
    def grid_shape(self) -> tuple[int, int]:
        """Rows and columns of a period's grid: the cells plus the totals Seen adds."""
        return self.cell_rows + 1, self.cell_columns + (1 if self.two_way else 0)

    def positions(self) -> Iterator[Position]:
        """Every place in a period's grid, row by row, totals after the cells they add up."""
        n_rows, n_columns = self.grid_shape
        return iter(product(range(n_rows), range(n_columns)))

    def is_total(self, position: Position) -> bool:
        row, column = position
        return row == self.cell_rows or (self.two_way and column == self.cell_columns)

    def lines(self) -> tuple[Line, ...]:
        """The additive structure: every row and column of the grid, the totals' own included
        (the column totals add up to the grand total, and so do the row totals)."""
        n_rows, n_columns = self.grid_shape
        total_row = n_rows - 1
        columns = tuple(
            Line(tuple((r, c) for r in range(total_row)), (total_row, c)) for c in range(n_columns)
        )
        if not self.two_way:
            return columns
        total_column = n_columns - 1
        rows = tuple(
            Line(tuple((r, c) for c in range(total_column)), (r, total_column))
            for r in range(n_rows)
        )
        return rows + columns

    def lines_through(self, position: Position) -> tuple[Line, ...]:
        return tuple(line for line in self.lines() if position in line.entries)

    def row_label(self, position: Position) -> str:
        row = position[0]
        return TOTAL if row == self.cell_rows else self.rows.categories[row]

    def column_label(self, position: Position) -> str | None:
        if self.columns is None:
            return None
        column = position[1]
        return TOTAL if column == self.cell_columns else self.columns.categories[column]

    def period_label(self, period: int) -> str | None:
        return None if self.periods is None else self.periods.categories[period]

    def describe(self, period: int, position: Position) -> str:
        """Where a figure is, in words, for messages: "2025-26, Purpose Safeguarding, ..."."""
        parts = [] if self.periods is None else [f"{self.periods.name} {self.period_label(period)}"]
        parts.append(f"{self.rows.name} {self.row_label(position)}")
        if self.columns is not None:
            parts.append(f"{self.columns.name} {self.column_label(position)}")
        return ", ".join(parts)


def _line_total(entries: Sequence[Entry]) -> Entry:
    counts = [entry for entry in entries if isinstance(entry, int)]
    if counts:
        return sum(counts)
    # No count at all: not applicable only if nothing in the line could ever be counted.
    if all(entry is Marker.NOT_APPLICABLE for entry in entries):
        return Marker.NOT_APPLICABLE
    return Marker.NOT_AVAILABLE


@dataclass(frozen=True)
class Table:
    """A table of counts before disclosure control: never published as it is."""

    id: str
    title: str
    unit: str  # what is counted, plural: "requests", "children"
    source: str
    layout: Layout
    counts: tuple[tuple[tuple[Entry, ...], ...], ...]  # [period][row][column]
    footer: tuple[str, ...] = ()  # the table's own notes: definitions, coverage

    def __post_init__(self) -> None:
        if not _TABLE_ID.fullmatch(self.id) or self.id in RESERVED_IDS:
            raise InvalidInput(
                f"table id {self.id!r} must be lower case letters, digits and underscores, "
                "start with a letter, be at most 31 characters and not be 'contents'"
            )
        for field in ("title", "unit", "source"):
            if not getattr(self, field).strip():
                raise InvalidInput(f"table {self.id}: the {field} is empty")
            _check_text(f"table {self.id}", field, getattr(self, field))
        for note in self.footer:
            _check_text(f"table {self.id}", "footer note", note)
        layout = self.layout
        if len(self.counts) != layout.period_count:
            raise InvalidInput(
                f"table {self.id}: {len(self.counts)} periods of counts for "
                f"{layout.period_count} periods"
            )
        for p, rows in enumerate(self.counts):
            if len(rows) != layout.cell_rows:
                raise InvalidInput(
                    f"table {self.id}: period {p} has {len(rows)} rows, not {layout.cell_rows}"
                )
            for r, row in enumerate(rows):
                if len(row) != layout.cell_columns:
                    raise InvalidInput(
                        f"table {self.id}: period {p} row {r} has {len(row)} cells, "
                        f"not {layout.cell_columns}"
                    )
                for c, entry in enumerate(row):
                    if not _valid_entry(entry):
                        raise InvalidInput(
                            f"table {self.id}: {layout.describe(p, (r, c))}: {entry!r} is not "
                            "a count (a whole number, 0 or more) nor the marker x or z"
                        )

    @classmethod
    def from_counts(
        cls,
        *,
        id: str,
        title: str,
        unit: str,
        source: str,
        rows: Dimension,
        columns: Dimension | None = None,
        periods: Dimension | None = None,
        counts: Mapping[tuple[str, ...], Entry],
        footer: Sequence[str] = (),
    ) -> Table:
        """A table from counts keyed by category: (period, row, column), leaving out the
        dimensions the table does not have. A combination not in `counts` counted nothing (0),
        which is how a GROUP BY leaves it."""
        layout = Layout(rows, columns, periods)
        dimensions = [d for d in (periods, rows, columns) if d is not None]
        index = [{category: i for i, category in enumerate(d.categories)} for d in dimensions]
        grid: list[list[list[Entry]]] = [
            [[0] * layout.cell_columns for _ in range(layout.cell_rows)]
            for _ in range(layout.period_count)
        ]
        for key, entry in counts.items():
            if len(key) != len(dimensions):
                names = ", ".join(d.name for d in dimensions)
                raise InvalidInput(f"table {id}: count key {key!r} is not one of ({names})")
            at: list[int] = []
            for dimension, lookup, category in zip(dimensions, index, key, strict=True):
                if category not in lookup:
                    raise InvalidInput(
                        f"table {id}: {category!r} in count key {key!r} is not a category of "
                        f"{dimension.name}"
                    )
                at.append(lookup[category])
            period = at.pop(0) if periods is not None else 0
            row = at[0]
            column = at[1] if columns is not None else 0
            grid[period][row][column] = entry
        return cls(
            id=id,
            title=title,
            unit=unit,
            source=source,
            layout=layout,
            counts=tuple(tuple(tuple(row) for row in rows_) for rows_ in grid),
            footer=tuple(footer),
        )

    def grid(self, period: int) -> tuple[tuple[Entry, ...], ...]:
        """One period's cells with the totals added: see `Layout.positions`."""
        cells = [list(row) for row in self.counts[period]]
        if self.layout.two_way:
            for row in cells:
                row.append(_line_total(row[:]))
        n_columns = len(cells[0])
        cells.append([_line_total([row[c] for row in cells]) for c in range(n_columns)])
        return tuple(tuple(row) for row in cells)


def _check_text(owner: str, field: str, text: str) -> None:
    if text.startswith(_FORMULA_STARTS):
        raise InvalidInput(
            f"{owner}: the {field} {text!r} starts with {text[0]!r}, which a spreadsheet would "
            "read as a formula"
        )


def _valid_entry(entry: object) -> bool:
    if isinstance(entry, Marker):
        return entry in NO_COUNT
    return isinstance(entry, int) and not isinstance(entry, bool) and entry >= 0
