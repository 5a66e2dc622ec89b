"""Accounts for the web tests: one per role, over a council and a school."""

from __future__ import annotations

import datetime as dt
from typing import Any

from seen.domain.accounts import AccountRole
from seen.store import Store, write_transaction
from seen.store.accounts import Passwords, create_account
from seen.store.governance import add_practitioner
from seen.store.writes import insert_agency

PASSWORD = "correct horse battery"
NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)

# username -> (role, practitioner ref, agency, person id)
ACCOUNTS = {
    "sw-amara": (AccountRole.PRACTITIONER, "sw-amara", None, None),
    "dpo-council": (AccountRole.DPO, None, "northshire-council", None),
    "admin-rosa": (AccountRole.ADMINISTRATOR, None, None, None),
    "analyst-gus": (AccountRole.ANALYST, None, None, None),
    "yp-child-1": (AccountRole.YOUNG_PERSON, None, None, "child-1"),
}


def add_accounts(store: Store) -> None:
    with write_transaction(store) as conn:
        insert_agency(conn, "northshire-council", "childrens_services", NOW)
        insert_agency(conn, "northshire-schools", "school", NOW)
    add_practitioner(store, "sw-amara", "northshire-council", ["social_worker"])
    passwords = Passwords("cheapest")
    for username, (role, practitioner, agency, person) in ACCOUNTS.items():
        create_account(
            store,
            passwords,
            username=username,
            password=PASSWORD,
            role=role,
            now=NOW,
            practitioner=practitioner,
            agency=agency,
            person_id=person,
        )


def sign_in(client: Any, username: str) -> None:
    """Sign the page client in (the session cookie stays on the client)."""
    token = client.csrf("/sign-in")
    answer = client.post(
        "/sign-in", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert answer.status_code == 303, answer.text


def bearer(client: Any, username: str) -> dict[str, str]:
    """Authorization headers for the API as `username`."""
    answer = client.post("/api/v1/tokens", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}
