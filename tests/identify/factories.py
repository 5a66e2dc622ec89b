"""Prompts in a store, cheaply, for the review tests and the web tests.

The small linked partnership of tests/sharing/factories.py (children P0001 and P0002), a
young carers' service with one practitioner (`ycw-yara`, holding no records, as a young
carers' service usually does not), and prompts raised by the real lifecycle
(`seen.identify.lifecycle.run_prompts`) with a hand-written scorecard in place of a trained
model: training needs thousands of children, and the review tests need a few prompts with
real evidence behind them, not a good model.
"""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
from sqlalchemy import insert, select

from seen.identify.history import history_from_store
from seen.identify.indicators import indicators_named
from seen.identify.labels import Need
from seen.identify.lifecycle import Plan, run_prompts
from seen.identify.model import NeedModel
from seen.store import Store, write_transaction
from seen.store.governance import add_practitioner
from seen.store.prompts import StoredPrompt, open_prompts
from seen.store.tables import events, records
from seen.store.writes import insert_agency
from sharing.factories import NOW

YOUNG_CARERS = "northshire-young-carers"
YOUNG_CARERS_WORKER = "ycw-yara"
RAISED_ON = dt.date(2026, 10, 1)

# Log-odds per unit of each indicator (counts on log(1 + x)), and the intercept: enough for
# both children of the small partnership to be scored, P0001 well above P0002.
SCORECARDS: dict[Need, tuple[float, dict[str, float]]] = {
    Need.YOUNG_CARER: (
        -3.0,
        {"domestic_incidents_24m": 1.1, "absence_12m": 0.06, "ed_attendances_12m": 0.4},
    ),
    Need.EXPLOITATION: (
        -3.5,
        {"ed_self_harm_12m": 1.3, "absence_12m": 0.05, "police_violence_12m": 1.0},
    ),
}
_event_numbers = itertools.count(1000)


def scorecard(need: Need, cutoff: dt.date) -> NeedModel:
    """A fixed scorecard for `need`, shaped as a trained model."""
    intercept, weights = SCORECARDS[need]
    chosen = indicators_named(list(weights))
    return NeedModel(
        need,
        chosen,
        np.array(list(weights.values())),
        intercept,
        np.zeros(len(chosen)),
        cutoff.toordinal(),
        0,
        0,
        (),
        None,
    )


def add_young_carers_service(store: Store) -> None:
    with write_transaction(store) as conn:
        insert_agency(conn, YOUNG_CARERS, "young_carers_service", NOW)
    add_practitioner(store, YOUNG_CARERS_WORKER, YOUNG_CARERS, ["young_carers_worker"])


def raise_prompts(
    store: Store,
    as_of: dt.date = RAISED_ON,
    *,
    expiry_days: int = 182,
    needs: tuple[Need, ...] = (Need.YOUNG_CARER, Need.EXPLOITATION),
) -> dict[Need, Plan]:
    """Run the lifecycle for each need on `as_of` with every child in capacity: new prompts
    for children without an open one, renewals where there is new evidence."""
    history = history_from_store(store)
    return {
        need: run_prompts(
            store,
            history,
            need,
            as_of,
            capacity_share=1.0,
            expiry_days=expiry_days,
            now=NOW,
            model=scorecard(need, as_of),
        )
        for need in needs
    }


def prompt_for(store: Store, need: Need, person_id: str, on: dt.date = RAISED_ON) -> StoredPrompt:
    """The open prompt of `need` for the child on `on`."""
    (found,) = [p for p in open_prompts(store, need.value, on) if p.person_id == person_id]
    return found


def add_event(
    store: Store,
    record_ref: str,
    kind: str,
    start: dt.date,
    code: str | None = None,
    qualifier: str | None = None,
) -> None:
    """A new event on an existing record, as a later ingest would add it."""
    with write_transaction(store) as conn:
        record_id, run_id = conn.execute(
            select(records.c.id, records.c.last_run_id).where(records.c.record_ref == record_ref)
        ).one()
        conn.execute(
            insert(events).values(
                record_id=record_id,
                kind=kind,
                start_date=start,
                code=code,
                qualifier=qualifier,
                event_key=f"test-event-{next(_event_numbers)}",
                ingest_run_id=run_id,
            )
        )


def prompted_partnership(store: Store) -> None:
    """The small partnership with a young carers' service, and both needs' prompts raised on
    RAISED_ON for both children (four prompts)."""
    from sharing.factories import linked_partnership

    linked_partnership(store)
    add_young_carers_service(store)
    raise_prompts(store)
