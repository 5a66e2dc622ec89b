"""A report kept in the store comes back exactly as published: every figure, marker, rule and
note, for any table (the dashboard and the public page show only what was kept)."""

from __future__ import annotations

import json

from hypothesis import given, settings

from report.strategies import tables
from seen.report.disclosure import protect
from seen.report.stored import tables_from_json, tables_to_json
from seen.report.table import Table


@settings(max_examples=60, deadline=None)
@given(tables(max_side=4, max_periods=2))
def test_a_published_table_survives_json_unchanged(table: Table) -> None:
    published = protect(table)
    document = json.loads(json.dumps(tables_to_json([published])))
    (back,) = tables_from_json(document)
    assert back == published
    assert list(back.figures()) == list(published.figures())
