"""Hypothesis strategies for tables of counts: one or two dimensions of up to six categories,
sometimes over a few periods, with zeros, small counts, middling and large ones, and now and
then a cell with no count (x or z)."""

from __future__ import annotations

from hypothesis import strategies as st

from seen.report import Dimension, DisclosureRules, Marker, Table
from seen.report.table import Entry, Layout

COUNTS = st.one_of(
    st.just(0),
    st.integers(1, 5),
    st.integers(6, 20),
    st.integers(21, 100_000),
)
NO_COUNT = st.sampled_from([Marker.NOT_AVAILABLE, Marker.NOT_APPLICABLE])
# About one cell in fifteen has no count.
ENTRIES: st.SearchStrategy[Entry] = st.integers(0, 14).flatmap(
    lambda k: NO_COUNT if k == 0 else COUNTS
)
RULES = st.sampled_from(
    [
        DisclosureRules(),
        DisclosureRules(),
        DisclosureRules(round_totals_to=10),
        DisclosureRules(round_totals_to=5),
    ]
)


def dimension(name: str, size: int) -> Dimension:
    return Dimension(name, tuple(f"{name} {i}" for i in range(size)))


@st.composite
def tables(draw: st.DrawFn, max_side: int = 6, max_periods: int = 3) -> Table:
    rows = dimension("Row", draw(st.integers(1, max_side)))
    columns = draw(
        st.one_of(st.none(), st.integers(1, max_side).map(lambda n: dimension("Column", n)))
    )
    periods = draw(
        st.one_of(st.none(), st.integers(1, max_periods).map(lambda n: dimension("Period", n)))
    )
    n_periods = 1 if periods is None else len(periods.categories)
    n_columns = 1 if columns is None else len(columns.categories)
    counts = tuple(
        tuple(tuple(draw(ENTRIES) for _ in range(n_columns)) for _ in range(len(rows.categories)))
        for _ in range(n_periods)
    )
    return Table(
        id="generated",
        title="A generated table",
        unit="children",
        source="Hypothesis",
        layout=Layout(rows, columns, periods),
        counts=counts,
    )
