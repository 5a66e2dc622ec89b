"""The agreements register over the API: the same reads, the same changes and the same
checks as the pages, for the same roles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from seen.store import Store
from web.conftest import CheckedClient
from web.governance import bearer, governed_partnership

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "agreements.yaml"


@pytest.fixture(autouse=True)
def partnership(store: Store) -> None:
    governed_partnership(store)


def example(ref: str) -> dict[str, Any]:
    """An agreement of the examples file as JSON (dates as text), under a new reference."""
    document = yaml.safe_load(EXAMPLES.read_text("utf-8"))["agreements"][1]
    as_json = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in document.items()}
    return {**as_json, "ref": ref}


def test_governance_roles_read_the_register_and_every_term(client: CheckedClient) -> None:
    headers = bearer(client, "dpo-council")
    listed = client.get("/api/v1/agreements", headers=headers)
    assert listed.status_code == 200
    assert [a["ref"] for a in listed.json()] == ["ISA-NS-POLICE-SCHOOLS", "ISA-NS-SAFEGUARDING"]
    one = client.get("/api/v1/agreements/ISA-NS-POLICE-SCHOOLS", headers=headers).json()
    assert one["flows"] == [
        {"from": "northshire-police", "to": "northshire-schools", "categories": ["police_contact"]}
    ]
    assert one["release"] == "originator_approval" and one["in_force"] is True
    assert one["history"][0]["reason"] == "imported from agreements.yaml"
    assert client.get("/api/v1/agreements/ISA-NOPE", headers=headers).status_code == 404


@pytest.mark.parametrize("username", ["sw-amara", "yp-p0001", "analyst-gus"])
def test_other_roles_get_403_and_no_data(client: CheckedClient, username: str) -> None:
    response = client.get("/api/v1/agreements", headers=bearer(client, username))
    assert response.status_code == 403 and "ISA" not in response.text


def test_only_the_administrator_changes_the_register(client: CheckedClient) -> None:
    dpo = bearer(client, "dpo-council")
    body = {"action": "suspend", "reason": "Breach under review"}
    assert (
        client.post(
            "/api/v1/agreements/ISA-NS-SAFEGUARDING/status", json=body, headers=dpo
        ).status_code
        == 403
    )
    assert client.post("/api/v1/agreements", json=example("ISA-X"), headers=dpo).status_code == 403
    admin = bearer(client, "admin-rosa")
    changed = client.post("/api/v1/agreements/ISA-NS-SAFEGUARDING/status", json=body, headers=admin)
    assert changed.status_code == 200
    assert changed.json()["status"] == "suspended" and changed.json()["in_force"] is False
    assert changed.json()["history"][-1] == {
        "status": "suspended",
        "reason": "Breach under review",
        "by": "admin-rosa",
        "at": "2026-11-02T09:00:00Z",
    }
    again = client.post("/api/v1/agreements/ISA-NS-SAFEGUARDING/status", json=body, headers=admin)
    assert again.status_code == 422 and again.json()["problems"][0]["field"] == "action"


def test_the_api_adds_an_agreement_with_the_importers_checks(client: CheckedClient) -> None:
    admin = bearer(client, "admin-rosa")
    created = client.post("/api/v1/agreements", json=example("ISA-NS-2"), headers=admin)
    assert created.status_code == 201, created.text
    assert created.json()["ref"] == "ISA-NS-2" and created.json()["status"] == "active"
    clash = client.post("/api/v1/agreements", json=example("ISA-NS-2"), headers=admin)
    assert clash.status_code == 422
    wrong = {**example("ISA-NS-3"), "purposes": ["gossip"], "starts": "2026-02-30"}
    refused = client.post("/api/v1/agreements", json=wrong, headers=admin)
    assert refused.status_code == 422
    fields = {p["field"] for p in refused.json()["problems"]}
    assert {"purposes", "starts"} <= fields


def test_a_review_sets_the_next_review_date(client: CheckedClient) -> None:
    admin = bearer(client, "admin-rosa")
    reviewed = client.post(
        "/api/v1/agreements/ISA-NS-SAFEGUARDING/reviews",
        json={"next_review": "2027-12-31", "notes": "No changes"},
        headers=admin,
    )
    assert reviewed.status_code == 201, reviewed.text
    assert reviewed.json()["next_review"] == "2027-12-31"
    assert reviewed.json()["reviews"][0]["by"] == "admin-rosa"
    past = client.post(
        "/api/v1/agreements/ISA-NS-SAFEGUARDING/reviews",
        json={"next_review": "2020-01-01"},
        headers=admin,
    )
    assert past.status_code == 422
