"""The young person's JSON API: the same decisions and refusals as the pages."""

from __future__ import annotations

import pytest

from seen.store import Store
from web.conftest import CheckedClient
from web.young_people import (
    OTHER_ROLES,
    bearer,
    event_of,
    practitioner_looks,
    withhold,
    young_partnership,
)

GETS = [
    "/api/v1/me/records",
    "/api/v1/me/access",
    "/api/v1/me/choices",
    "/api/v1/me/requests",
    "/api/v1/me/voice",
    "/api/v1/me/contests",
    "/api/v1/me/young-carer",
    "/api/v1/me/export",
]


@pytest.fixture(autouse=True)
def partnership(store: Store) -> None:
    young_partnership(store)


def test_every_read_answers_the_young_person(client: CheckedClient) -> None:
    headers = bearer(client, "yp-p0001")
    for path in GETS:
        assert client.get(path, headers=headers).status_code == 200, path
    records = client.get("/api/v1/me/records", headers=headers).json()
    assert len(records) == 5


def test_other_roles_and_strangers_are_refused(client: CheckedClient) -> None:
    for path in GETS:
        assert client.get(path).status_code == 401
    for username in OTHER_ROLES:
        headers = bearer(client, username)
        for path in GETS:
            assert client.get(path, headers=headers).status_code == 403, (username, path)


def test_the_export_matches_the_download_and_leaves_out_what_is_withheld(
    client: CheckedClient, store: Store
) -> None:
    police = event_of(store, "N-3001")
    practitioner_looks(store)
    withhold(store, police)
    headers = bearer(client, "yp-p0001")
    export = client.get("/api/v1/me/export", headers=headers).json()
    assert len(export["records"]) == 4
    assert police not in {r["event_id"] for r in export["records"]}
    assert all(a["record_agency"] != "northshire-police" for a in export["who_looked"])
    assert "Police" not in str(export["records"])


def test_choices_voice_contests_and_young_carer_through_the_api(
    client: CheckedClient, store: Store
) -> None:
    headers = bearer(client, "yp-p0001")
    changed = client.post(
        "/api/v1/me/choices",
        json={"category": "health", "recipient_kind": "school", "choice": "ask_first"},
        headers=headers,
    )
    assert changed.status_code == 200
    assert changed.json()["history"][-1]["method"] == "self_service"
    bad = client.post(
        "/api/v1/me/choices",
        json={"category": "gossip", "recipient_kind": "school", "choice": "share"},
        headers=headers,
    )
    assert bad.status_code == 422
    theirs = event_of(store, "S-2002")
    mine = event_of(store, "S-2001")
    said = client.post(
        "/api/v1/me/voice", json={"text": "I was ill.", "about_event_id": mine}, headers=headers
    )
    assert said.status_code == 201
    stranger = client.post(
        "/api/v1/me/voice", json={"text": "Hi", "about_event_id": theirs}, headers=headers
    )
    assert stranger.status_code == 404
    for event in (theirs, 999_999):
        contest = client.post(
            f"/api/v1/me/records/{event}/contests", json={"text": "Wrong"}, headers=headers
        )
        assert contest.status_code == 404
        assert contest.json() == {"detail": "Not found."}
    opened = client.post(
        f"/api/v1/me/records/{mine}/contests", json={"text": "Wrong"}, headers=headers
    )
    assert opened.status_code == 201 and opened.json()["status"] == "open"
    stated = client.put(
        "/api/v1/me/young-carer",
        json={"looks_after_someone": True, "who_may_know": ["school"]},
        headers=headers,
    )
    assert stated.json()["who_may_know"] == ["school"]
    export = client.get("/api/v1/me/export", headers=headers).json()
    assert export["young_carer"]["who_may_know"] == ["school"]
    assert export["my_voice"][0]["about_event_id"] == mine
    assert export["contests"][0]["event_id"] == mine


def test_answering_a_request_through_the_api(client: CheckedClient, store: Store) -> None:
    headers = bearer(client, "yp-p0001")
    client.post(
        "/api/v1/me/choices",
        json={
            "category": "attendance",
            "recipient_kind": "childrens_services",
            "choice": "ask_first",
        },
        headers=headers,
    )
    practitioner_looks(store)
    (waiting,) = client.get("/api/v1/me/requests", headers=headers).json()
    assert waiting["status"] == "pending" and waiting["asked_by"] == "sw-amara"
    other = bearer(client, "yp-p0002")
    refused = client.post(
        f"/api/v1/me/requests/{waiting['id']}", json={"approve": True}, headers=other
    )
    assert refused.status_code == 404
    answered = client.post(
        f"/api/v1/me/requests/{waiting['id']}", json={"approve": False}, headers=headers
    )
    assert answered.json()["status"] == "declined"
