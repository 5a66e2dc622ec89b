"""The young person's pages: plain pages that pass the checks, their records beside their
own words, who looked, their choices changing what a practitioner sees, requests waiting for
them, young carer statements and the download; nothing withheld from them, no one else's
record, no other role, and nothing at all when the audit log cannot record the look."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest

from seen.audit.log import AuditWriteError
from seen.sharing import chronology
from seen.sharing.chronology import Status
from seen.store import Store
from web.conftest import CheckedClient
from web.young_people import (
    OTHER_ROLES,
    event_of,
    practitioner_looks,
    sign_in,
    withhold,
    young_partnership,
)

PAGES = [
    "/me",
    "/me/access",
    "/me/choices",
    "/me/choices/health",
    "/me/requests",
    "/me/voice",
    "/me/contests",
    "/me/young-carer",
    "/me/young-carer/who-may-know",
]


def plain(response: Any) -> str:
    """The page's text with HTML's character references read (&#39; is ')."""
    return html.unescape(response.text)


@pytest.fixture(autouse=True)
def partnership(store: Store) -> None:
    young_partnership(store)


@pytest.fixture
def me(client: CheckedClient) -> CheckedClient:
    sign_in(client, "yp-p0001")
    return client


def test_every_page_renders_plainly_and_passes_the_checks(me: CheckedClient) -> None:
    for path in PAGES:
        response = me.get(path)
        assert response.status_code == 200, path
    held = plain(me.get("/me"))
    assert "An agency is an organisation that works with you" in held
    for words in ("Your school", "The police", "The NHS (health)", "Children's services"):
        assert words in held


def test_other_roles_are_refused_with_no_data(client: CheckedClient) -> None:
    for username in OTHER_ROLES:
        sign_in(client, username)
        for path in PAGES:
            response = client.get(path)
            assert response.status_code == 403, (username, path)
            assert "Police incident" not in response.text
        client.cookies.clear()


def test_signed_out_visitors_are_sent_to_sign_in(client: CheckedClient) -> None:
    assert client.get("/me").status_code == 303


def test_what_is_held_shows_each_agency_and_my_voice_as_prominently(
    me: CheckedClient, store: Store
) -> None:
    police = event_of(store, "N-3001")
    token = me.csrf("/me/voice")
    said = me.post(
        "/me/voice",
        data={
            "text": "I was only there to help my mum.",
            "about": str(police),
            "csrf_token": token,
        },
    )
    assert said.status_code == 303
    me.post("/me/voice", data={"text": "I like football.", "csrf_token": token})
    page = me.get("/me").text
    assert "Police incident: Domestic incident" in page
    assert "I was only there to help my mum." in page
    assert "I like football." in page
    # The same heading level and size for their words as for the agencies' records.
    assert '<h3 class="govuk-heading-s">Police incident: Domestic incident</h3>' in page
    assert '<h3 class="govuk-heading-s">What you said about this</h3>' in page
    # Their words sit right under the record they are about, before the next agency's.
    assert (
        page.index("Police incident")
        < page.index("I was only there")
        < page.index("School attendance for a term")
    )


def test_a_record_withheld_from_them_and_its_traces_never_appear(
    me: CheckedClient, store: Store
) -> None:
    police = event_of(store, "N-3001")
    practitioner_looks(store)
    withhold(store, police)
    for path in ("/me", "/me/access", "/me/download"):
        text = me.get(path).text
        assert "Police incident" not in text, path
        assert "Contact with the police" not in text, path
        assert "northshire-police" not in text, path
    assert me.get(f"/me/records/{police}/contest").status_code == 404
    assert me.get(f"/me/voice?about={police}").status_code == 404


def test_another_young_persons_record_is_not_found_like_a_missing_one(
    me: CheckedClient, store: Store
) -> None:
    theirs = event_of(store, "S-2002")
    missing = 999_999
    token = me.csrf("/me/voice")
    for event in (theirs, missing):
        assert me.get(f"/me/records/{event}/contest").status_code == 404
        posted = me.post(
            f"/me/records/{event}/contest", data={"text": "Wrong", "csrf_token": token}
        )
        assert posted.status_code == 404
        assert me.get(f"/me/voice?about={event}").status_code == 404
    a = me.get(f"/me/records/{theirs}/contest").text
    b = me.get(f"/me/records/{missing}/contest").text
    assert a == b


def test_who_looked_names_the_worker_agency_reason_and_emergencies(
    me: CheckedClient, store: Store
) -> None:
    practitioner_looks(store)
    page = me.get("/me/access").text
    assert "sw-amara from northshire-council" in page
    assert "To keep you safe" in page
    assert "They were shown it" in page
    assert "In an emergency" not in page
    request = chronology.ask(
        store,
        practitioner="pc-cara",
        agency="northshire-police",
        person_id="P0001",
        purpose="safeguarding",
        lawful_basis="dpa-2018-sch1-para18",
        justification="She told her teacher she is frightened to go home tonight",
        now=store_now(),
    )
    chronology.view(store, request, store_now())
    assert "In an emergency" in me.get("/me/access").text


def test_who_looked_shows_an_agency_reading_its_own_record_but_not_governance_looks(
    me: CheckedClient, store: Store
) -> None:
    from seen.audit.people import entries_about
    from seen.sharing import subject
    from seen.sharing.break_glass import break_glass_requests
    from seen.sharing.contests import agency_contests, open_contest
    from seen.sharing.inbox import inbox
    from seen.sharing.world_slice import Reader

    now = store_now()
    police = event_of(store, "N-3001")
    asked = chronology.ask(
        store,
        practitioner="pc-cara",
        agency="northshire-police",
        person_id="P0001",
        purpose="safeguarding",
        lawful_basis="dpa-2018-sch1-para18",
        justification="She told her teacher she is frightened to go home tonight",
        now=now,
    )
    chronology.view(store, asked, now)
    school = chronology.ask(
        store,
        practitioner="dsl-ben",
        agency="northshire-schools",
        person_id="P0001",
        purpose="safeguarding",
        lawful_basis="uk-gdpr-6-1-e",
        justification=None,
        now=now,
    )
    chronology.view(store, school, now)  # the police record waits in the police's inbox
    before = subject.access_history(store, "P0001")
    # An agency's DPO reads its own record for its inboxes: reads of the record, so shown.
    dpo = Reader("dpo-police", "northshire-police", practitioner=False)
    open_contest(store, "P0001", police, "That was not me.", now)
    assert agency_contests(store, dpo, now)
    assert inbox(store, dpo, now).waiting
    # A governance look at the break-glass request names the child, but reads no record.
    assert break_glass_requests(store, agency=None, viewer="admin-rosa", now=now)
    kinds = [entry["kind"] for entry in entries_about(store, "P0001")]
    assert "review_view" in kinds
    after = subject.access_history(store, "P0001")
    inbox_read, contest_read = after[: len(after) - len(before)]  # newest first
    assert (inbox_read.request, inbox_read.purpose) == (school.id, "safeguarding")
    assert contest_read.request.startswith("contest-")
    for read in (inbox_read, contest_read):
        assert (read.practitioner, read.record_agency, read.outcome) == (
            "dpo-police",
            "northshire-police",
            "allow",
        )
    assert all(access.practitioner != "admin-rosa" for access in after)
    page = plain(me.get("/me/access"))
    assert "dpo-police from northshire-police" in page
    assert "To answer you when you said a record was wrong" in page
    assert "admin-rosa" not in page


def store_now():  # type: ignore[no-untyped-def]
    from sharing.factories import NOW

    return NOW


def test_dont_share_on_the_choices_page_stops_a_practitioner_seeing_it(
    me: CheckedClient, store: Store
) -> None:
    before = {e.event.description: e for e in practitioner_looks(store).entries}
    assert before["Police incident: Domestic incident"].shown
    token = me.csrf("/me/choices/police_contact")
    saved = me.post(
        "/me/choices/police_contact",
        data={"childrens_services": "do_not_share", "csrf_token": token},
    )
    assert saved.status_code == 303
    after = {e.event.description: e for e in practitioner_looks(store).entries}
    assert after["Police incident: Domestic incident"].status is Status.WITHHELD
    page = plain(me.get("/me/choices"))
    assert "Children's services: Don't share" in page
    assert "You chose: Contact with the police, Children's services: Don't share" in page


def test_a_choice_that_is_not_one_is_refused_with_an_error(me: CheckedClient) -> None:
    token = me.csrf("/me/choices/health")
    response = me.post("/me/choices/health", data={"police": "maybe", "csrf_token": token})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.text
    assert me.get("/me/choices/gossip").status_code == 404


def test_ask_me_first_brings_the_request_to_them_and_their_yes_shows_it(
    me: CheckedClient, store: Store
) -> None:
    token = me.csrf("/me/choices/attendance")
    me.post("/me/choices/attendance", data={"childrens_services": "ask_first", "csrf_token": token})
    entries = {e.event.description: e for e in practitioner_looks(store).entries}
    assert entries["School attendance for a term"].status is Status.WAITING_ON_YOUNG_PERSON
    page = me.get("/me/requests").text
    assert "sw-amara from northshire-council" in page
    assert "School attendance for a term" in page
    (release,) = chronology.releases(store, person_id="P0001", pending_on="young_person")
    empty = me.post(f"/me/requests/{release.id}", data={"csrf_token": token})
    assert empty.status_code == 400
    yes = me.post(f"/me/requests/{release.id}", data={"answer": "yes", "csrf_token": token})
    assert yes.status_code == 303
    assert (
        "You said\n          yes" in me.get("/me/requests").text
        or "yes on" in me.get("/me/requests").text
    )
    again = me.post(f"/me/requests/{release.id}", data={"answer": "no", "csrf_token": token})
    assert again.status_code == 404


def test_another_young_person_cannot_answer_my_request(client: CheckedClient, store: Store) -> None:
    from seen.sharing.subject import change_choice
    from sharing.factories import NOW

    change_choice(store, "P0001", "attendance", "childrens_services", "ask_first", NOW)
    practitioner_looks(store)
    (release,) = chronology.releases(store, person_id="P0001", pending_on="young_person")
    sign_in(client, "yp-p0002")
    token = client.csrf("/me/voice")
    answer = client.post(f"/me/requests/{release.id}", data={"answer": "yes", "csrf_token": token})
    assert answer.status_code == 404
    assert "School attendance" not in client.get("/me/requests").text


def test_my_voice_keeps_what_they_wrote_and_says_when_it_is_empty(me: CheckedClient) -> None:
    token = me.csrf("/me/voice")
    empty = me.post("/me/voice", data={"text": "   ", "csrf_token": token})
    assert empty.status_code == 400
    assert "Write what you want to say" in empty.text
    long = me.post("/me/voice", data={"text": "a" * 2001, "csrf_token": token})
    assert long.status_code == 400
    me.post("/me/voice", data={"text": "Please call me Sam.", "csrf_token": token})
    assert "Please call me Sam." in me.get("/me/voice").text


def test_young_carer_is_asked_once_then_who_may_know_sets_choices(
    me: CheckedClient, store: Store
) -> None:
    from seen.sharing.subject import latest_choices

    token = me.csrf("/me/young-carer")
    unanswered = me.post("/me/young-carer", data={"csrf_token": token})
    assert unanswered.status_code == 400
    yes = me.post("/me/young-carer", data={"looks_after": "yes", "csrf_token": token})
    assert yes.headers["location"] == "/me/young-carer/who-may-know"
    saved = me.post(
        "/me/young-carer/who-may-know",
        data={"who_may_know": ["school", "young_carers_service"], "csrf_token": token},
    )
    assert saved.status_code == 303
    page = me.get("/me/young-carer").text
    assert "you told Seen that you look after someone at home" in page
    assert "Your school" in page and "The police" not in page
    latest = latest_choices(store, "P0001")
    assert latest[("young_carer", "school")].choice == "share"
    assert latest[("young_carer", "police")].choice == "do_not_share"
    me.post("/me/young-carer/withdraw", data={"csrf_token": token})
    assert "you do not look after anyone" in me.get("/me/young-carer").text
    assert latest_choices(store, "P0001")[("young_carer", "school")].choice == "do_not_share"


def test_the_download_is_a_json_attachment_of_everything(me: CheckedClient, store: Store) -> None:
    practitioner_looks(store)
    token = me.csrf("/me/voice")
    said = me.post("/me/voice", data={"text": "My side of it.", "csrf_token": token})
    assert said.status_code == 303, said.text
    response = me.get("/me/download")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"].startswith("attachment;")
    document = json.loads(response.text)
    assert len(document["records"]) == 5
    assert document["who_looked"]
    assert document["my_voice"][0]["text"] == "My side of it."
    assert len(document["choices"]) == 50
    assert set(document) >= {"choice_history", "contests", "requests", "young_carer"}


def test_nothing_is_shown_when_the_audit_log_cannot_record_the_look(
    me: CheckedClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> list[int]:
        raise AuditWriteError("the audit log is full")

    monkeypatch.setattr("seen.policy.audited.append", broken)
    for path in ("/me", "/me/download", "/me/requests"):
        response = me.get(path)
        assert response.status_code >= 500 or path == "/me/requests", path
        assert "Police incident" not in response.text
        assert "School attendance" not in response.text
