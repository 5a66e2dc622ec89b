"""The young person's own view: their records decided and recorded as them, who looked at
them from the audit log, their choices changing what practitioners see, and the requests that
wait for their answer. Nothing withheld from them shows, nor any trace of it."""

from __future__ import annotations

import pytest
from sqlalchemy import insert

from seen.audit.log import AuditWriteError, stream_entries
from seen.errors import InvalidInput, NotFound
from seen.sharing import chronology, subject
from seen.sharing.chronology import Status
from seen.store import Store, write_transaction
from seen.store.tables import withheld_from_subject
from sharing.factories import NOW, linked_partnership


@pytest.fixture(autouse=True)
def partnership(store: Store) -> None:
    linked_partnership(store)


def event_id(store: Store, description_start: str, person: str = "P0001") -> int:
    shown = subject.my_records(store, person, NOW)
    return next(e.event_id for e in shown if e.description.startswith(description_start))


def withhold(store: Store, event: int) -> None:
    with write_transaction(store) as conn:
        conn.execute(
            insert(withheld_from_subject).values(
                event_id=event,
                reason="telling them would put them at risk",
                recorded_by="sw-amara",
                recorded_at=NOW,
            )
        )


def practitioner_view(store: Store, who: str, agency: str) -> dict[str, chronology.ChronologyEntry]:
    request = chronology.ask(
        store,
        practitioner=who,
        agency=agency,
        person_id="P0001",
        purpose="safeguarding",
        lawful_basis="uk-gdpr-6-1-e",
        justification=None,
        now=NOW,
    )
    seen = chronology.view(store, request, NOW)
    return {e.event.description: e for e in seen.entries}


def test_the_young_person_sees_every_record_about_them_and_no_one_elses(store: Store) -> None:
    shown = subject.my_records(store, "P0001", NOW)
    assert len(shown) == 5
    assert {e.agency for e in shown} == {
        "northshire-council",
        "northshire-schools",
        "northshire-police",
        "northshire-health",
    }
    other = subject.my_records(store, "P0002", NOW)
    assert len(other) == 1
    with pytest.raises(NotFound):
        subject.my_record(store, "P0002", shown[0].event_id, NOW)


def test_each_look_is_decided_as_the_child_and_recorded(store: Store) -> None:
    subject.my_records(store, "P0001", NOW)
    decisions = [e for _, e, _ in stream_entries(store) if b'"kind":"decision"' in e]
    assert len(decisions) == 5
    assert all(b'"actor":"P0001"' in e and b'"subject-access"' in e for e in decisions)


def test_a_record_withheld_from_them_is_not_shown_nor_who_looked_at_it(store: Store) -> None:
    police = event_id(store, "Police incident")
    practitioner_view(store, "sw-amara", "northshire-council")
    before = subject.access_history(store, "P0001")
    assert {a.record_agency for a in before} >= {"northshire-police"}
    withhold(store, police)
    assert police not in {e.event_id for e in subject.my_records(store, "P0001", NOW)}
    with pytest.raises(NotFound):
        subject.my_record(store, "P0001", police, NOW)
    after = subject.access_history(store, "P0001")
    assert "northshire-police" not in {a.record_agency for a in after}
    assert len(after) == len(before) - 1


def test_who_looked_names_the_worker_their_agency_and_why(store: Store) -> None:
    practitioner_view(store, "dsl-ben", "northshire-schools")
    history = subject.access_history(store, "P0001")
    assert {a.practitioner for a in history} == {"dsl-ben"}
    assert {a.practitioner_agency for a in history} == {"northshire-schools"}
    assert {a.purpose for a in history} == {"safeguarding"}
    police = next(a for a in history if a.record_agency == "northshire-police")
    assert police.outcome == "pending"
    assert subject.access_words(police) == "Waiting: the agency that holds it had to agree first"


def test_the_person_index_catches_up_with_the_log(store: Store) -> None:
    practitioner_view(store, "sw-amara", "northshire-council")
    first = len(subject.access_history(store, "P0001"))
    practitioner_view(store, "sw-amara", "northshire-council")
    assert len(subject.access_history(store, "P0001")) == 2 * first


def test_dont_share_stops_a_practitioner_seeing_it(store: Store) -> None:
    assert practitioner_view(store, "sw-amara", "northshire-council")[
        "Police incident: Domestic incident"
    ].shown
    subject.change_choice(
        store, "P0001", "police_contact", "childrens_services", "do_not_share", NOW
    )
    later = practitioner_view(store, "sw-amara", "northshire-council")
    assert later["Police incident: Domestic incident"].status is Status.WITHHELD
    latest = subject.latest_choices(store, "P0001")
    assert (
        subject.effective_choice(latest, "police_contact", "childrens_services") == "do_not_share"
    )
    assert subject.effective_choice(latest, "police_contact", "school") is None


def test_ask_me_first_sends_the_request_to_them_and_their_yes_shows_it(store: Store) -> None:
    subject.change_choice(store, "P0001", "attendance", "childrens_services", "ask_first", NOW)
    entries = practitioner_view(store, "sw-amara", "northshire-council")
    assert entries["School attendance for a term"].status is Status.WAITING_ON_YOUNG_PERSON
    (waiting,) = subject.my_requests(store, "P0001", NOW)
    assert waiting.release.asked_by == "sw-amara"
    assert waiting.asked_by_agency == "northshire-council"
    assert waiting.event.description == "School attendance for a term"
    assert subject.my_requests(store, "P0002", NOW) == []
    with pytest.raises(NotFound):
        subject.answer_request(store, "P0002", waiting.release.id, True, NOW)
    subject.answer_request(store, "P0001", waiting.release.id, True, NOW)
    with pytest.raises(NotFound):  # answered once only
        subject.answer_request(store, "P0001", waiting.release.id, False, NOW)


def test_a_request_about_a_record_withheld_from_them_is_not_put_to_them(store: Store) -> None:
    attendance = event_id(store, "School attendance")
    subject.change_choice(store, "P0001", "attendance", "childrens_services", "ask_first", NOW)
    request = chronology.ask(
        store,
        practitioner="sw-amara",
        agency="northshire-council",
        person_id="P0001",
        purpose="safeguarding",
        lawful_basis="uk-gdpr-6-1-e",
        justification=None,
        now=NOW,
    )
    chronology.view(store, request, NOW)
    withhold(store, attendance)
    assert subject.my_requests(store, "P0001", NOW) == []
    # The question does not wait on them for ever: the next view of the request puts it to
    # the school, which holds the record and answers in their place.
    again = {e.event.event_id: e for e in chronology.view(store, request, NOW).entries}
    assert again[attendance].status is Status.WAITING_ON_AGENCY
    (moved,) = chronology.releases(store, agency="northshire-schools", pending_on="originator")
    assert moved.event_id == attendance
    assert chronology.releases(store, person_id="P0001", pending_on="young_person") == []


def test_ask_me_first_about_a_record_withheld_from_them_goes_to_its_holder(store: Store) -> None:
    withhold(store, event_id(store, "School attendance"))
    subject.change_choice(store, "P0001", "attendance", "childrens_services", "ask_first", NOW)
    entries = practitioner_view(store, "sw-amara", "northshire-council")
    assert entries["School attendance for a term"].status is Status.WAITING_ON_AGENCY
    assert chronology.releases(store, person_id="P0001", pending_on="young_person") == []
    assert subject.my_requests(store, "P0001", NOW) == []


def test_a_choice_outside_the_vocabulary_is_refused(store: Store) -> None:
    with pytest.raises(InvalidInput):
        subject.change_choice(store, "P0001", "gossip", "school", "share", NOW)
    with pytest.raises(InvalidInput):
        subject.change_choice(store, "P0001", "health", "school", "maybe", NOW)


def test_nothing_is_returned_when_the_log_cannot_record_the_look(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> list[int]:
        raise AuditWriteError("the disk is full")

    monkeypatch.setattr("seen.policy.audited.append", broken)
    with pytest.raises(AuditWriteError):
        subject.my_records(store, "P0001", NOW)
