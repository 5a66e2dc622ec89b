"""The web tests' partnership with prompts to review: the linked partnership with an account
for every practitioner and role (web/partnership.py), a young carers' service whose worker
`ycw-yara` signs in, and four prompts raised by the real lifecycle
(tests/identify/factories.py), on 1 October 2026 unless told another day: each need for
P0001 and P0002."""

from __future__ import annotations

import datetime as dt

from identify.factories import (
    RAISED_ON,
    YOUNG_CARERS_WORKER,
    add_young_carers_service,
    raise_prompts,
)
from seen.domain.accounts import AccountRole
from seen.store import Store
from seen.store.accounts import Passwords, create_account
from sharing.factories import NOW
from web.accounts import PASSWORD
from web.partnership import partnership_with_accounts


def partnership_with_prompts(store: Store, as_of: dt.date = RAISED_ON) -> None:
    partnership_with_accounts(store)
    add_young_carers_service(store)
    create_account(
        store,
        Passwords("cheapest"),
        username=YOUNG_CARERS_WORKER,
        password=PASSWORD,
        role=AccountRole.PRACTITIONER,
        now=NOW,
        practitioner=YOUNG_CARERS_WORKER,
    )
    raise_prompts(store, as_of)
