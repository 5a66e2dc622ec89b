"""A linked partnership with accounts for the young person's journeys: two young people
(P0001, P0002), practitioners of the council and the police, agency DPOs, and the
partnership's administrator and analyst."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import insert, select

from seen.domain.accounts import AccountRole
from seen.sharing import chronology
from seen.store import Store, write_transaction
from seen.store.accounts import Passwords, create_account
from seen.store.tables import events, records, withheld_from_subject
from sharing.factories import NOW, linked_partnership
from web.accounts import PASSWORD
from web.accounts import bearer as bearer
from web.accounts import sign_in as sign_in

# username -> (role, practitioner ref, agency, person id)
ACCOUNTS = {
    "yp-p0001": (AccountRole.YOUNG_PERSON, None, None, "P0001"),
    "yp-p0002": (AccountRole.YOUNG_PERSON, None, None, "P0002"),
    "sw-amara": (AccountRole.PRACTITIONER, "sw-amara", None, None),
    "pc-cara": (AccountRole.PRACTITIONER, "pc-cara", None, None),
    "dpo-police": (AccountRole.DPO, None, "northshire-police", None),
    "dpo-health": (AccountRole.DPO, None, "northshire-health", None),
    "admin-rosa": (AccountRole.ADMINISTRATOR, None, None, None),
    "analyst-gus": (AccountRole.ANALYST, None, None, None),
}
OTHER_ROLES = ("sw-amara", "dpo-police", "admin-rosa", "analyst-gus")


def young_partnership(store: Store) -> None:
    linked_partnership(store)
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


def event_of(store: Store, record_ref: str, kind: str | None = None) -> int:
    """The id of an event on the agency's record `record_ref` (of `kind`, if given)."""
    query = (
        select(events.c.id)
        .join(records, records.c.id == events.c.record_id)
        .where(records.c.record_ref == record_ref)
        .order_by(events.c.id)
    )
    if kind is not None:
        query = query.where(events.c.code == kind)
    with store.engine.connect() as conn:
        return int(conn.execute(query).scalars().first())  # type: ignore[arg-type]


def withhold(store: Store, event_id: int) -> None:
    with write_transaction(store) as conn:
        conn.execute(
            insert(withheld_from_subject).values(
                event_id=event_id,
                reason="telling them would put them at risk",
                recorded_by="sw-amara",
                recorded_at=NOW,
            )
        )


def practitioner_looks(
    store: Store, who: str = "sw-amara", agency: str = "northshire-council"
) -> Any:
    request = chronology.ask(
        store,
        practitioner=who,
        agency=agency,
        person_id="P0001",
        purpose="safeguarding",
        lawful_basis="uk-gdpr-6-1-e",
        justification=None,
        now=NOW,
    )
    return chronology.view(store, request, NOW)


def form_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)
