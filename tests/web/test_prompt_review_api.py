"""Prompt review through the JSON API: the same rules as the pages, because the same
seen.identify.review functions."""

from __future__ import annotations

import pytest

from identify.factories import prompt_for
from seen.identify.labels import Need
from seen.store import Store
from web.conftest import CheckedClient
from web.partnership import api_token, audit_entries
from web.prompts import partnership_with_prompts


@pytest.fixture(autouse=True)
def partnership(store: Store) -> None:
    partnership_with_prompts(store)


def test_a_reviewer_lists_opens_decides_and_records_the_outcome(
    client: CheckedClient, store: Store
) -> None:
    amara = api_token(client, "sw-amara")
    queue = client.get("/api/v1/prompts", headers=amara)
    assert queue.status_code == 200
    body = queue.json()
    assert (body["agency"], body["kind"], body["on"]) == (
        "northshire-council",
        "childrens_services",
        "2026-11-02",
    )
    assert [(p["person_id"], p["need"]) for p in body["waiting"]] == [
        ("P0001", "exploitation"),
        ("P0002", "exploitation"),
    ]
    first = body["waiting"][0]
    assert first["likelihood"] == "about 13 in 100"
    assert first["suggested_action"] == "Discuss at the multi-agency exploitation panel"
    assert [e["indicator"] for e in first["evidence"]] == ["ed_self_harm_12m", "absence_12m"]

    prompt_id = prompt_for(store, Need.EXPLOITATION, "P0001").id
    opened = client.get(f"/api/v1/prompts/{prompt_id}", headers=amara).json()
    assert opened["own_references"] == ["C-1001"] and opened["decided"] is False
    assert {a["agency"] for a in opened["involved"]} >= {"northshire-police"}
    assert "events" not in str(opened["evidence"])  # indicators, never the records

    bad = client.post(
        f"/api/v1/prompts/{prompt_id}/decisions",
        json={"decision": "maybe", "reason": ""},
        headers=amara,
    )
    assert bad.status_code == 422
    assert bad.json()["problems"] == [
        {"field": "decision", "message": "Choose your decision"},
        {"field": "reason", "message": "Write the reason for your decision"},
    ]
    decided = client.post(
        f"/api/v1/prompts/{prompt_id}/decisions",
        json={"decision": "refer", "reason": "To the panel on Thursday"},
        headers=amara,
    )
    assert decided.status_code == 201
    decision = decided.json()
    assert (decision["decision"], decision["practitioner"], decision["outcome"]) == (
        "refer",
        "sw-amara",
        None,
    )
    again = client.post(
        f"/api/v1/prompts/{prompt_id}/decisions",
        json={"decision": "no_action", "reason": "Second thoughts"},
        headers=amara,
    )
    assert again.status_code == 409
    assert "already recorded" in again.json()["detail"]
    queue = client.get("/api/v1/prompts", headers=amara).json()
    assert [p["person_id"] for p in queue["waiting"]] == ["P0002"]
    assert [a["decision"]["id"] for a in queue["awaiting_outcome"]] == [decision["id"]]

    outcome = {"outcome": "panel_plan", "on": "2026-11-02", "note": "Disruption plan agreed"}
    path = f"/api/v1/prompts/decisions/{decision['id']}/outcome"
    done = client.post(path, json=outcome, headers=amara)
    assert done.status_code == 200 and done.json()["outcome"] == "panel_plan"
    assert client.post(path, json=outcome, headers=amara).status_code == 409
    assert client.get("/api/v1/prompts", headers=amara).json()["awaiting_outcome"] == []

    kinds = [e["kind"] for e in audit_entries(store) if e["kind"] != "prompt_view"]
    assert kinds == ["prompt_decision", "prompt_outcome"]


def test_monitoring_through_the_api(client: CheckedClient, store: Store) -> None:
    yara = api_token(client, "ycw-yara")
    for person, decision in [("P0001", "not_relevant"), ("P0002", "offer_support")]:
        prompt_id = prompt_for(store, Need.YOUNG_CARER, person).id
        answer = client.post(
            f"/api/v1/prompts/{prompt_id}/decisions",
            json={"decision": decision, "reason": "Known to us"},
            headers=yara,
        )
        assert answer.status_code == 201
    (row,) = client.get("/api/v1/prompt-monitoring", headers=api_token(client, "admin-rosa")).json()
    assert (row["need"], row["agency"], row["decisions"], row["agreed"], row["quick"]) == (
        "young_carer",
        "northshire-young-carers",
        2,
        1,
        2,  # neither prompt was opened before it was decided
    )
    assert row["outcomes"] == {"not_relevant": {"none": 1}, "offer_support": {"none": 1}}
    assert row["warnings"] == []
