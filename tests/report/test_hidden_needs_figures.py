"""The hidden-needs tables: each young carer counted once, under the route that found them
first (a school's CS118, an assessment's 7A, their own statement, or a prompt acted on), and
each prompt under its reviewer's latest decision or, unreviewed, whether it is still open."""

from __future__ import annotations

import datetime as dt

from identify.factories import (
    YOUNG_CARERS,
    YOUNG_CARERS_WORKER,
    add_event,
    prompt_for,
    prompted_partnership,
)
from seen.identify.labels import Need
from seen.identify.review import decide, record_outcome, reviewer_for
from seen.report.needs import needs_tables, young_carers_identified
from seen.report.table import Table
from seen.sharing.voice import state_young_carer
from seen.store import Store

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def cell(table: Table, row: str, column: str) -> object:
    r = table.layout.rows.categories.index(row)
    c = table.layout.columns.categories.index(column)  # type: ignore[union-attr]
    return table.counts[0][r][c]


def test_each_young_carer_is_counted_once_under_the_first_route(store: Store) -> None:
    prompted_partnership(store)
    yara = reviewer_for(store, YOUNG_CARERS_WORKER, YOUNG_CARERS)
    assert yara is not None
    # P0001: a prompt acted on in November 2026, then they said so themselves the next day.
    prompt = prompt_for(store, Need.YOUNG_CARER, "P0001")
    decided = decide(store, yara, prompt.id, decision="offer_support", reason="Carer", now=NOW)
    record_outcome(
        store, yara, decided.id, outcome="support_accepted", note="", on=NOW.date(), now=NOW
    )
    state_young_carer(store, "P0001", True, ["school"], NOW + dt.timedelta(days=1))
    # P0002: a school census return in 2025 (S-2002 is P0002's school record).
    add_event(store, "S-2002", "school_young_carer", dt.date(2025, 10, 2), "P")
    found = {i.person_id: (i.route, i.on) for i in young_carers_identified(store)}
    assert found == {
        "P0001": ("Prompt", NOW.date()),
        "P0002": ("School", dt.date(2025, 10, 2)),
    }
    tables = {t.id: t for t in needs_tables(store, NOW.date())}
    by_year = tables["young_carers_by_year"]
    assert cell(by_year, "Prompt", "2026") == 1 and cell(by_year, "School", "2025") == 1
    assert cell(by_year, "Self", "2026") == 0
    # Both born May 2013: 13 and 12 when identified; no decile recorded.
    by_age = tables["young_carers_by_age"]
    assert cell(by_age, "Prompt", "10 to 15") == 1 and cell(by_age, "School", "10 to 15") == 1
    assert sum(map(sum, by_age.counts[0])) == 2
    by_area = tables["young_carers_by_area"]
    assert cell(by_area, "Prompt", "Not known") == 1 and cell(by_area, "School", "Not known") == 1


def test_prompts_are_counted_by_their_latest_decision_or_their_state(store: Store) -> None:
    prompted_partnership(store)
    yara = reviewer_for(store, YOUNG_CARERS_WORKER, YOUNG_CARERS)
    assert yara is not None
    prompt = prompt_for(store, Need.YOUNG_CARER, "P0001")
    decide(store, yara, prompt.id, decision="not_relevant", reason="Not a carer", now=NOW)
    tables = {t.id: t for t in needs_tables(store, NOW.date())}
    reviews = tables["prompts_reviews"]
    young_carer = Need.YOUNG_CARER.spec.title
    assert cell(reviews, young_carer, "Not relevant") == 1
    assert cell(reviews, young_carer, "Not yet reviewed") == 1  # P0002's prompt
    years_later = (NOW + dt.timedelta(days=800)).date()
    reviews = {t.id: t for t in needs_tables(store, years_later)}["prompts_reviews"]
    assert cell(reviews, young_carer, "Expired unreviewed") == 1
