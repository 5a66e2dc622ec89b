"""The linked partnership of tests/sharing/factories.py with an account for each of its
practitioners, a DPO per agency and one of every other role, and helpers to sign in."""

from __future__ import annotations

import re
from typing import Any

from seen.domain.accounts import AccountRole
from seen.store import Store
from seen.store.accounts import Passwords, create_account
from sharing.factories import NOW, PRACTITIONERS, linked_partnership
from web.accounts import PASSWORD

OTHER_ACCOUNTS = {
    "dpo-police": (AccountRole.DPO, "northshire-police", None),
    "dpo-council": (AccountRole.DPO, "northshire-council", None),
    "admin-rosa": (AccountRole.ADMINISTRATOR, None, None),
    "analyst-gus": (AccountRole.ANALYST, None, None),
    "yp-p0001": (AccountRole.YOUNG_PERSON, None, "P0001"),
}
NOT_PRACTITIONERS = sorted(OTHER_ACCOUNTS)


def partnership_with_accounts(store: Store) -> None:
    linked_partnership(store)
    passwords = Passwords("cheapest")
    for ref in PRACTITIONERS:
        create_account(
            store,
            passwords,
            username=ref,
            password=PASSWORD,
            role=AccountRole.PRACTITIONER,
            now=NOW,
            practitioner=ref,
        )
    for username, (role, agency, person) in OTHER_ACCOUNTS.items():
        create_account(
            store,
            passwords,
            username=username,
            password=PASSWORD,
            role=role,
            now=NOW,
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


def api_token(client: Any, username: str) -> dict[str, str]:
    """Authorization headers for the API as `username`."""
    answer = client.post("/api/v1/tokens", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def form_token(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)
