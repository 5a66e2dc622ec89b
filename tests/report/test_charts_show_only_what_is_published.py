"""The dashboard's charts are drawn from the published table only: a figure marked c is never
a bar or a point, every figure shown is written out, and each chart is an image named for its
table."""

from __future__ import annotations

import re

from seen.report.charts import bar_chart, time_series_chart
from seen.report.disclosure import protect
from seen.report.table import Dimension, Table

ROUTES = Dimension("Route", ("School", "Assessment"))
YEARS = Dimension("Year", ("2024", "2025", "2026"))


def published() -> object:
    return protect(
        Table.from_counts(
            id="young_carers_by_year",
            title="Young carers identified, by route and year",
            unit="children",
            source="test",
            rows=ROUTES,
            columns=YEARS,
            counts={
                ("School", "2024"): 14,
                ("School", "2025"): 3,
                ("School", "2026"): 20,
                ("Assessment", "2024"): 9,
                ("Assessment", "2025"): 12,
                ("Assessment", "2026"): 8,
            },
        )
    )


def test_a_suppressed_figure_is_no_bar_and_no_point() -> None:
    table = published()
    hidden = [f for f in table.figures() if f.cell.value is None and not f.is_total]  # type: ignore[attr-defined]
    assert hidden  # the 3 and what protects it
    bars = bar_chart(table, "c1")  # type: ignore[arg-type]
    assert 'role="img"' in bars and '<title id="c1-title">Young carers identified' in bars
    drawn = re.findall(r'<rect x="200" y="[\d.]+" width="([\d.]+)"', str(bars))
    shown = [f for f in table.figures() if f.cell.value and not f.is_total]  # type: ignore[attr-defined]
    assert len(drawn) == len(shown)  # a bar for each figure above 0, none for a c
    assert ">3<" not in bars
    line = time_series_chart(table, "c2")  # type: ignore[arg-type]
    assert str(line).count("<circle") == len(
        [f for f in table.figures() if f.cell.value is not None and not f.is_total]  # type: ignore[attr-defined]
    )
    for figure in hidden:
        assert f"{figure.column} c" in line  # named under its line's legend, not drawn
    assert ">3<" not in line
