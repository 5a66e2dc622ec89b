"""A reviewer's decision on a prompt and its outcome are recorded with their audit entries in
one transaction, codes only in the log; both are final; a look at a prompt is recorded before
it is shown; and if the log cannot record, nothing is shown or saved."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from audit.factories import ORIGIN
from concurrency import race
from identify.factories import YOUNG_CARERS, YOUNG_CARERS_WORKER, prompt_for, prompted_partnership
from seen.audit.entry import prompt_ref
from seen.audit.log import AuditWriteError, make_checkpoint, stream_entries
from seen.audit.note import NoteSigner
from seen.audit.verify import verify_log
from seen.errors import InvalidInput, NotFound
from seen.identify.labels import Need
from seen.identify.review import (
    AlreadyRecorded,
    Reviewer,
    decide,
    decision_for_outcome,
    open_prompt,
    record_outcome,
    review_queue,
    reviewer_for,
)
from seen.store import Store
from seen.store.tables import identify_decisions, identify_prompts

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
REASON = "Mum's health has got worse since the summer and he is missing mornings"
NOTE = "He joined the Tuesday group"


@pytest.fixture
def yara(store: Store) -> Reviewer:
    prompted_partnership(store)
    found = reviewer_for(store, YOUNG_CARERS_WORKER, YOUNG_CARERS)
    assert found is not None
    return found


def entries(store: Store) -> list[dict[str, object]]:
    return [json.loads(entry) for _, entry, _ in stream_entries(store)]


def test_a_decision_and_its_outcome_are_audited_and_the_log_verifies(
    store: Store, yara: Reviewer
) -> None:
    prompt = prompt_for(store, Need.YOUNG_CARER, "P0001")
    view = open_prompt(store, yara, prompt.id, NOW)
    assert [item.indicator for item in view.queued.evidence] == [
        "absence_12m",
        "domestic_incidents_24m",
        "ed_attendances_12m",
    ]
    assert view.own_references == ()  # the young carers' service holds no record of P0001
    assert {a.name for a in view.involved} == {
        "northshire-council",
        "northshire-schools",
        "northshire-police",
        "northshire-health",
    }
    later = NOW + dt.timedelta(minutes=4)
    decided = decide(store, yara, prompt.id, decision="offer_support", reason=REASON, now=later)
    assert decided.first_viewed_at == NOW and decided.decided_at == later
    assert decided.evidence_on == prompt.raised_on and decided.agency == YOUNG_CARERS
    form = decision_for_outcome(store, yara, decided.id, later)
    assert Need.YOUNG_CARER == form.need and form.decision.outcome is None
    done = record_outcome(
        store,
        yara,
        decided.id,
        outcome="support_accepted",
        note=NOTE,
        on=later.date(),
        now=later,
    )
    assert (done.outcome, done.outcome_note, done.outcome_by) == (
        "support_accepted",
        NOTE,
        YOUNG_CARERS_WORKER,
    )

    logged = [
        (e["kind"], e["reasons"]) for e in entries(store) if str(e["kind"]).startswith("prompt_")
    ]
    assert logged == [
        ("prompt_view", ["prompt"]),
        ("prompt_decision", ["offer_support", "young_carer"]),
        ("prompt_view", ["prompt_outcome_form"]),
        ("prompt_outcome", ["support_accepted", "young_carer"]),
    ]
    for entry in entries(store):
        assert (entry["actor"], entry["actor_agency"], entry["person"], entry["request"]) == (
            YOUNG_CARERS_WORKER,
            YOUNG_CARERS,
            "P0001",
            prompt_ref(prompt.id),
        )
    raw = b"".join(entry for _, entry, _ in stream_entries(store))
    assert b"health" not in raw and b"Tuesday" not in raw  # their words stay in the hub
    signer = NoteSigner.generate(ORIGIN)
    make_checkpoint(store, signer)
    assert verify_log(store, [signer.verifier()]).ok


def test_a_second_decision_or_outcome_is_refused_and_changes_nothing(
    store: Store, yara: Reviewer
) -> None:
    prompt = prompt_for(store, Need.YOUNG_CARER, "P0001")
    decided = decide(store, yara, prompt.id, decision="refer", reason=REASON, now=NOW)
    with pytest.raises(AlreadyRecorded, match="already recorded"):
        decide(store, yara, prompt.id, decision="not_relevant", reason="No", now=NOW)
    record_outcome(store, yara, decided.id, outcome="no_contact", note="", on=NOW.date(), now=NOW)
    with pytest.raises(AlreadyRecorded):
        record_outcome(store, yara, decided.id, outcome="other", note="x", on=NOW.date(), now=NOW)
    with store.engine.connect() as conn:
        rows = conn.execute(select(identify_decisions)).all()
    assert [(r.decision, r.outcome) for r in rows] == [("refer", "no_contact")]
    kinds = [e["kind"] for e in entries(store)]
    assert kinds == ["prompt_decision", "prompt_outcome"]


def test_an_incomplete_decision_or_outcome_lists_every_problem(
    store: Store, yara: Reviewer
) -> None:
    prompt = prompt_for(store, Need.YOUNG_CARER, "P0001")
    with pytest.raises(InvalidInput) as caught:
        decide(store, yara, prompt.id, decision="maybe", reason="   ", now=NOW)
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("decision", "Choose your decision"),
        ("reason", "Write the reason for your decision"),
    ]
    with pytest.raises(InvalidInput) as caught:
        decide(store, yara, prompt.id, decision="refer", reason="x" * 2001, now=NOW)
    assert caught.value.problems[0].message == "Write 2000 characters or fewer"
    decided = decide(store, yara, prompt.id, decision="refer", reason=REASON, now=NOW)
    for outcome, note, on, message in [
        ("panel_plan", "", NOW.date(), "Choose the outcome"),  # an exploitation outcome
        ("other", " ", NOW.date(), "Write what the outcome was"),
        ("no_contact", "", None, "Enter the date of the outcome as a real date"),
        ("no_contact", "", dt.date(2026, 11, 3), "The date of the outcome must be today or before"),
        ("no_contact", "", dt.date(2026, 11, 1), "The date of the outcome must be on or after"),
    ]:
        with pytest.raises(InvalidInput) as caught:
            record_outcome(store, yara, decided.id, outcome=outcome, note=note, on=on, now=NOW)
        assert message in caught.value.problems[0].message
    assert [e["kind"] for e in entries(store)] == ["prompt_decision"]


def test_nothing_is_shown_or_saved_when_the_log_cannot_record(
    store: Store, yara: Reviewer, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompt = prompt_for(store, Need.YOUNG_CARER, "P0001")

    def broken(*args: object, **kwargs: object) -> None:
        raise AuditWriteError("the log is unavailable")

    monkeypatch.setattr("seen.identify.review.append", broken)
    monkeypatch.setattr("seen.identify.review.append_in", broken)
    with pytest.raises(AuditWriteError):
        review_queue(store, yara, NOW)
    with pytest.raises(AuditWriteError):
        open_prompt(store, yara, prompt.id, NOW)
    with pytest.raises(AuditWriteError):
        decide(store, yara, prompt.id, decision="refer", reason=REASON, now=NOW)
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(identify_decisions)).scalar() == 0


def test_another_kind_of_agency_finds_no_prompt_of_this_one(store: Store, yara: Reviewer) -> None:
    council = reviewer_for(store, "sw-amara", "northshire-council")
    assert council is not None and council.needs == (Need.EXPLOITATION,)
    assert reviewer_for(store, "dsl-ben", "northshire-schools") is None
    assert reviewer_for(store, "pc-cara", "northshire-police") is None
    theirs = prompt_for(store, Need.YOUNG_CARER, "P0001")
    ours = prompt_for(store, Need.EXPLOITATION, "P0001")
    for reviewer, prompt_id in [(council, theirs.id), (yara, ours.id), (yara, 10_000)]:
        with pytest.raises(NotFound) as caught:
            open_prompt(store, reviewer, prompt_id, NOW)
        assert caught.value.message == "no such prompt for your agency to review"
        with pytest.raises(NotFound):
            decide(store, reviewer, prompt_id, decision="refer", reason=REASON, now=NOW)
    decided = decide(store, yara, theirs.id, decision="refer", reason=REASON, now=NOW)
    with pytest.raises(NotFound):
        decision_for_outcome(store, council, decided.id, NOW)
    with pytest.raises(NotFound):
        record_outcome(
            store, council, decided.id, outcome="panel_plan", note="", on=NOW.date(), now=NOW
        )
    # A practitioner who is not of the agency they claim reviews nothing.
    stranger = dataclasses.replace(yara, practitioner="sw-amara")
    with pytest.raises(NotFound):
        open_prompt(store, stranger, prompt_for(store, Need.YOUNG_CARER, "P0002").id, NOW)
    assert [e["kind"] for e in entries(store)] == ["prompt_decision"]


def test_two_decisions_on_one_prompt_at_the_same_moment_keep_only_the_first(
    store: Store, yara: Reviewer
) -> None:
    prompt = prompt_for(store, Need.YOUNG_CARER, "P0001")
    open_prompt(store, yara, prompt.id, NOW)
    deciding = [
        lambda d=d: decide(store, yara, prompt.id, decision=d, reason=REASON, now=NOW)
        for d in ("refer", "no_action")
    ]
    assert race(store, identify_prompts.c.id, prompt.id, deciding) == ["AlreadyRecorded", "done"]
    kinds = [entry["kind"] for entry in entries(store)]
    assert kinds.count("prompt_decision") == 1
