"""Decision tracking in the store: every problem at once, the practitioner's own decisions
only, one outcome each, and codes (never words) in the audit log."""

from __future__ import annotations

import datetime as dt

import pytest

from seen.audit.log import tree_size
from seen.errors import InvalidInput, NotFound
from seen.sharing.chronology import SharingRequest, ask
from seen.sharing.decisions import decisions_for, parse_day, record_decision, record_outcome
from seen.store import Store
from sharing.factories import NOW, linked_partnership


@pytest.fixture(autouse=True)
def partnership(store: Store) -> None:
    linked_partnership(store)


def asked(store: Store) -> SharingRequest:
    return ask(
        store,
        practitioner="sw-amara",
        agency="northshire-council",
        person_id="P0001",
        purpose="safeguarding",
        lawful_basis="uk-gdpr-6-1-e",
        justification=None,
        now=NOW,
    )


def test_every_problem_with_a_decision_is_reported_at_once(store: Store) -> None:
    request = asked(store)
    with pytest.raises(InvalidInput) as caught:
        record_decision(
            store, request, agency="northshire-council", decision="shrug", reason="", now=NOW
        )
    assert [p.field for p in caught.value.problems] == ["decision", "reason"]
    with pytest.raises(InvalidInput):
        record_decision(
            store, request, agency="northshire-council", decision="other", reason="x" * 2001,
            now=NOW,
        )  # fmt: skip
    assert decisions_for(store, "sw-amara", person_id="P0001") == []


def test_an_outcome_is_recorded_once_by_the_one_who_decided(store: Store) -> None:
    request = asked(store)
    decided = record_decision(
        store, request, agency="northshire-council", decision="early_help", reason="Support",
        now=NOW,
    )  # fmt: skip
    before = tree_size(store)
    with pytest.raises(NotFound):
        record_outcome(
            store, decided.id, practitioner="dsl-ben", agency="northshire-schools",
            outcome="closed", note="", on=NOW.date(), now=NOW,
        )  # fmt: skip
    later = NOW + dt.timedelta(days=30)
    done = record_outcome(
        store, decided.id, practitioner="sw-amara", agency="northshire-council",
        outcome="early_help_plan", note="", on=later.date(), now=later,
    )  # fmt: skip
    assert (done.outcome, done.outcome_on, done.outcome_note) == (
        "early_help_plan",
        later.date(),
        None,
    )
    assert tree_size(store) == before + 1
    with pytest.raises(NotFound):
        record_outcome(
            store, decided.id, practitioner="sw-amara", agency="northshire-council",
            outcome="closed", note="", on=later.date(), now=later,
        )  # fmt: skip


def test_a_date_is_read_from_the_three_boxes_or_not_at_all() -> None:
    assert parse_day("2", "11", "2026") == dt.date(2026, 11, 2)
    for parts in [("31", "2", "2026"), ("", "11", "2026"), ("2", "11", "26"), ("a", "b", "c")]:
        assert parse_day(*parts) is None
