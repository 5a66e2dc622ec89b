"""Disclosure control across tables that publish the same counts.

Two tables of a report often share figures: the records asked for, by holding agency, are the
row totals of one table and the column totals of another; the children in a fairness
evaluation are counted by ethnic group in one table and by deprivation quintile in another,
with the same column totals. Protected one by one, a total one table hides could be shown in
the other, and even when both hide it, what each table says about it can together pin it down
(one allows 3 to 8, the other 0 to 3: it is 3).

`protect_linked(tables, links)` protects each table as `protect` does, then checks every
figure marked c against everything published in all the tables linked to its own, as one
linear programme in which each shared figure is one unknown (`ReaderKnowledge.joint`). While
some figure is not safe (worked out exactly, or, for a count of 1 to 5, known to be at most 5),
one more figure is suppressed, by a fixed rule, and the table holding it is protected again
around it:

1. the same count where another table shows it;
2. otherwise the cheapest figure still shown in the unsafe figure's own row or column (cells
   before totals, then non-zero before zero, then the smallest count, then grid order);
3. otherwise the cheapest figure shown anywhere in its table, then in any table linked to it.

A figure suppressed this way is never shown again, so the loop ends: at worst everything is
suppressed, and then nothing bounds anything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from seen.errors import SeenError
from seen.report.disclosure import protect
from seen.report.markers import Marker
from seen.report.published import ProtectedTable
from seen.report.recovery import ReaderKnowledge
from seen.report.rules import DisclosureRules
from seen.report.table import TOTAL, Entry, Layout, Position, Table

Along = Literal["rows", "columns"]


@dataclass(frozen=True, order=True)
class Place:
    """A figure of a report: its table, period and position in the period's grid."""

    table: str
    period: int
    position: Position


@dataclass(frozen=True)
class SharedMargin:
    """Table `a`'s totals along one side are table `b`'s along one side: the same counts,
    category by category, grand total included. `along="columns"` means the total of each
    column (the totals row); `"rows"`, the total of each row (for a one-way table: its cells,
    each row's only figure)."""

    a: str
    a_along: Along
    b: str
    b_along: Along


def protect_linked(
    tables: Sequence[Table],
    links: Sequence[SharedMargin] = (),
    rules: DisclosureRules | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[ProtectedTable]:
    """Every table protected so that no figure marked c can be worked out, or shown to be
    small, from all the tables together. Links naming a table not in `tables` are ignored.
    `progress(done, of)` hears of each table protected, then of each linked group checked."""
    rules = rules or DisclosureRules()
    by_id = {table.id: table for table in tables}
    same = [
        pair
        for link in links
        if link.a in by_id and link.b in by_id
        for pair in _pairs(link, by_id)
    ]
    count_of = _Counts(tables)
    for a, b in same:
        if count_of(a) != count_of(b):
            raise SeenError(f"linked figures differ: {a} and {b}: this is a bug")
    partner: defaultdict[Place, list[Place]] = defaultdict(list)
    for a, b in same:
        partner[a].append(b)
        partner[b].append(a)
    required: defaultdict[str, defaultdict[int, set[Position]]] = defaultdict(
        lambda: defaultdict(set)
    )
    protected = {}
    for done, table in enumerate(tables):
        if progress is not None:
            progress(done, len(tables))
        protected[table.id] = protect(table, rules)
    groups = _linked_groups(by_id, same)
    for done, group in enumerate(groups):
        if progress is not None:
            progress(done, len(groups))
        while (unsafe := _first_unsafe(group, count_of, protected, same, rules)) is not None:
            place = _next_to_suppress(unsafe, group, count_of, protected, partner)
            required[place.table][place.period].add(place.position)
            protected[place.table] = protect(by_id[place.table], rules, required[place.table])
    if progress is not None:
        progress(len(groups), len(groups))
    return [protected[table.id] for table in tables]


def margin(layout: Layout, along: Along) -> dict[str, Position]:
    """The totals along one side of a table, by category label, the grand total as Total."""
    n_rows, n_columns = layout.grid_shape
    if along == "columns":
        if layout.columns is None:
            return {TOTAL: (n_rows - 1, 0)}
        labels = (*layout.columns.categories, TOTAL)
        return {label: (n_rows - 1, c) for c, label in enumerate(labels)}
    labels = (*layout.rows.categories, TOTAL)
    return {label: (r, n_columns - 1) for r, label in enumerate(labels)}


def _pairs(link: SharedMargin, by_id: dict[str, Table]) -> list[tuple[Place, Place]]:
    a, b = by_id[link.a], by_id[link.b]
    if a.layout.period_count != b.layout.period_count:
        raise SeenError(f"tables {a.id} and {b.id} are linked but have different periods")
    side_a, side_b = margin(a.layout, link.a_along), margin(b.layout, link.b_along)
    if set(side_a) != set(side_b):
        raise SeenError(
            f"tables {a.id} and {b.id} are linked along sides with different categories: "
            f"{sorted(set(side_a) ^ set(side_b))}"
        )
    return [
        (Place(a.id, period, side_a[label]), Place(b.id, period, side_b[label]))
        for period in range(a.layout.period_count)
        for label in side_a
    ]


class _Counts:
    """The true count at any place of the tables: each period's grid, totals added, made once."""

    def __init__(self, tables: Sequence[Table]) -> None:
        self._grids = {
            (table.id, period): table.grid(period)
            for table in tables
            for period in range(table.layout.period_count)
        }

    def __call__(self, place: Place) -> Entry:
        row, column = place.position
        return self._grids[(place.table, place.period)][row][column]


def _linked_groups(by_id: dict[str, Table], same: Sequence[tuple[Place, Place]]) -> list[list[str]]:
    """The tables joined by shared figures, in groups of two or more (union-find)."""
    parent = {table_id: table_id for table_id in by_id}

    def root(table_id: str) -> str:
        while parent[table_id] != table_id:
            table_id = parent[table_id]
        return table_id

    for a, b in same:
        parent[root(a.table)] = root(b.table)
    groups: defaultdict[str, list[str]] = defaultdict(list)
    for table_id in by_id:
        groups[root(table_id)].append(table_id)
    return [group for group in groups.values() if len(group) > 1]


def _first_unsafe(
    group: Sequence[str],
    count_of: _Counts,
    protected: dict[str, ProtectedTable],
    same: Sequence[tuple[Place, Place]],
    rules: DisclosureRules,
) -> Place | None:
    """The first figure marked c in the group (totals first) that the group's tables
    together give away, or None."""
    members = set(group)
    grids = [
        ((table_id, period), protected[table_id].layout, protected[table_id].cells[period])
        for table_id in group
        for period in range(protected[table_id].layout.period_count)
    ]
    knowledge = ReaderKnowledge.joint(
        grids,
        rules,
        [
            (((a.table, a.period), a.position), ((b.table, b.period), b.position))
            for a, b in same
            if a.table in members
        ],
    )
    suppressed = sorted(
        (
            Place(table_id, period, position)
            for table_id, period, position in _positions(group, protected)
            if protected[table_id].cell(period, position).marker is Marker.CONFIDENTIAL
        ),
        key=lambda place: (not protected[place.table].layout.is_total(place.position), place),
    )
    for place in suppressed:
        count = count_of(place)
        assert isinstance(count, int)
        figure = ((place.table, place.period), place.position)
        high = knowledge.greatest(figure)
        if high is not None and high == count and knowledge.least(figure) == count:
            return place
        if rules.is_small(count) and high is not None and high <= rules.largest_suppressed:
            return place
    return None


def _positions(
    group: Sequence[str], protected: dict[str, ProtectedTable]
) -> list[tuple[str, int, Position]]:
    return [
        (table_id, period, position)
        for table_id in group
        for period in range(protected[table_id].layout.period_count)
        for position in protected[table_id].layout.positions()
    ]


def _next_to_suppress(
    unsafe: Place,
    group: Sequence[str],
    count_of: _Counts,
    protected: dict[str, ProtectedTable],
    partner: dict[Place, list[Place]],
) -> Place:
    """One more figure to suppress for `unsafe`, by the rule in the module's notes."""

    def shown(place: Place) -> bool:
        cell = protected[place.table].cell(place.period, place.position)
        return cell.marker is Marker.NONE and isinstance(count_of(place), int)

    def cost(place: Place) -> tuple[bool, bool, int, Place]:
        count = count_of(place)
        assert isinstance(count, int)
        return protected[place.table].layout.is_total(place.position), count == 0, count, place

    layout = protected[unsafe.table].layout
    in_lines = [
        Place(unsafe.table, unsafe.period, position)
        for line in layout.lines_through(unsafe.position)
        for position in line.entries
    ]
    in_table = [
        Place(table_id, period, position)
        for table_id, period, position in _positions([unsafe.table], protected)
    ]
    in_group = [Place(*where) for where in _positions(group, protected)]
    for candidates in (partner.get(unsafe, []), in_lines, in_table, in_group):
        still_shown = [place for place in candidates if shown(place)]
        if still_shown:
            return min(still_shown, key=cost)
    raise SeenError("linked disclosure control found no figure left to suppress: this is a bug")
