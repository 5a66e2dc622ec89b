"""The linked partnership of tests/sharing/factories.py with an account for each of its
practitioners, a DPO per agency and one of every other role, and helpers to sign in."""

from __future__ import annotations

import re
from typing import Any

from seen.domain.accounts import AccountRole
from seen.store import Store
from seen.store.accounts import Passwords, create_account
from sharing.factories import NOW, PRACTITIONERS, linked_partnership
from web.accounts import PASSWORD, bearer
from web.accounts import sign_in as sign_in

OTHER_ACCOUNTS = {
    "dpo-police": (AccountRole.DPO, "northshire-police", None),
    "dpo-council": (AccountRole.DPO, "northshire-council", None),
    "admin-rosa": (AccountRole.ADMINISTRATOR, None, None),
    "analyst-gus": (AccountRole.ANALYST, None, None),
    "yp-p0001": (AccountRole.YOUNG_PERSON, None, "P0001"),
}
NOT_PRACTITIONERS = sorted(OTHER_ACCOUNTS)
api_token = bearer  # Authorization headers for the API as a user


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


def form_token(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def signed_in_as(client: Any, username: str) -> None:
    """Forget whoever was signed in on this client, and sign in as `username`."""
    client.cookies.clear()
    sign_in(client, username)


def ask_on_page(
    client: Any,
    person_id: str = "P0001",
    *,
    purpose: str = "safeguarding",
    lawful_basis: str = "uk-gdpr-6-1-e",
    justification: str | None = None,
) -> str:
    """Ask for a chronology from the child's page and follow on to it, as a browser does
    (viewing it opens its pending releases); the new request's id."""
    token = client.csrf(f"/children/{person_id}")
    form = {"csrf_token": token, "purpose": purpose, "lawful_basis": lawful_basis}
    if justification is not None:
        form |= {"break_glass": "yes", "justification": justification}
    answer = client.post(f"/children/{person_id}/requests", data=form)
    assert answer.status_code == 303, answer.text
    location: str = answer.headers["location"]
    assert location.startswith("/requests/")
    read(client, location)
    return location.removeprefix("/requests/")


def audit_entries(store: Store) -> list[dict[str, Any]]:
    """Every audit log entry, as the JSON objects the log holds."""
    import json

    from seen.audit.log import stream_entries

    return [json.loads(entry) for _, entry, _ in stream_entries(store)]


def audit_bytes(store: Store) -> bytes:
    from seen.audit.log import stream_entries

    return b"\n".join(entry for _, entry, _ in stream_entries(store))


def main_text(page: str) -> str:
    """The page's main content (what a viewer reads, entities decoded), without the header
    and footer."""
    import html

    start, end = page.find("<main"), page.find("</main>")
    assert start >= 0 and end > start
    return html.unescape(page[start:end])


def read(client: Any, path: str) -> str:
    """The main content of the page at `path`, which must answer 200."""
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code, main_text(answer.text)[-600:])
    return main_text(answer.text)
