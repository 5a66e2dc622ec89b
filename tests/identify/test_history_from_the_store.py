"""Identification reads the store as the hub holds it: each event on the person its record
belongs to in the latest link run, with the demographics most of their records give, and
never more than codes, dates, numbers and pseudonymous ids."""

from __future__ import annotations

import datetime as dt

import numpy as np

from seen.identify.history import history_from_store
from seen.identify.indicators import BY_NAME, Indicators
from seen.store import Store
from sharing.factories import EVENTS, linked_partnership


def test_events_are_read_onto_linked_people(store: Store) -> None:
    linked_partnership(store)
    history = history_from_store(store)
    assert list(history.person_ids) == ["P0001", "P0002"]
    assert history.events == len(EVENTS)
    assert sorted(history.kind[history.person == 0]) == sorted(
        kind for ref, kind, *_ in EVENTS if ref != "S-2002"
    )
    assert set(history.agency) == {"childrens_services", "school", "police", "health"}
    assert all(ref.isdigit() for ref in history.ref)  # the store's event ids
    ind = Indicators(history, (BY_NAME["ed_self_harm_12m"], BY_NAME["absence_12m"]))
    values = ind.at(dt.date(2026, 8, 1).toordinal())
    assert np.array_equal(values, [[1.0, 14.5], [0.0, 3.0]])
