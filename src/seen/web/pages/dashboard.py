"""The analyst's dashboard: the latest partnership report, table by table, each with a chart
and the table itself as its alternative, and the files to download (issue 7).

The dashboard shows a report kept by `seen report` or by its own "Produce the report now"
button; it never counts anything itself, so it shows only figures that have been through
disclosure control. It holds counts only, no child, so reading it is not an audit entry.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from seen.report.charts import bar_chart, time_series_chart
from seen.report.outputs import write_csv, write_xlsx
from seen.report.partnership import SECTIONS, produce, section_of
from seen.report.published import ProtectedTable
from seen.report.sharing import answer_times
from seen.store.published_reports import PublishedReport, latest_report, save_report
from seen.web.access import ANALYST_PAGE, Viewer
from seen.web.context import WebContext
from seen.web.templating import Pages

router = APIRouter(include_in_schema=False)

DASHBOARD: Final = "/dashboard"
# The files of the latest report: name -> media type.
DOWNLOADS: Final = {
    "seen-report.csv": "text/csv; charset=utf-8",
    "seen-report.guidance.csv": "text/csv; charset=utf-8",
    "seen-report.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Column dimensions that are time: their tables are drawn as time series (a line per row).
TIME_DIMENSIONS: Final = frozenset({"Year", "Quarter", "Month"})
# A chart helps with a handful of bars; a longer table reads better as a table alone.
MOST_BARS_CHARTED: Final = 40


@dataclass(frozen=True)
class ShownTable:
    table: ProtectedTable
    head: list[str]
    rows: list[list[str]]
    chart: Markup | None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    tables: list[ShownTable]


@router.get(DASHBOARD)
def dashboard_page(request: Request, produced: int = 0, viewer: Viewer = ANALYST_PAGE) -> Response:
    context: WebContext = request.app.state.seen
    pages: Pages = request.app.state.pages
    report = latest_report(context.store)
    target = dt.timedelta(days=context.settings.answer_target_days)
    return pages.render(
        request,
        viewer,
        "report/dashboard.html",
        "Partnership dashboard",
        column="full",
        report=report,
        sections=_sections(report) if report is not None else [],
        downloads=list(DOWNLOADS),
        notice=f"Report {produced} has been produced." if produced else None,
        times=answer_times(context.store, context.now(), target),
    )


@router.post(f"{DASHBOARD}/report")
def produce_report(request: Request, viewer: Viewer = ANALYST_PAGE) -> Response:
    """Count, protect and keep a new report (what `seen report` does, without the files)."""
    context: WebContext = request.app.state.seen
    now = context.now()
    number = save_report(context.store, produce(context.store, now), now)
    return RedirectResponse(f"{DASHBOARD}?produced={number}", status_code=303)


@router.get(f"{DASHBOARD}/{{name}}")
def download(request: Request, name: str, viewer: Viewer = ANALYST_PAGE) -> Response:
    """One file of the latest report, written from the kept (protected) tables."""
    context: WebContext = request.app.state.seen
    if name not in DOWNLOADS:
        raise HTTPException(404)
    report = latest_report(context.store)
    if report is None:
        raise HTTPException(404)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        if name.endswith(".xlsx"):
            write_xlsx(report.tables, path)
        else:
            write_csv(report.tables, Path(folder) / "seen-report.csv")
        content = path.read_bytes()
    return Response(
        content,
        media_type=DOWNLOADS[name],
        headers={"Content-Disposition": f'attachment; filename="report-{report.number}-{name}"'},
    )


def _sections(report: PublishedReport) -> list[Section]:
    sections = [Section(key, title, []) for key, title, _ in SECTIONS]
    by_key = {s.key: s for s in sections}
    for number, table in enumerate(report.tables):
        section = by_key.get(section_of(table))
        if section is not None:
            section.tables.append(shown(table, f"chart-{number}"))
    return [s for s in sections if s.tables]


def shown(table: ProtectedTable, chart_id: str) -> ShownTable:
    """A table's cells as text for the page (period 0: the report's tables have no periods),
    with totals, and a chart when it has few enough bars."""
    layout = table.layout
    head = [layout.rows.name]
    head += [*layout.columns.categories, "Total"] if layout.columns else [table.unit.capitalize()]
    rows = []
    n_rows, n_columns = layout.grid_shape
    for r in range(n_rows):
        label = layout.rows.categories[r] if r < len(layout.rows.categories) else "Total"
        rows.append([label, *(table.cell(0, (r, c)).text for c in range(n_columns))])
    bars = len(layout.rows.categories) * (len(layout.columns.categories) if layout.columns else 1)
    if layout.columns is not None and layout.columns.name in TIME_DIMENSIONS:
        chart: Markup | None = time_series_chart(table, chart_id)
    else:
        chart = bar_chart(table, chart_id) if bars <= MOST_BARS_CHARTED else None
    return ShownTable(table, head, rows, chart)
