"""Deny by default: only practitioners of the kind of agency a prompt is for see it, on the
pages and the API alike. Every other role, and practitioners of agencies that review no
prompts, are refused (403) for the queue and for every id; a reviewer of the other kind gets
404 for the other kind's prompts and decisions, the same answer as for an id that does not
exist, with nothing about the child in it. Monitoring is for DPOs and the administrator."""

from __future__ import annotations

from typing import Any

import pytest

from identify.factories import prompt_for
from seen.identify.labels import Need
from seen.store import Store
from web.conftest import CheckedClient
from web.partnership import NOT_PRACTITIONERS, api_token, signed_in_as
from web.prompts import partnership_with_prompts

MISSING = 99_999
DECISION = {"decision": "refer", "reason": "Worth a conversation"}
OUTCOME = {"outcome": "no_contact", "on": "2026-11-02", "note": ""}


@pytest.fixture
def ids(store: Store, client: CheckedClient) -> dict[str, int]:
    """Prompt ids of each need, and a decision on a prompt of each (through the API)."""
    partnership_with_prompts(store)
    found = {
        "young_carer": prompt_for(store, Need.YOUNG_CARER, "P0001").id,
        "young_carer_2": prompt_for(store, Need.YOUNG_CARER, "P0002").id,
        "exploitation": prompt_for(store, Need.EXPLOITATION, "P0001").id,
        "exploitation_2": prompt_for(store, Need.EXPLOITATION, "P0002").id,
    }
    for username, need in [("ycw-yara", "young_carer"), ("sw-amara", "exploitation")]:
        answer = client.post(
            f"/api/v1/prompts/{found[need]}/decisions",
            json=DECISION,
            headers=api_token(client, username),
        )
        assert answer.status_code == 201, answer.text
        found[f"{need}_decision"] = answer.json()["id"]
    return found


def page_requests(ids: dict[str, int], token: str) -> list[tuple[str, str, dict[str, str]]]:
    form = {"csrf_token": token, **DECISION}
    outcome = {"csrf_token": token, "outcome": "no_contact", "outcome_on-day": "2"}
    found: list[tuple[str, str, dict[str, str]]] = [("GET", "/prompts", {})]
    for key in ("young_carer", "young_carer_2", "exploitation", "exploitation_2"):
        found += [("GET", f"/prompts/{ids[key]}", {})]
        found += [("POST", f"/prompts/{ids[key]}/decisions", form)]
    for key in ("young_carer_decision", "exploitation_decision"):
        found += [("GET", f"/prompts/decisions/{ids[key]}/outcome", {})]
        found += [("POST", f"/prompts/decisions/{ids[key]}/outcome", outcome)]
    return found


def send(client: Any, method: str, path: str, form: dict[str, str]) -> Any:
    return client.get(path) if method == "GET" else client.post(path, data=form)


@pytest.mark.parametrize("username", ["dsl-ben", "pc-cara", *NOT_PRACTITIONERS])
def test_everyone_else_is_refused_every_prompt_page_and_operation(
    client: CheckedClient, ids: dict[str, int], username: str
) -> None:
    signed_in_as(client, username)
    token = client.csrf("/sign-out")
    for method, path, form in page_requests(ids, token):
        answer = send(client, method, path, form)
        assert answer.status_code == 403, (username, method, path)
        assert "P0001" not in answer.text and "P0002" not in answer.text
    headers = api_token(client, username)
    for method, path, body in api_requests(ids):
        answer = client.request(method, path, json=body or None, headers=headers)
        assert answer.status_code == 403, (username, method, path)
        assert answer.json() == {"detail": "Your role may not use this."}


def api_requests(ids: dict[str, int]) -> list[tuple[str, str, dict[str, str]]]:
    found: list[tuple[str, str, dict[str, str]]] = [("GET", "/api/v1/prompts", {})]
    for key in ("young_carer", "exploitation"):
        found += [("GET", f"/api/v1/prompts/{ids[key]}", {})]
        found += [("POST", f"/api/v1/prompts/{ids[key]}/decisions", DECISION)]
    for key in ("young_carer_decision", "exploitation_decision"):
        found += [("POST", f"/api/v1/prompts/decisions/{ids[key]}/outcome", OUTCOME)]
    return found


@pytest.mark.parametrize(
    ("username", "theirs"), [("ycw-yara", "exploitation"), ("sw-amara", "young_carer")]
)
def test_another_kinds_prompts_are_not_found_like_no_prompt_at_all(
    client: CheckedClient, ids: dict[str, int], username: str, theirs: str
) -> None:
    signed_in_as(client, username)
    token = client.csrf("/sign-out")
    nothing = client.get(f"/prompts/{MISSING}")
    assert nothing.status_code == 404
    guessed = [
        ("GET", f"/prompts/{ids[theirs]}", {}),
        ("GET", f"/prompts/{ids[theirs + '_2']}", {}),
        ("POST", f"/prompts/{ids[theirs]}/decisions", {"csrf_token": token, **DECISION}),
        ("GET", f"/prompts/decisions/{ids[theirs + '_decision']}/outcome", {}),
        (
            "POST",
            f"/prompts/decisions/{ids[theirs + '_decision']}/outcome",
            {"csrf_token": token, "outcome": "no_contact"},
        ),
        ("GET", f"/prompts/decisions/{MISSING}/outcome", {}),
    ]
    for method, path, form in guessed:
        answer = send(client, method, path, form)
        assert answer.status_code == 404, (method, path)
        assert answer.text == nothing.text
    headers = api_token(client, username)
    missing = client.get(f"/api/v1/prompts/{MISSING}", headers=headers)
    for method, path, body in [
        ("GET", f"/api/v1/prompts/{ids[theirs]}", {}),
        ("POST", f"/api/v1/prompts/{ids[theirs]}/decisions", DECISION),
        ("POST", f"/api/v1/prompts/decisions/{ids[theirs + '_decision']}/outcome", OUTCOME),
    ]:
        answer = client.request(method, path, json=body or None, headers=headers)
        assert answer.status_code == 404, (method, path)
        assert answer.json() == missing.json() == {"detail": "Not found."}
    # Their own queue lists none of the other kind's prompts.
    listed = client.get("/api/v1/prompts", headers=headers).json()
    assert {p["id"] for p in listed["waiting"]}.isdisjoint({ids[theirs], ids[theirs + "_2"]})


def test_signed_out_pages_go_to_sign_in_and_the_api_answers_401(
    client: CheckedClient, ids: dict[str, int]
) -> None:
    for path in ["/prompts", f"/prompts/{ids['young_carer']}", "/governance/prompts"]:
        answer = client.get(path)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/sign-in")
    for path in ["/api/v1/prompts", f"/api/v1/prompts/{ids['young_carer']}"]:
        assert client.get(path).status_code == 401
    assert client.get("/api/v1/prompt-monitoring").status_code == 401


def test_monitoring_is_for_dpos_and_the_administrator_only(
    client: CheckedClient, ids: dict[str, int]
) -> None:
    for username in ["ycw-yara", "sw-amara", "analyst-gus", "yp-p0001"]:
        signed_in_as(client, username)
        assert client.get("/governance/prompts").status_code == 403
        headers = api_token(client, username)
        assert client.get("/api/v1/prompt-monitoring", headers=headers).status_code == 403
    signed_in_as(client, "admin-rosa")
    everyone = client.get("/governance/prompts")
    assert everyone.status_code == 200
    assert "northshire-young-carers" in everyone.text and "northshire-council" in everyone.text
    signed_in_as(client, "dpo-council")
    own = client.get("/governance/prompts")
    assert "northshire-council" in own.text and "northshire-young-carers" not in own.text
    rows = client.get("/api/v1/prompt-monitoring", headers=api_token(client, "dpo-council"))
    assert [(r["need"], r["agency"], r["decisions"]) for r in rows.json()] == [
        ("exploitation", "northshire-council", 1)
    ]
    signed_in_as(client, "dpo-police")
    assert (
        "No decisions on prompts have been recorded yet" in client.get("/governance/prompts").text
    )
