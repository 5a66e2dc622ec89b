"""Signing in at the store (seen.store.accounts): the throttle counts every failure, even
failures that arrive together."""

from __future__ import annotations

import datetime as dt
import threading

from concurrency import run_while_row_is_held
from seen.domain.accounts import AccountRole
from seen.store import Store
from seen.store.accounts import MAX_FAILED_LOGINS, Passwords, create_account, sign_in
from seen.store.tables import accounts

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
PASSWORD = "correct horse battery"


def test_failures_at_the_same_moment_all_count_towards_closing_the_account(
    store: Store,
) -> None:
    """Guesses sent in parallel are each counted: otherwise each would read the same count,
    add one, and an attacker could try many passwords for one counted failure."""
    passwords = Passwords("cheapest")
    analyst = create_account(
        store,
        passwords,
        username="analyst-gus",
        password=PASSWORD,
        role=AccountRole.ANALYST,
        now=NOW,
    )
    guesses = [
        threading.Thread(target=sign_in, args=(store, passwords, "analyst-gus", f"guess {n}", NOW))
        for n in range(MAX_FAILED_LOGINS)
    ]
    run_while_row_is_held(store, accounts.c.id, analyst.id, guesses)
    assert sign_in(store, passwords, "analyst-gus", PASSWORD, NOW) is None  # closed
