"""Accounts at the store (seen.store.accounts): the throttle counts every failure, even
failures that arrive together; checking a password holds up no other writer; a user name
taken at the same moment is refused as taken."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import Connection, insert

from concurrency import run_while_row_is_held, while_added_uncommitted
from seen.domain.accounts import AccountRole
from seen.store import Store, write_transaction
from seen.store.accounts import (
    MAX_FAILED_LOGINS,
    Account,
    Passwords,
    create_account,
    sign_in,
)
from seen.store.tables import accounts
from seen.store.writes import insert_agency

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
PASSWORD = "correct horse battery"


def analyst(store: Store, passwords: Passwords) -> Account:
    return create_account(
        store,
        passwords,
        username="analyst-gus",
        password=PASSWORD,
        role=AccountRole.ANALYST,
        now=NOW,
    )


def test_failures_at_the_same_moment_all_count_towards_closing_the_account(
    store: Store,
) -> None:
    """Guesses sent in parallel are each counted: otherwise each would read the same count,
    add one, and an attacker could try many passwords for one counted failure."""
    passwords = Passwords("cheapest")
    account = analyst(store, passwords)
    guesses = [
        threading.Thread(target=sign_in, args=(store, passwords, "analyst-gus", f"guess {n}", NOW))
        for n in range(MAX_FAILED_LOGINS)
    ]
    run_while_row_is_held(store, accounts.c.id, account.id, guesses)
    assert sign_in(store, passwords, "analyst-gus", PASSWORD, NOW) is None  # closed


class WritingWhileChecking(Passwords):
    """Passwords whose check tries a write on another thread, as a view's audit append would
    be made meanwhile, and notes whether it got through while the check ran."""

    def __init__(self, store: Store) -> None:
        super().__init__("cheapest")
        self.store = store
        self.wrote: list[bool] = []

    def verify(self, password_hash: str | None, password: str) -> bool:
        def write() -> None:
            with write_transaction(self.store) as conn:
                insert_agency(conn, f"agency-{len(self.wrote)}", "school", NOW)

        writer = threading.Thread(target=write)
        writer.start()
        writer.join(5)
        self.wrote.append(not writer.is_alive())
        writer.join(30)
        return super().verify(password_hash, password)


def test_checking_a_password_holds_up_no_writer(store: Store) -> None:
    """On SQLite a write transaction holds every writer's turn: the check (argon2, about a
    tenth of a second in use) is made before it, or each sign-in would hold up every view."""
    passwords = WritingWhileChecking(store)
    analyst(store, passwords)
    assert sign_in(store, passwords, "analyst-gus", PASSWORD, NOW) is not None
    assert sign_in(store, passwords, "analyst-gus", "a wrong guess", NOW) is None
    assert passwords.wrote == [True, True]


def test_a_user_name_taken_meanwhile_is_refused_as_taken(store: Store) -> None:
    """PostgreSQL: the check for a taken name cannot see another transaction's uncommitted
    account, and the unique key's refusal reads as the check's would."""
    passwords = Passwords("cheapest")

    def take_name(conn: Connection) -> None:
        conn.execute(
            insert(accounts).values(
                username="analyst-gus",
                password_hash=passwords.hash(PASSWORD),
                role="analyst",
                active=True,
                created_at=NOW,
                failed_logins=0,
            )
        )

    assert while_added_uncommitted(store, take_name, lambda: analyst(store, passwords)) == (
        "InvalidInput"
    )
