"""The linked partnership of tests/sharing/factories.py with an account for every governance
role, and sign-in helpers for the pages and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert

from seen.domain.accounts import AccountRole
from seen.sharing.chronology import SharingRequest, ask, view
from seen.store import Store, write_transaction
from seen.store.accounts import Passwords, create_account
from seen.store.tables import link_runs, records, review_pairs
from sharing.factories import NOW, linked_partnership
from web.accounts import PASSWORD
from web.accounts import bearer as bearer
from web.accounts import sign_in as sign_in
from web.conftest import CheckedClient

# username -> (role, practitioner ref, agency, person id)
ACCOUNTS = {
    "sw-amara": (AccountRole.PRACTITIONER, "sw-amara", None, None),
    "dsl-ben": (AccountRole.PRACTITIONER, "dsl-ben", None, None),
    "dpo-council": (AccountRole.DPO, None, "northshire-council", None),
    "dpo-police": (AccountRole.DPO, None, "northshire-police", None),
    "admin-rosa": (AccountRole.ADMINISTRATOR, None, None, None),
    "analyst-gus": (AccountRole.ANALYST, None, None, None),
    "yp-p0001": (AccountRole.YOUNG_PERSON, None, None, "P0001"),
}
JUSTIFICATION = "Police report the child missing overnight after a violent incident at home."


def governed_partnership(store: Store) -> None:
    linked_partnership(store)
    passwords = Passwords("cheapest")
    for username, (role, practitioner, agency, person) in ACCOUNTS.items():
        create_account(
            store,
            passwords,
            username=username,
            password=PASSWORD,
            role=role,
            now=NOW - dt.timedelta(days=1),
            practitioner=practitioner,
            agency=agency,
            person_id=person,
        )


def post_form(client: CheckedClient, page: str, action: str, data: dict[str, Any]) -> Any:
    """Post a form found on `page`, with that page's CSRF token."""
    return client.post(action, data={**data, "csrf_token": client.csrf(page)})


def break_glass(
    store: Store, practitioner: str, agency: str, person: str, at: dt.datetime = NOW
) -> SharingRequest:
    """A break-glass request, viewed once (so its decisions are in the audit log)."""
    request = ask(
        store,
        practitioner=practitioner,
        agency=agency,
        person_id=person,
        purpose="safeguarding",
        lawful_basis="dpa-2018-sch1-para18",  # what break-glass needs (docs/policy.md, rule 4)
        justification=JUSTIFICATION,
        now=at,
    )
    view(store, request, at)
    return request


# The review queue: a later link run than the partnership's, queueing two uncertain pairs.
MODEL = {"probability_two_random_records_match": 0.001, "dice_thresholds": [0.9, 0.8, 0.62]}
PAIRS = [
    # (left ref, right ref, probability, weights, levels)
    (
        "S-2002",
        "C-1001",
        0.82,
        {"given_name": 6.1, "family_name": -2.2, "date_of_birth": 7.5, "sex": 0.9},
        {"given_name": "dice_0", "family_name": "else", "date_of_birth": "exact", "sex": "exact"},
    ),
    (
        "S-2002",
        "H-4001",
        0.61,
        {"given_name": 3.0, "family_name": 2.0, "date_of_birth": -1.3},
        {"given_name": "dice_2", "family_name": "exact", "date_of_birth": "null"},
    ),
]


def review_queue(store: Store) -> list[str]:
    """Queue PAIRS in a new link run; their pair ids, in order."""
    from sqlalchemy import select

    from seen.store.linkage import pair_id

    with write_transaction(store) as conn:
        ids = {ref: rid for rid, ref in conn.execute(select(records.c.id, records.c.record_ref))}
        run = conn.execute(
            insert(link_runs)
            .values(
                started_at=NOW,
                finished_at=NOW,
                backend="duckdb",
                threshold=0.9,
                review_low=0.5,
                review_high=0.9,
                model=MODEL,
                records=len(ids),
                people=2,
                pairs=10,
                review_pairs=len(PAIRS),
            )
            .returning(link_runs.c.id)
        ).scalar_one()
        made = []
        for left, right, probability, weights, levels in PAIRS:
            a, b = sorted((ids[left], ids[right]))
            prior = -9.965784284662087
            conn.execute(
                insert(review_pairs).values(
                    link_run_id=run,
                    record_l=a,
                    record_r=b,
                    match_probability=probability,
                    match_weight=prior + sum(weights.values()),
                    field_weights=weights,
                    field_levels=levels,
                )
            )
            made.append(pair_id(a, b))
    return made
