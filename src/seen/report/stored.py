"""Published tables as JSON, and back: how the store keeps the latest report for the
dashboard and the public page.

Only protected tables are kept: what a reader was not shown (a suppressed figure) is not in
them, so a page built on a stored report can show nothing disclosure control held back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from seen.report.markers import Marker
from seen.report.published import ProtectedTable, PublishedCell
from seen.report.rules import DisclosureRules
from seen.report.table import Dimension, Layout

FORMAT = 1


def tables_to_json(tables: Sequence[ProtectedTable]) -> dict[str, Any]:
    return {"format": FORMAT, "tables": [_table(t) for t in tables]}


def tables_from_json(document: dict[str, Any]) -> list[ProtectedTable]:
    if document.get("format") != FORMAT:
        raise ValueError(f"a stored report of format {document.get('format')!r}, not {FORMAT}")
    return [_from_table(t) for t in document["tables"]]


def _dimension(d: Dimension | None) -> dict[str, Any] | None:
    return None if d is None else {"name": d.name, "categories": list(d.categories)}


def _from_dimension(d: dict[str, Any] | None) -> Dimension | None:
    return None if d is None else Dimension(d["name"], tuple(d["categories"]))


def _table(t: ProtectedTable) -> dict[str, Any]:
    return {
        "id": t.id,
        "title": t.title,
        "unit": t.unit,
        "source": t.source,
        "rows": _dimension(t.layout.rows),
        "columns": _dimension(t.layout.columns),
        "periods": _dimension(t.layout.periods),
        "cells": [[[[c.value, c.marker.value] for c in row] for row in grid] for grid in t.cells],
        "rules": {
            "largest_suppressed": t.rules.largest_suppressed,
            "round_totals_to": t.rules.round_totals_to,
        },
        "notes": list(t.notes),
    }


def _from_table(t: dict[str, Any]) -> ProtectedTable:
    rows = _from_dimension(t["rows"])
    assert rows is not None
    return ProtectedTable(
        id=t["id"],
        title=t["title"],
        unit=t["unit"],
        source=t["source"],
        layout=Layout(rows, _from_dimension(t["columns"]), _from_dimension(t["periods"])),
        cells=tuple(
            tuple(
                tuple(PublishedCell(value, Marker(marker)) for value, marker in row) for row in grid
            )
            for grid in t["cells"]
        ),
        rules=DisclosureRules(**t["rules"]),
        notes=tuple(t["notes"]),
    )
