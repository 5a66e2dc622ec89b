"""The practitioner's journeys and the agency inbox through the JSON API: the same rules as
the pages, because the same seen.sharing functions (docs/web.md)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from seen.store import Store
from web.partnership import NOT_PRACTITIONERS, api_token, partnership_with_accounts

ASK = {"purpose": "safeguarding", "lawful_basis": "uk-gdpr-6-1-e"}


@pytest.fixture(autouse=True)
def partnership(store: Store) -> None:
    partnership_with_accounts(store)


def test_a_practitioner_finds_opens_asks_reads_and_decides(client: Any) -> None:
    amara = api_token(client, "sw-amara")
    found = client.get("/api/v1/children", params={"reference": "C-1001"}, headers=amara)
    assert found.status_code == 200 and found.json() == {"person_id": "P0001"}
    theirs = client.get("/api/v1/children", params={"reference": "S-2001"}, headers=amara)
    unknown = client.get("/api/v1/children", params={"reference": "C-9999"}, headers=amara)
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json() == unknown.json()

    child = client.get("/api/v1/children/P0001", headers=amara).json()
    assert child["references"] == ["C-1001"]
    involved = {a["agency"]: a["contacts"] for a in child["involved"]}
    assert involved["northshire-police"] == [{"ref": "pc-cara", "roles": ["police_officer"]}]
    assert involved["northshire-health"] == []  # ask for the safeguarding lead

    bad = client.post(
        "/api/v1/children/P0001/requests", json={**ASK, "purpose": "x"}, headers=amara
    )
    assert bad.status_code == 422
    assert bad.json()["problems"] == [
        {"field": "purpose", "message": "Choose the purpose of the request"}
    ]
    asked = client.post("/api/v1/children/P0001/requests", json=ASK, headers=amara)
    assert asked.status_code == 201 and asked.json()["break_glass"] is False
    request_id = asked.json()["id"]

    chronology = client.get(f"/api/v1/requests/{request_id}", headers=amara)
    assert chronology.status_code == 200
    body = chronology.json()
    starts = [event["start"] for event in body["shown"]]
    assert starts == sorted(starts) and len(starts) == 4
    assert body["shown"][0]["agency"] == "northshire-council"
    (withheld,) = body["withheld"]
    assert withheld == {
        "agency": "northshire-health",
        "status": "withheld",
        "reasons": withheld["reasons"],
    }
    assert "Self-harm" not in chronology.text and "2026-07-02" not in chronology.text

    decided = client.post(
        f"/api/v1/requests/{request_id}/decisions",
        json={"decision": "section_47_enquiry", "reason": "Injury and domestic incident"},
        headers=amara,
    )
    assert decided.status_code == 201
    decision_id = decided.json()["id"]
    outcome = {"outcome": "child_protection_plan", "on": "2026-11-02"}
    done = client.post(f"/api/v1/decisions/{decision_id}/outcome", json=outcome, headers=amara)
    assert done.status_code == 200 and done.json()["outcome"] == "child_protection_plan"
    again = client.post(f"/api/v1/decisions/{decision_id}/outcome", json=outcome, headers=amara)
    assert again.status_code == 404
    child = client.get("/api/v1/children/P0001", headers=amara).json()
    assert [d["decision"] for d in child["decisions"]] == ["section_47_enquiry"]
    assert [r["id"] for r in child["requests"]] == [request_id]


def test_the_inbox_answers_through_the_api_as_on_the_page(client: Any) -> None:
    ben = api_token(client, "dsl-ben")
    asked = client.post("/api/v1/children/P0001/requests", json=ASK, headers=ben).json()
    client.get(f"/api/v1/requests/{asked['id']}", headers=ben)  # viewing opens the release
    police = api_token(client, "dpo-police")
    (waiting,) = client.get("/api/v1/inbox", headers=police).json()["waiting"]
    assert waiting["record"]["description"] == "Police incident: Domestic incident"
    assert (waiting["asked_by"], waiting["asked_by_agency"]) == ("dsl-ben", "northshire-schools")

    health = api_token(client, "hv-dev")
    assert client.get("/api/v1/inbox", headers=health).json()["waiting"] == []
    stranger = client.post(f"/api/v1/inbox/{waiting['id']}", json={"approve": True}, headers=health)
    nothing = client.post("/api/v1/inbox/99999", json={"approve": True}, headers=health)
    assert stranger.status_code == nothing.status_code == 404
    assert stranger.json() == nothing.json()

    url = f"/api/v1/inbox/{waiting['id']}"
    unexplained = client.post(url, json={"approve": False}, headers=police)
    assert unexplained.status_code == 422
    assert unexplained.json()["problems"][0]["field"] == "reason"
    approved = client.post(url, json={"approve": True}, headers=police)
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert approved.json()["answered_by"] == "dpo-police"
    seen = client.get(f"/api/v1/requests/{asked['id']}", headers=ben).json()
    assert "Police incident: Domestic incident" in [e["description"] for e in seen["shown"]]


def test_other_roles_and_guessed_ids_get_nothing(client: Any) -> None:
    ben = api_token(client, "dsl-ben")
    bens = client.post("/api/v1/children/P0001/requests", json=ASK, headers=ben).json()["id"]
    calls = [
        ("GET", "/api/v1/children?reference=S-2001", None),
        ("GET", "/api/v1/children/P0001", None),
        ("POST", "/api/v1/children/P0001/requests", ASK),
        ("GET", f"/api/v1/requests/{bens}", None),
        ("POST", f"/api/v1/requests/{bens}/decisions", {"decision": "other", "reason": "x"}),
        ("POST", "/api/v1/decisions/1/outcome", {"outcome": "closed", "on": "2026-11-02"}),
    ]
    for username in NOT_PRACTITIONERS:
        headers = api_token(client, username)
        for method, url, body in calls:
            answer = client.request(method, url, json=body, headers=headers)
            assert answer.status_code == 403, (username, url)
            assert "P0001" not in answer.text and "northshire" not in answer.text
        inbox = client.get("/api/v1/inbox", headers=headers)
        assert inbox.status_code == (200 if username.startswith("dpo-") else 403), username
    for method, url, body in calls:
        assert client.request(method, url, json=body).status_code == 401

    amara = api_token(client, "sw-amara")
    for guessed, missing in [
        ("/api/v1/children/P0002", "/api/v1/children/P9999"),
        (f"/api/v1/requests/{bens}", "/api/v1/requests/0123456789abcdef0123456789abcdef"),
    ]:
        one, other = client.get(guessed, headers=amara), client.get(missing, headers=amara)
        assert one.status_code == other.status_code == 404
        assert one.json() == other.json()
    posted = client.post(
        f"/api/v1/requests/{bens}/decisions",
        json={"decision": "early_help", "reason": "A guess"},
        headers=amara,
    )
    assert posted.status_code == 404


def test_the_openapi_document_describes_every_error_answer(client: Any) -> None:
    document = client.get("/api/v1/openapi.json").json()
    mine = {
        "/api/v1/children": {"get": {"401", "403", "404", "422"}},
        "/api/v1/children/{person_id}": {"get": {"401", "403", "404"}},
        "/api/v1/children/{person_id}/requests": {"post": {"201", "401", "403", "404", "422"}},
        "/api/v1/requests/{request_id}": {"get": {"401", "403", "404"}},
        "/api/v1/requests/{request_id}/decisions": {"post": {"201", "404", "422"}},
        "/api/v1/decisions/{decision_id}/outcome": {"post": {"200", "404", "422"}},
        "/api/v1/inbox": {"get": {"200", "401", "403"}},
        "/api/v1/inbox/{release_id}": {"post": {"200", "401", "403", "404", "422"}},
    }
    for path, methods in mine.items():
        for method, codes in methods.items():
            described = set(document["paths"][path][method]["responses"])
            assert codes <= described, (path, method, codes - described)
    # Every 422 has one shape: a sentence and each problem by field.
    invalid = json.dumps(document["components"]["schemas"]["Invalid"])
    assert "problems" in invalid
    problem = json.dumps(document["components"]["schemas"]["FieldProblem"])
    assert "field" in problem and "message" in problem
