"""Charts for the dashboard: a published table drawn as horizontal bars, in SVG.

Drawn on the server from the protected table only, so a chart can show nothing the table
does not: a suppressed figure is a gap labelled `c` (or its marker), never a bar. Every
figure's value is written beside its bar, the colours come with a legend in words, and the
page puts the table itself next to the chart as its alternative (WCAG 1.1.1): the SVG is an
image with a title and a description, and screen readers are pointed at the table.

No script and no style attributes: the app's Content-Security-Policy allows neither inline,
and SVG's presentation attributes (fill, x, width) need neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from markupsafe import Markup, escape

from seen.report.published import ProtectedTable

# GOV.UK Design System colours with at least 3:1 contrast against white (WCAG 1.4.11), in an
# order where neighbours differ in hue and lightness.
COLOURS: Final = ("#1d70b8", "#d4351c", "#00703c", "#912b88", "#505a5f", "#003078", "#b58840")

WIDTH: Final = 640
LABEL_WIDTH: Final = 200  # the category names, left of the bars
VALUE_ROOM: Final = 40  # right of the longest bar, for its figure
BAR: Final = 14
GAP: Final = 10  # between groups of bars
LEGEND_ROW: Final = 22


@dataclass(frozen=True)
class Bar:
    series: int  # which column (colour) of the table
    value: int | None  # None: not shown (suppressed, not available, not applicable)
    text: str  # the figure as the table shows it


@dataclass(frozen=True)
class Group:
    label: str
    bars: tuple[Bar, ...]


def bar_groups(table: ProtectedTable, period: int = 0) -> tuple[tuple[str, ...], list[Group]]:
    """The table's series (column categories, or its unit for a one-way table) and one group
    of bars per row category, leaving the totals out."""
    layout = table.layout
    rows = layout.rows.categories
    series = layout.columns.categories if layout.columns is not None else (table.unit,)
    groups = []
    for r, label in enumerate(rows):
        bars = []
        for c in range(len(series)):
            cell = table.cell(period, (r, c))
            bars.append(Bar(c, cell.value, cell.text))
        groups.append(Group(label, tuple(bars)))
    return tuple(series), groups


def bar_chart(table: ProtectedTable, chart_id: str, period: int = 0) -> Markup:
    """The table as an SVG image of horizontal bars, with a legend when it has columns."""
    series, groups = bar_groups(table, period)
    largest = max((b.value or 0 for g in groups for b in g.bars), default=0) or 1
    scale = (WIDTH - LABEL_WIDTH - VALUE_ROOM) / largest
    legend_height = LEGEND_ROW * len(series) if len(series) > 1 else 0
    group_height = BAR * len(series) + GAP
    height = legend_height + group_height * len(groups) + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'class="seen-chart" focusable="false">',
        f'<title id="{chart_id}-title">{escape(table.title)}</title>',
        f'<desc id="{chart_id}-desc">A bar chart of the table below, which gives every '
        f"figure. Figures not shown are marked c, x or z there.</desc>",
    ]
    if len(series) > 1:
        for s, name in enumerate(series):
            y = s * LEGEND_ROW
            parts.append(
                f'<rect x="0" y="{y + 3}" width="14" height="14" fill="{_colour(s)}"/>'
                f'<text x="20" y="{y + 15}" font-size="14" fill="#0b0c0c">{escape(name)}</text>'
            )
    y = legend_height + GAP
    for group in groups:
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR * len(series) / 2 + 5:.0f}" '
            f'font-size="14" text-anchor="end" fill="#0b0c0c">{escape(_short(group.label))}</text>'
        )
        for bar in group.bars:
            length = (bar.value or 0) * scale
            if bar.value:
                parts.append(
                    f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR - 2}" '
                    f'fill="{_colour(bar.series)}"/>'
                )
            parts.append(
                f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{y + BAR - 3}" font-size="12" '
                f'fill="#0b0c0c">{escape(bar.text)}</text>'
            )
            y += BAR
        y += GAP
    parts.append("</svg>")
    return Markup("".join(parts))


def _colour(series: int) -> str:
    return COLOURS[series % len(COLOURS)]


def _short(label: str, most: int = 28) -> str:
    return label if len(label) <= most else label[: most - 1] + "\u2026"


# A time series: one line per row of the table, across its columns (periods, in order).
PLOT_LEFT: Final = 60
PLOT_TOP: Final = 20
PLOT_WIDTH: Final = 560
PLOT_HEIGHT: Final = 240


def time_series_chart(table: ProtectedTable, chart_id: str, period: int = 0) -> Markup:
    """The table as an SVG line chart: its columns (years, say) along the bottom, a line per
    row category, each point labelled with its figure. A figure not shown breaks the line and
    is labelled with its marker at the foot of the chart, never plotted."""
    layout = table.layout
    columns = layout.columns.categories if layout.columns is not None else (table.unit,)
    _, groups = bar_groups(table, period)
    largest = max((b.value or 0 for g in groups for b in g.bars), default=0) or 1
    step = PLOT_WIDTH / max(len(columns) - 1, 1)
    legend_top = PLOT_TOP + PLOT_HEIGHT + 40
    height = legend_top + LEGEND_ROW * len(groups) + GAP

    def x(c: int) -> float:
        return PLOT_LEFT + c * step

    def y(value: int) -> float:
        return PLOT_TOP + PLOT_HEIGHT - value * PLOT_HEIGHT / largest

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'class="seen-chart" focusable="false">',
        f'<title id="{chart_id}-title">{escape(table.title)}</title>',
        f'<desc id="{chart_id}-desc">A line chart of the table below, which gives every '
        f"figure. Figures not shown are marked c, x or z there.</desc>",
        f'<line x1="{PLOT_LEFT}" y1="{PLOT_TOP + PLOT_HEIGHT}" x2="{PLOT_LEFT + PLOT_WIDTH}" '
        f'y2="{PLOT_TOP + PLOT_HEIGHT}" stroke="#505a5f"/>',
        f'<line x1="{PLOT_LEFT}" y1="{PLOT_TOP}" x2="{PLOT_LEFT}" '
        f'y2="{PLOT_TOP + PLOT_HEIGHT}" stroke="#505a5f"/>',
        f'<text x="{PLOT_LEFT - 6}" y="{PLOT_TOP + 5}" font-size="12" text-anchor="end" '
        f'fill="#0b0c0c">{largest}</text>',
        f'<text x="{PLOT_LEFT - 6}" y="{PLOT_TOP + PLOT_HEIGHT + 4}" font-size="12" '
        f'text-anchor="end" fill="#0b0c0c">0</text>',
    ]
    for c, name in enumerate(columns):
        parts.append(
            f'<text x="{x(c):.1f}" y="{PLOT_TOP + PLOT_HEIGHT + 18}" font-size="12" '
            f'text-anchor="middle" fill="#0b0c0c">{escape(name)}</text>'
        )
    for r, group in enumerate(groups):
        colour = _colour(r)
        run: list[str] = []
        hidden: list[str] = []
        for c, bar in enumerate(group.bars):
            if bar.value is None:
                hidden.append(f"{columns[c]} {bar.text}")
                if len(run) > 1:
                    parts.append(_polyline(run, colour))
                run = []
                continue
            px, py = x(c), y(bar.value)
            run.append(f"{px:.1f},{py:.1f}")
            parts.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}"/>'
                f'<text x="{px + 5:.1f}" y="{py - 5:.1f}" font-size="11" '
                f'fill="#0b0c0c">{escape(bar.text)}</text>'
            )
        if len(run) > 1:
            parts.append(_polyline(run, colour))
        label = group.label + (f" (not shown: {', '.join(hidden)})" if hidden else "")
        top = legend_top + r * LEGEND_ROW
        parts.append(
            f'<rect x="0" y="{top + 3}" width="14" height="14" fill="{colour}"/>'
            f'<text x="20" y="{top + 15}" font-size="14" fill="#0b0c0c">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _polyline(points: list[str], colour: str) -> str:
    return f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2"/>'
