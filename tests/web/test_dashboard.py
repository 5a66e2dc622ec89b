"""The analyst's dashboard: the latest report, produced from the page or by `seen report`,
every table with its chart and the table itself as the chart's alternative, the files to
download, and the API twin; nobody else may see it."""

from __future__ import annotations

import csv
import io
import re

import pytest
from markupsafe import escape

from seen.store import Store
from seen.store.published_reports import latest_report
from web.conftest import CheckedClient
from web.governance import bearer, governed_partnership, post_form, sign_in

DASHBOARD = "/dashboard"


@pytest.fixture(autouse=True)
def partnership(store: Store) -> None:
    governed_partnership(store)


def test_the_analyst_produces_a_report_and_reads_it_table_by_table(
    client: CheckedClient, store: Store
) -> None:
    sign_in(client, "analyst-gus")
    assert "No report has been produced yet" in client.get(DASHBOARD).text
    produced = post_form(client, DASHBOARD, f"{DASHBOARD}/report", {})
    assert produced.status_code == 303
    page = client.get(produced.headers["location"])
    assert page.status_code == 200
    text = " ".join(page.text.split())
    assert "Report 1 has been produced." in text
    report = latest_report(store)
    assert report is not None
    for table in report.tables:
        assert str(escape(table.title)) in text
    # A chart is an image named for its table, pointed at the figures below it.
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page.text and 'role="img"' in page.text
    assert "(the figures of the chart above)" in text
    # The partnership is five records: small counts show as c, never as a bar's figure.
    assert ">c<" in page.text
    assert "Counts from 1 to 5 are not shown" in text
    # Answer times against the partnership's target (3 days unless set): too few to show.
    assert re.search(r"partnership&#39;s target\s*</dt>\s*<dd[^>]*>\s*3 days", page.text)
    assert "Not shown: fewer than 10 answers" in text


def test_the_files_come_from_the_kept_report(client: CheckedClient, store: Store) -> None:
    sign_in(client, "analyst-gus")
    assert client.get(f"{DASHBOARD}/seen-report.csv").status_code == 404  # none yet
    post_form(client, DASHBOARD, f"{DASHBOARD}/report", {})
    data = client.get(f"{DASHBOARD}/seen-report.csv")
    assert data.status_code == 200 and data.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(data.text)))
    assert {row["marker"] for row in rows} <= {"", "c", "x", "z", "low"}
    assert all(
        row["value"] == "" or int(row["value"]) == 0 or int(row["value"]) > 5 for row in rows
    )
    workbook = client.get(f"{DASHBOARD}/seen-report.xlsx")
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
    assert client.get(f"{DASHBOARD}/anything-else.txt").status_code == 404


def test_the_api_gives_the_same_report(client: CheckedClient) -> None:
    headers = bearer(client, "analyst-gus")
    assert client.get("/api/v1/report", headers=headers).status_code == 404
    made = client.post("/api/v1/report", headers=headers)
    assert made.status_code == 201
    got = client.get("/api/v1/report", headers=headers).json()
    assert got["number"] == made.json()["number"] == 1
    figures = [f for t in got["tables"] for f in t["figures"]]
    assert all(f["value"] is None or f["value"] == 0 or f["value"] > 5 for f in figures)


@pytest.mark.parametrize("username", ["admin-rosa", "dpo-council", "sw-amara", "yp-p0001"])
def test_only_the_analyst_sees_the_dashboard(client: CheckedClient, username: str) -> None:
    sign_in(client, username)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(f"{DASHBOARD}/seen-report.csv").status_code == 403
    headers = bearer(client, username)
    assert client.get("/api/v1/report", headers=headers).status_code == 403
    assert client.post("/api/v1/report", headers=headers).status_code == 403
