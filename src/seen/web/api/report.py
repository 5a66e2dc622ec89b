"""The partnership report over the JSON API: the latest kept report's tables, every figure as
published (a value, or a marker in its place), for the analyst; and producing a new one. The
same report the dashboard shows (seen.report.partnership)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from seen.report.partnership import produce
from seen.report.published import ProtectedTable
from seen.store.published_reports import latest_report, save_report
from seen.web.access import ANALYST_API, Viewer
from seen.web.api.problems import DENIED, NOT_FOUND
from seen.web.context import WebContext

router = APIRouter(prefix="/api/v1", tags=["report"])


class Figure(BaseModel):
    period: str | None
    row: str
    column: str | None
    value: int | None = Field(description="Empty where a marker stands in its place")
    marker: str = Field(description="'' for a figure shown; c, x, z or low otherwise")
    is_total: bool


class TableOut(BaseModel):
    id: str
    title: str
    unit: str
    source: str
    rows: str
    columns: str | None
    figures: list[Figure]
    footer: list[str]


class ReportOut(BaseModel):
    number: int
    created_at: dt.datetime
    tables: list[TableOut]


def _table(table: ProtectedTable) -> TableOut:
    return TableOut(
        id=table.id,
        title=table.title,
        unit=table.unit,
        source=table.source,
        rows=table.rows.name,
        columns=None if table.columns is None else table.columns.name,
        figures=[
            Figure(
                period=f.period,
                row=f.row,
                column=f.column,
                value=f.cell.value,
                marker=f.cell.marker.value,
                is_total=f.is_total,
            )
            for f in table.figures()
        ],
        footer=list(table.footer),
    )


@router.get("/report", responses={**DENIED, **NOT_FOUND})
def latest(request: Request, viewer: Viewer = ANALYST_API) -> ReportOut:
    """The latest partnership report, after disclosure control."""
    context: WebContext = request.app.state.seen
    report = latest_report(context.store)
    if report is None:
        raise HTTPException(404, "no report has been produced yet")
    return ReportOut(
        number=report.number,
        created_at=report.created_at,
        tables=[_table(t) for t in report.tables],
    )


@router.post("/report", status_code=201, responses=DENIED)
def produce_now(request: Request, viewer: Viewer = ANALYST_API) -> ReportOut:
    """Count, protect and keep a new report, and return it."""
    context: WebContext = request.app.state.seen
    now = context.now()
    tables = produce(context.store, now)
    number = save_report(context.store, tables, now)
    return ReportOut(number=number, created_at=now, tables=[_table(t) for t in tables])
