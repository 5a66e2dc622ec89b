"""A practitioner's chronology: decided event by event, recorded before it is shown, with a
plain reason for everything withheld, and releases the young person or the agency answer."""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid
from types import SimpleNamespace

import pytest

from concurrency import race, run_while_row_is_held
from seen.audit.log import AuditWriteError, stream_entries, tree_size
from seen.domain.sharing import AgreementStatus, Choice
from seen.errors import InvalidInput, NotFound
from seen.sharing import chronology
from seen.sharing.chronology import Status, answer, ask, releases, view
from seen.store import Store
from seen.store.governance import (
    PreferenceRecord,
    change_status,
    list_agreements,
    record_preference,
)
from seen.store.tables import pending_releases, sharing_requests
from sharing.factories import NOW, linked_partnership


@pytest.fixture(autouse=True)
def partnership(store: Store) -> None:
    linked_partnership(store)


def asked(store: Store, practitioner: str, agency: str, person: str = "P0001", **kw: str):
    return ask(
        store,
        practitioner=practitioner,
        agency=agency,
        person_id=person,
        purpose=kw.get("purpose", "safeguarding"),
        lawful_basis=kw.get("lawful_basis", "uk-gdpr-6-1-e"),
        justification=kw.get("justification"),
        now=NOW,
    )


def statuses(store: Store, practitioner: str, agency: str, person: str = "P0001", **kw: str):
    request = asked(store, practitioner, agency, person, **kw)
    seen = view(store, request, NOW)
    return request, {e.event.description: e for e in seen.entries}


def test_the_social_worker_sees_partners_records_but_not_a_restricted_one(store: Store) -> None:
    _, entries = statuses(store, "sw-amara", "northshire-council")
    shown = {name for name, e in entries.items() if e.shown}
    assert shown == {
        "Referral to children's social care: Schools",
        "School attendance for a term",
        "Police incident: Domestic incident",
        "Emergency department attendance: Injury",
    }
    self_harm = entries["Emergency department attendance: Self-harm"]
    assert self_harm.status is Status.WITHHELD
    # The reason names who holds it, never what it is: a withheld mental health record is
    # itself something about the child.
    assert self_harm.reasons == (
        "No agreement in force lets northshire-health share this kind of record with your "
        "agency for this purpose and lawful basis.",
    )


def test_a_school_waits_for_police_approval_and_sees_it_once_given(store: Store) -> None:
    request, entries = statuses(store, "dsl-ben", "northshire-schools")
    police = entries["Police incident: Domestic incident"]
    assert police.status is Status.WAITING_ON_AGENCY
    assert "Waiting for northshire-police to approve" in police.reasons[0]
    assert entries["Referral to children's social care: Schools"].status is Status.WITHHELD
    (waiting,) = releases(store, agency="northshire-police", pending_on="originator")
    answered = answer(
        store,
        waiting.id,
        approve=True,
        by="pc-cara",
        reason="",
        now=NOW + dt.timedelta(hours=2),
        agency="northshire-police",
    )
    assert answered.waited == dt.timedelta(hours=2)
    again = {e.event.description: e for e in view(store, request, NOW).entries}
    assert again["Police incident: Domestic incident"].shown


def test_only_the_holding_agency_can_answer_and_only_once(store: Store) -> None:
    statuses(store, "dsl-ben", "northshire-schools")
    (waiting,) = releases(store, agency="northshire-police", pending_on="originator")
    with pytest.raises(NotFound):
        answer(
            store, waiting.id, approve=True, by="x", reason="", now=NOW, agency="northshire-health"
        )
    answer(
        store,
        waiting.id,
        approve=False,
        by="pc-cara",
        reason="Ongoing investigation",
        now=NOW,
        agency="northshire-police",
    )
    with pytest.raises(NotFound):
        answer(
            store,
            waiting.id,
            approve=True,
            by="pc-cara",
            reason="",
            now=NOW,
            agency="northshire-police",
        )


def test_ask_first_waits_on_the_young_person(store: Store) -> None:
    record_preference(
        store,
        PreferenceRecord(
            "P0001",
            "attendance",
            "childrens_services",
            Choice.ASK_FIRST,
            NOW - dt.timedelta(days=1),
            "P0001",
            "self_service",
            "notice-1",
        ),
    )
    _, entries = statuses(store, "sw-amara", "northshire-council")
    attendance = entries["School attendance for a term"]
    assert attendance.status is Status.WAITING_ON_YOUNG_PERSON
    (waiting,) = releases(store, person_id="P0001", pending_on="young_person")
    answer(store, waiting.id, approve=False, by="P0001", reason="", now=NOW, person_id="P0001")


def test_every_view_is_recorded_before_it_is_shown(store: Store) -> None:
    before = tree_size(store)
    request, entries = statuses(store, "sw-amara", "northshire-council")
    assert tree_size(store) == before + len(entries)
    view(store, request, NOW)
    assert tree_size(store) == before + 2 * len(entries)


def test_nothing_is_shown_when_the_log_cannot_record(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = ask(
        store,
        practitioner="sw-amara",
        agency="northshire-council",
        person_id="P0001",
        purpose="safeguarding",
        lawful_basis="uk-gdpr-6-1-e",
        justification=None,
        now=NOW,
    )

    def broken(*args: object, **kwargs: object) -> None:
        raise AuditWriteError("the log is unavailable")

    monkeypatch.setattr("seen.policy.audited.append", broken)
    with pytest.raises(AuditWriteError):
        view(store, request, NOW)


def test_an_agency_that_holds_nothing_about_the_child_cannot_ask(store: Store) -> None:
    with pytest.raises(NotFound):
        statuses(store, "hv-dev", "northshire-health", person="P0002")


def test_a_request_reports_every_problem_at_once(store: Store) -> None:
    with pytest.raises(InvalidInput) as raised:
        ask(
            store,
            practitioner="sw-amara",
            agency="northshire-council",
            person_id="P0001",
            purpose="curiosity",
            lawful_basis="none",
            justification="urgent",
            now=NOW,
        )
    assert [p.field for p in raised.value.problems] == ["purpose", "lawful_basis", "justification"]


def test_another_practitioners_request_is_not_found(store: Store) -> None:
    request, _ = statuses(store, "sw-amara", "northshire-council")
    with pytest.raises(NotFound):
        chronology.load_request(store, request.id, "dsl-ben")


def test_a_request_id_is_never_one_the_audit_log_would_refuse(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A random hex id with a 10-digit run passing the NHS number check: every entry naming it
    # would be refused, so the request could never be shown. It is drawn again.
    drawn = iter(["ac1421f82702a098bc9eab5303169030", "0123abcd" * 4])
    monkeypatch.setattr(uuid, "uuid4", lambda: SimpleNamespace(hex=next(drawn)))
    request = ask(
        store,
        practitioner="sw-amara",
        agency="northshire-council",
        person_id="P0001",
        purpose="safeguarding",
        lawful_basis="uk-gdpr-6-1-e",
        justification=None,
        now=NOW,
    )
    assert request.id == "0123abcd" * 4


def test_the_young_persons_words_travel_with_a_shown_record_and_nowhere_else(
    store: Store,
) -> None:
    from seen.sharing.voice import add_voice
    from seen.sharing.world_slice import child_slice

    held = {e.description: e for e in child_slice(store, "P0001", None, NOW).events.values()}
    attendance = held["School attendance for a term"]
    self_harm = held["Emergency department attendance: Self-harm"]
    add_voice(store, "P0001", "I was caring for my mum those weeks", attendance.event_id, NOW)
    add_voice(store, "P0001", "Please ask me before anyone reads this", self_harm.event_id, NOW)
    _, entries = statuses(store, "sw-amara", "northshire-council")
    assert entries["School attendance for a term"].young_person_says == (
        "I was caring for my mum those weeks",
    )
    withheld = entries["Emergency department attendance: Self-harm"]
    assert not withheld.shown and withheld.young_person_says == ()


def test_a_change_to_the_register_takes_effect_at_the_next_view(store: Store) -> None:
    # Views keep the register they read until it changes: suspending the agreement under
    # which the school shares attendance withholds it at once, and reinstating it shows it.
    request, entries = statuses(store, "sw-amara", "northshire-council")
    attendance = "School attendance for a term"
    assert entries[attendance].shown
    ref = _agreement_sharing("northshire-schools", "northshire-council", store)
    change_status(store, ref, AgreementStatus.SUSPENDED, "under review", "admin", NOW)
    after = {e.event.description: e for e in view(store, request, NOW).entries}
    assert after[attendance].status is Status.WITHHELD
    change_status(store, ref, AgreementStatus.ACTIVE, "review done", "admin", NOW)
    again = {e.event.description: e for e in view(store, request, NOW).entries}
    assert again[attendance].shown


def _agreement_sharing(source: str, recipient: str, store: Store) -> str:
    return next(
        entry.agreement.ref
        for entry in list_agreements(store)
        if any(f.source == source and f.recipient == recipient for f in entry.agreement.flows)
    )


def test_two_first_views_of_one_request_at_once_both_answer_and_open_one_release_each(
    store: Store,
) -> None:
    # The school's request waits on the police: its first view opens a pending release.
    request = asked(store, "dsl-ben", "northshire-schools")
    answers: list[object] = []

    def first_view() -> None:
        try:
            answers.append(view(store, request, NOW))
        except Exception as failure:
            answers.append(failure)

    views = [threading.Thread(target=first_view) for _ in range(2)]
    run_while_row_is_held(store, sharing_requests.c.id, request.id, views)
    assert [type(answer).__name__ for answer in answers] == ["Chronology", "Chronology"]
    assert len(releases(store, agency="northshire-police", pending_on="originator")) == 1


def test_two_answers_to_one_release_at_the_same_moment_keep_only_the_first(
    store: Store,
) -> None:
    statuses(store, "dsl-ben", "northshire-schools")
    (waiting,) = releases(store, agency="northshire-police", pending_on="originator")
    answers = [
        lambda approve=approve: answer(
            store,
            waiting.id,
            approve=approve,
            by="pc-cara",
            reason="",
            now=NOW,
            agency="northshire-police",
        )
        for approve in (True, False)
    ]
    assert race(store, pending_releases.c.id, waiting.id, answers) == ["NotFound", "done"]
    audit_answers = [
        entry["kind"]
        for _, data, _ in stream_entries(store)
        if (entry := json.loads(data))["kind"] in {"approval", "refusal"}
    ]
    assert len(audit_answers) == 1
