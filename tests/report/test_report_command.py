"""`seen report --out DIR` as an analyst meets it: the tables after disclosure control as CSV
(with its guidance file) and Excel, the headline figures, and the report kept in the store
for the dashboard and the public page."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from audit.factories import env
from seen.cli import app
from seen.settings import Settings
from seen.store import open_store
from seen.store.published_reports import latest_report
from sharing.factories import linked_partnership


def test_the_report_is_written_protected_and_kept(store_settings: Settings, tmp_path: Path) -> None:
    with open_store(store_settings) as store:
        linked_partnership(store)
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["report", "--out", str(out)], env=env(store_settings))
    assert result.exit_code == 0, result.output
    assert "kept as report 1" in result.stdout
    assert "within the partnership's target of 3 days" in " ".join(result.stdout.split())
    with (out / "seen-report.csv").open(encoding="utf-8", newline="") as f:
        figures = list(csv.DictReader(f))
    linked = [f for f in figures if f["table_id"] == "linkage_rates"]
    # The partnership's five records: every small count is c, and so is what would reveal it.
    assert linked and all(f["value"] == "" or int(f["value"]) == 0 for f in linked)
    assert {f["marker"] for f in linked} <= {"", "c"}
    assert (out / "seen-report.guidance.csv").exists()
    workbook = load_workbook(out / "seen-report.xlsx")
    assert "linkage_rates" in workbook.sheetnames
    with open_store(store_settings) as store:
        kept = latest_report(store)
    assert kept is not None and kept.number == 1
    assert {t.id for t in kept.tables} == {row["table_id"] for row in figures}


def test_a_folder_that_cannot_be_made_is_said_before_any_work_and_keeps_nothing(
    store_settings: Settings, tmp_path: Path
) -> None:
    with open_store(store_settings) as store:
        linked_partnership(store)
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["report", "--out", str(a_file / "report")], env=env(store_settings)
    )
    assert result.exit_code == 2
    assert f"--out {a_file / 'report'}: cannot make that folder" in " ".join(result.stderr.split())
    with open_store(store_settings) as store:
        assert latest_report(store) is None  # nothing kept
