"""The break-glass review queue: a DPO reviews their own agency's break-glass requests and
those about children their agency holds records of; another's is not found, exactly like
one that does not exist. A review is recorded with its audit entry, and the notes stay out
of the log."""

from __future__ import annotations

import json
from typing import Any

import pytest

from seen.audit.log import AuditWriteError, stream_entries
from seen.sharing.break_glass import break_glass_requests
from seen.sharing.chronology import SharingRequest
from seen.store import Store
from sharing.factories import NOW
from web.conftest import CheckedClient
from web.governance import (
    JUSTIFICATION,
    bearer,
    break_glass,
    governed_partnership,
    post_form,
    sign_in,
)

NOTES = "Spoke to the worker: the child was missing and police were searching."


@pytest.fixture
def requests(store: Store) -> dict[str, SharingRequest]:
    governed_partnership(store)
    return {
        # the council's social worker, about a child the council holds
        "council": break_glass(store, "sw-amara", "northshire-council", "P0001"),
        # a school's lead, about a child only the schools hold
        "school-only": break_glass(store, "dsl-ben", "northshire-schools", "P0002"),
    }


def path(request: SharingRequest) -> str:
    return f"/governance/break-glass/{request.id}"


def test_the_queue_shows_who_when_which_child_why_and_how_many_records_were_shown(
    client: CheckedClient, requests: dict[str, SharingRequest], store: Store
) -> None:
    sign_in(client, "admin-rosa")
    page = client.get("/governance/break-glass")
    assert page.status_code == 200
    assert "Waiting for review (2)" in page.text
    assert "sw-amara (northshire-council)" in page.text and "P0002" in page.text
    detail = client.get(path(requests["council"])).text
    assert JUSTIFICATION in detail and "dpa-2018-sch1-para18" in detail
    (council,) = [
        r
        for r in break_glass_requests(store, agency=None, viewer="admin-rosa", now=NOW)
        if r.practitioner == "sw-amara"
    ]
    assert council.records_shown == 4  # all but the restricted record


def test_a_dpo_sees_only_their_agencys_requests_and_others_are_not_found(
    client: CheckedClient, requests: dict[str, SharingRequest]
) -> None:
    sign_in(client, "dpo-council")
    page = client.get("/governance/break-glass").text
    assert "sw-amara" in page and "P0002" not in page
    assert client.get(path(requests["council"])).status_code == 200
    hidden = client.get(path(requests["school-only"]))
    missing = client.get("/governance/break-glass/" + "0" * 32)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text == missing.text
    token = client.csrf(path(requests["council"]))
    posted = client.post(
        path(requests["school-only"]),
        data={"outcome": "appropriate", "notes": NOTES, "csrf_token": token},
    )
    assert posted.status_code == 404


def test_a_dpo_of_an_agency_holding_the_childs_records_sees_anothers_request(
    client: CheckedClient, requests: dict[str, SharingRequest]
) -> None:
    sign_in(client, "dpo-police")  # the police hold a record of P0001, not of P0002
    page = client.get("/governance/break-glass").text
    assert "sw-amara" in page and "P0002" not in page


@pytest.mark.parametrize("username", ["sw-amara", "yp-p0001", "analyst-gus"])
def test_other_roles_may_not_see_the_queue(
    client: CheckedClient, requests: dict[str, SharingRequest], username: str
) -> None:
    sign_in(client, username)
    for where in ("/governance/break-glass", path(requests["council"])):
        response = client.get(where)
        assert response.status_code == 403 and JUSTIFICATION not in response.text


def test_a_review_is_recorded_audited_without_its_notes_and_listed_apart(
    client: CheckedClient, requests: dict[str, SharingRequest], store: Store
) -> None:
    sign_in(client, "dpo-council")
    where = path(requests["council"])
    response = post_form(client, where, where, {"outcome": "not_appropriate", "notes": NOTES})
    assert response.status_code == 303
    shown = client.get(response.headers["location"]).text
    assert "Your review has been recorded." in shown and NOTES in shown
    assert "Not appropriate" in shown and "Review it" not in shown
    queue = client.get("/governance/break-glass").text
    assert "Reviewed (1)" in queue and "There are no break-glass requests waiting" in queue
    entries = [entry for _, entry, _ in stream_entries(store)]
    reviews = [e for e in entries if b'"kind":"break_glass_review"' in e]
    assert len(reviews) == 1
    assert requests["council"].id.encode() in reviews[0]
    assert b"review_not_appropriate" in reviews[0] and b'"actor":"dpo-council"' in reviews[0]
    assert not any(b"Spoke to the worker" in e for e in entries)


def test_a_review_needs_an_outcome_and_notes_and_happens_once(
    client: CheckedClient, requests: dict[str, SharingRequest]
) -> None:
    sign_in(client, "admin-rosa")
    where = path(requests["school-only"])
    response = post_form(client, where, where, {"notes": "  "})
    assert response.status_code == 400
    assert "Choose whether the break-glass was appropriate" in response.text
    assert "Write what the review found" in response.text
    assert 'href="#outcome"' in response.text and 'href="#notes"' in response.text
    assert (
        post_form(client, where, where, {"outcome": "appropriate", "notes": NOTES}).status_code
        == 303
    )
    token = client.csrf("/sign-out")
    again = client.post(where, data={"outcome": "appropriate", "notes": NOTES, "csrf_token": token})
    assert again.status_code == 400 and "reviewed already" in again.text


def test_the_api_lists_and_reviews_what_the_pages_do(
    client: CheckedClient, requests: dict[str, SharingRequest]
) -> None:
    headers = bearer(client, "dpo-council")
    listed = client.get("/api/v1/break-glass", headers=headers)
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()] == [requests["council"].id]
    assert listed.json()[0]["records_shown"] == 4
    assert listed.json()[0]["justification"] == JUSTIFICATION
    hidden = client.post(
        f"/api/v1/break-glass/{requests['school-only'].id}/review",
        json={"outcome": "appropriate", "notes": NOTES},
        headers=headers,
    )
    assert hidden.status_code == 404
    reviewed = client.post(
        f"/api/v1/break-glass/{requests['council'].id}/review",
        json={"outcome": "appropriate", "notes": NOTES},
        headers=headers,
    )
    assert reviewed.status_code == 201, reviewed.text
    assert reviewed.json()["review"]["outcome"] == "appropriate"
    again = client.post(
        f"/api/v1/break-glass/{requests['council'].id}/review",
        json={"outcome": "appropriate", "notes": NOTES},
        headers=headers,
    )
    assert again.status_code == 422
    assert again.json()["problems"][0]["field"] == "outcome"
    practitioner = bearer(client, "sw-amara")
    assert client.get("/api/v1/break-glass", headers=practitioner).status_code == 403


def looks(store: Store) -> list[dict[str, Any]]:
    entries = [json.loads(entry) for _, entry, _ in stream_entries(store)]
    return [e for e in entries if e["kind"] == "review_view"]


def test_every_look_at_a_request_is_recorded_before_it_is_shown(
    client: CheckedClient, requests: dict[str, SharingRequest], store: Store
) -> None:
    council = requests["council"]
    sign_in(client, "dpo-council")
    assert "sw-amara (northshire-council)" in client.get("/governance/break-glass").text
    (queued,) = looks(store)
    assert (queued["actor"], queued["actor_agency"]) == ("dpo-council", "northshire-council")
    assert (queued["request"], queued["person"]) == (council.id, "P0001")
    assert queued["reasons"] == ["break_glass_queue"]
    assert JUSTIFICATION in client.get(path(council)).text
    headers = bearer(client, "dpo-council")
    one = client.get(f"/api/v1/break-glass/{council.id}", headers=headers)
    assert one.status_code == 200 and one.json()["justification"] == JUSTIFICATION
    assert [e["reasons"] for e in looks(store)[1:]] == [["break_glass_request"]] * 2
    hidden = client.get(f"/api/v1/break-glass/{requests['school-only'].id}", headers=headers)
    nothing = client.get(f"/api/v1/break-glass/{'0' * 32}", headers=headers)
    assert hidden.status_code == nothing.status_code == 404 and hidden.json() == nothing.json()
    assert len(looks(store)) == 3  # a request not theirs is not a look
    assert JUSTIFICATION.encode() not in b"".join(e for _, e, _ in stream_entries(store))


def test_nothing_is_shown_when_the_log_cannot_record_the_look(
    client: CheckedClient,
    requests: dict[str, SharingRequest],
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    council = requests["council"]
    sign_in(client, "admin-rosa")
    headers = bearer(client, "admin-rosa")

    def broken(*args: object, **kwargs: object) -> None:
        raise AuditWriteError("the log is unavailable")

    monkeypatch.setattr("seen.sharing.break_glass.append", broken)
    answers = [
        client.get("/governance/break-glass"),
        client.get(path(council)),
        client.get("/api/v1/break-glass", headers=headers),
        client.get(f"/api/v1/break-glass/{council.id}", headers=headers),
    ]
    for answer in answers:
        assert answer.status_code == 503
        for content in (JUSTIFICATION, "P0001", "P0002", "sw-amara", council.id):
            assert content not in answer.text
