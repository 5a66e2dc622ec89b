"""The review queue lists the prompts open today for the reviewer's kind of agency that wait
for a decision; a decided prompt leaves it and comes back, marked, when new evidence renews
it (the earlier decision kept); an expired prompt is in no list and cannot be decided; a
decision waits for its outcome for a set time and no longer."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from identify.factories import (
    RAISED_ON,
    YOUNG_CARERS,
    YOUNG_CARERS_WORKER,
    add_event,
    prompt_for,
    prompted_partnership,
    raise_prompts,
)
from seen.audit.log import stream_entries
from seen.errors import NotFound
from seen.identify.decisions import OUTCOME_DAYS
from seen.identify.labels import Need
from seen.identify.review import Reviewer, decide, open_prompt, review_queue, reviewer_for
from seen.store import Store

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def yara(store: Store) -> Reviewer:
    prompted_partnership(store)
    found = reviewer_for(store, YOUNG_CARERS_WORKER, YOUNG_CARERS)
    assert found is not None
    return found


def waiting(store: Store, reviewer: Reviewer, now: dt.datetime = NOW) -> list[tuple[str, bool]]:
    return [
        (q.prompt.person_id, q.new_evidence) for q in review_queue(store, reviewer, now).waiting
    ]


def test_a_decided_prompt_leaves_the_queue_and_comes_back_when_renewed(
    store: Store, yara: Reviewer
) -> None:
    assert waiting(store, yara) == [("P0001", False), ("P0002", False)]
    first = prompt_for(store, Need.YOUNG_CARER, "P0001")
    decided = decide(store, yara, first.id, decision="not_relevant", reason="Known", now=NOW)
    assert waiting(store, yara) == [("P0002", False)]
    (awaiting,) = review_queue(store, yara, NOW).awaiting_outcome
    assert awaiting.decision.id == decided.id

    # A domestic incident after the prompt was raised is new evidence for it.
    add_event(store, "N-3001", "police_incident", dt.date(2026, 10, 20), "DOMESTIC", "WITNESS")
    renewed_on = dt.date(2026, 10, 25)
    plans = raise_prompts(store, renewed_on, needs=(Need.YOUNG_CARER,))
    assert [r.person_id for r in plans[Need.YOUNG_CARER].renewed] == ["P0001"]
    assert plans[Need.YOUNG_CARER].new == []
    # P0002's prompt is older evidence, so it comes first; P0001's is back, marked.
    assert waiting(store, yara) == [("P0002", False), ("P0001", True)]
    view = open_prompt(store, yara, first.id, NOW)
    assert view.queued.new_evidence and view.queued.current is None
    assert view.prompt.renewed_on == renewed_on
    assert [d.id for d in view.queued.decisions] == [decided.id]  # the history is kept
    again = decide(store, yara, first.id, decision="offer_support", reason="New", now=NOW)
    assert again.evidence_on == renewed_on
    assert waiting(store, yara) == [("P0002", False)]
    assert [d.decision for d in open_prompt(store, yara, first.id, NOW).queued.decisions] == [
        "not_relevant",
        "offer_support",
    ]


def test_an_expired_prompt_is_in_no_queue_and_cannot_be_decided(
    store: Store, yara: Reviewer
) -> None:
    first = prompt_for(store, Need.YOUNG_CARER, "P0001")
    expiry = dt.datetime.combine(first.expires_on, dt.time(0, 0), tzinfo=dt.UTC)
    last_day = expiry - dt.timedelta(minutes=1)
    assert ("P0001", False) in waiting(store, yara, last_day)
    assert waiting(store, yara, expiry) == []
    with pytest.raises(NotFound):
        open_prompt(store, yara, first.id, expiry)
    with pytest.raises(NotFound):
        decide(store, yara, first.id, decision="refer", reason="Late", now=expiry)
    before = dt.datetime.combine(RAISED_ON, dt.time(0), tzinfo=dt.UTC) - dt.timedelta(days=1)
    assert waiting(store, yara, before) == []  # not yet raised


def test_a_decision_waits_for_its_outcome_for_a_set_time_only(store: Store, yara: Reviewer) -> None:
    first = prompt_for(store, Need.YOUNG_CARER, "P0001")
    decide(store, yara, first.id, decision="refer", reason="Assess", now=NOW)
    in_time = NOW + dt.timedelta(days=OUTCOME_DAYS) - dt.timedelta(minutes=1)
    assert len(review_queue(store, yara, in_time).awaiting_outcome) == 1
    too_late = NOW + dt.timedelta(days=OUTCOME_DAYS, minutes=1)
    assert review_queue(store, yara, too_late).awaiting_outcome == ()


def test_every_prompt_listed_is_recorded_and_an_empty_queue_records_nothing(
    store: Store, yara: Reviewer
) -> None:
    review_queue(store, yara, NOW)
    logged = [json.loads(entry) for _, entry, _ in stream_entries(store)]
    assert sorted((e["person"], e["reasons"][0]) for e in logged) == [
        ("P0001", "prompt_queue"),
        ("P0002", "prompt_queue"),
    ]
    late = NOW + dt.timedelta(days=400)
    assert review_queue(store, yara, late).waiting == ()
    assert sum(1 for _ in stream_entries(store)) == 2
