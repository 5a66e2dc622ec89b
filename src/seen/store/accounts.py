"""Accounts and server-side sessions for the web app (docs/web.md, "Accounts and sessions").

Passwords are hashed with argon2id (argon2-cffi); a session is a random token the client holds
and whose SHA-256 is all the database keeps. Signing in is throttled per account: after
`MAX_FAILED_LOGINS` failures in a row the account stays closed for `LOCKOUT`, and a user name
that does not exist costs the same hashing work as one that does, so timing tells nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any, Final

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, delete, insert, select, update

from seen.domain.accounts import AccountRole
from seen.errors import InvalidInput, NotFound
from seen.store.engine import Store, refused_if_taken, write_transaction
from seen.store.tables import accounts, agencies, practitioners, web_sessions

MAX_FAILED_LOGINS: Final = 5
LOCKOUT: Final = dt.timedelta(minutes=15)
# A browser session ends after this long without a request, and in any case after MAX_AGE.
IDLE_TIMEOUT: Final = dt.timedelta(minutes=30)
MAX_AGE: Final = dt.timedelta(hours=8)
TOUCH_EVERY: Final = dt.timedelta(minutes=1)
USERNAME_PATTERN: Final = r"[a-z0-9][a-z0-9._-]{1,62}"
MIN_PASSWORD_LENGTH: Final = 12

# RFC 9106's second recommended option (64 MiB, 3 passes); the tests use argon2-cffi's
# cheapest profile so hundreds of sign-ins stay quick, with the same code path.
HASH_PROFILES: Final = {
    "rfc9106-low-memory": profiles.RFC_9106_LOW_MEMORY,
    "cheapest": profiles.CHEAPEST,
}


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    username: str
    role: AccountRole
    practitioner: str | None  # the practitioner ref, for practitioners
    agency: str | None  # the agency name, for practitioners and DPOs
    person_id: str | None  # for young people


@dataclass(frozen=True, slots=True)
class Session:
    account: Account
    kind: str  # "browser" or "api"
    csrf_token: str
    created_at: dt.datetime


class Passwords:
    """argon2id hashing with one profile; verifying also says when a hash needs redoing."""

    def __init__(self, profile: str = "rfc9106-low-memory") -> None:
        if profile not in HASH_PROFILES:
            raise InvalidInput(f"unknown password hash profile {profile!r}")
        self._hasher = PasswordHasher.from_parameters(HASH_PROFILES[profile])
        # Verified against when the user name is unknown, so both paths cost the same.
        self._decoy = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash or self._decoy, password) and (
                password_hash is not None
            )
        except (VerificationError, InvalidHashError):
            return False


def create_account(
    store: Store,
    passwords: Passwords,
    *,
    username: str,
    password: str,
    role: AccountRole,
    now: dt.datetime,
    practitioner: str | None = None,
    agency: str | None = None,
    person_id: str | None = None,
) -> Account:
    """Add an account; practitioners name their practitioner entry, DPOs their agency, young
    people their person id, and nobody else names any of them."""
    problems = []
    if not re.fullmatch(USERNAME_PATTERN, username):
        problems.append("a user name is 2 to 63 lower-case letters, digits, '.', '_' or '-'")
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    wanted = {
        AccountRole.PRACTITIONER: (True, False, False),
        AccountRole.DPO: (False, True, False),
        AccountRole.YOUNG_PERSON: (False, False, True),
    }.get(role, (False, False, False))
    given = (practitioner is not None, agency is not None, person_id is not None)
    if given != wanted:
        problems.append(
            "a practitioner's account names a practitioner, a DPO's an agency, a young "
            "person's a person id, and other roles none"
        )
    if problems:
        raise InvalidInput(f"cannot create account {username!r}: " + "; ".join(problems))
    hashed = passwords.hash(password)  # before the transaction, as in sign_in
    with write_transaction(store) as conn:
        taken = f"cannot create account {username!r}: the user name is taken"
        if conn.execute(select(accounts.c.id).where(accounts.c.username == username)).first():
            raise InvalidInput(taken)
        practitioner_id = agency_id = None
        if practitioner is not None:
            row = conn.execute(
                select(practitioners.c.id, practitioners.c.agency_id).where(
                    practitioners.c.ref == practitioner
                )
            ).first()
            if row is None:
                raise NotFound(f"no practitioner {practitioner!r}")
            practitioner_id, agency_id = row.id, row.agency_id
        if agency is not None:
            agency_id = conn.execute(
                select(agencies.c.id).where(agencies.c.name == agency)
            ).scalar()
            if agency_id is None:
                raise NotFound(f"no agency {agency!r}")
        with refused_if_taken(taken):
            account_id = conn.execute(
                insert(accounts)
                .values(
                    username=username,
                    password_hash=hashed,
                    role=role.value,
                    practitioner_id=practitioner_id,
                    agency_id=agency_id,
                    person_id=person_id,
                    active=True,
                    created_at=now,
                    failed_logins=0,
                )
                .returning(accounts.c.id)
            ).scalar_one()
        return _account(conn, account_id)


# What signing in reads of an account.
_SIGN_IN = select(
    accounts.c.id,
    accounts.c.password_hash,
    accounts.c.active,
    accounts.c.failed_logins,
    accounts.c.locked_until,
)


def _locked(row: Any, now: dt.datetime) -> bool:
    return row.locked_until is not None and row.locked_until > now


def sign_in(
    store: Store, passwords: Passwords, username: str, password: str, now: dt.datetime
) -> Account | None:
    """The account if the password is right and the account open; None otherwise, with the
    failure counted. The caller shows one message for every failure, so nothing is learnt.

    The password is checked (argon2, about 0.1 s of work) before the write transaction, not
    in it: on SQLite that transaction holds every writer's turn, and each view's audit
    append would wait behind each sign-in. The transaction then reads the account again, its
    row locked, so attempts at one account are counted one after another, and an attempt
    whose account was closed meanwhile (by failures arriving with it) is refused whatever
    its password."""
    with store.engine.connect() as conn:
        row = conn.execute(_SIGN_IN.where(accounts.c.username == username)).first()
    right = passwords.verify(None if row is None else row.password_hash, password)
    if row is None or _locked(row, now):
        return None  # attempts at a closed account are not counted: the lockout stands
    with write_transaction(store) as conn:
        current = conn.execute(_SIGN_IN.where(accounts.c.id == row.id).with_for_update()).first()
        if current is None or _locked(current, now):
            return None
        # The password checked is the one still held: a reset meanwhile refuses the attempt.
        right = right and current.password_hash == row.password_hash
        if right and current.active:
            conn.execute(
                update(accounts)
                .where(accounts.c.id == row.id)
                .values(failed_logins=0, locked_until=None)
            )
            return _account(conn, row.id)
        failures = current.failed_logins + (0 if right else 1)
        conn.execute(
            update(accounts)
            .where(accounts.c.id == row.id)
            .values(
                failed_logins=0 if failures >= MAX_FAILED_LOGINS else failures,
                locked_until=now + LOCKOUT if failures >= MAX_FAILED_LOGINS else None,
            )
        )
        return None


def open_session(store: Store, account: Account, kind: str, now: dt.datetime) -> str:
    """Start a session; returns the token for the cookie or the bearer header, shown once."""
    token = secrets.token_urlsafe(32)
    with write_transaction(store) as conn:
        conn.execute(
            insert(web_sessions).values(
                token_hash=_digest(token),
                account_id=account.id,
                kind=kind,
                csrf_token=secrets.token_urlsafe(32),
                created_at=now,
                last_seen_at=now,
            )
        )
    return token


def current_session(store: Store, token: str, kind: str, now: dt.datetime) -> Session | None:
    """The live session the token opens; None (and the session ended) when it has been idle
    too long or is too old, or its account was closed.

    Most requests only read: the last use is written when it is more than `TOUCH_EVERY` old,
    which moves the idle timeout by at most that much and spares every page a write lock."""
    with store.engine.connect() as conn:
        row = conn.execute(
            _ACCOUNT.add_columns(
                web_sessions.c.id.label("session_id"),
                web_sessions.c.kind,
                web_sessions.c.csrf_token,
                web_sessions.c.created_at,
                web_sessions.c.last_seen_at,
                accounts.c.active,
            )
            .join(web_sessions, web_sessions.c.account_id == accounts.c.id)
            .where(web_sessions.c.token_hash == _digest(token), web_sessions.c.kind == kind)
        ).first()
    if row is None:
        return None
    session = Session(
        account=_account_of(row),
        kind=row.kind,
        csrf_token=row.csrf_token,
        created_at=row.created_at,
    )
    expired = now - row.last_seen_at > IDLE_TIMEOUT or now - row.created_at > MAX_AGE
    if expired or not row.active:
        with write_transaction(store) as conn:
            conn.execute(delete(web_sessions).where(web_sessions.c.id == row.session_id))
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        with write_transaction(store) as conn:
            conn.execute(
                update(web_sessions)
                .where(web_sessions.c.id == row.session_id)
                .values(last_seen_at=now)
            )
    return session


def close_session(store: Store, token: str) -> None:
    with write_transaction(store) as conn:
        conn.execute(delete(web_sessions).where(web_sessions.c.token_hash == _digest(token)))


def account_by_username(store: Store, username: str) -> Account | None:
    with store.engine.connect() as conn:
        account_id = conn.execute(
            select(accounts.c.id).where(accounts.c.username == username)
        ).scalar()
        return None if account_id is None else _account(conn, account_id)


# An account with its practitioner's ref and its agency's name (each when it has one).
_ACCOUNT = (
    select(
        accounts.c.id,
        accounts.c.username,
        accounts.c.role,
        accounts.c.person_id,
        practitioners.c.ref.label("practitioner"),
        agencies.c.name.label("agency"),
    )
    .select_from(accounts)
    .outerjoin(practitioners, practitioners.c.id == accounts.c.practitioner_id)
    .outerjoin(agencies, agencies.c.id == accounts.c.agency_id)
)


def _account(conn: Connection, account_id: int) -> Account:
    return _account_of(conn.execute(_ACCOUNT.where(accounts.c.id == account_id)).one())


def _account_of(row: Any) -> Account:
    return Account(
        id=row.id,
        username=row.username,
        role=AccountRole(row.role),
        practitioner=row.practitioner,
        agency=row.agency,
        person_id=row.person_id,
    )


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def set_password(store: Store, passwords: Passwords, username: str, password: str) -> None:
    """Give the account a new password, open it if it was closed by failed sign-ins, and end
    every session it had (browser and API): whoever held the old password is signed out."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    hashed = passwords.hash(password)  # before the transaction, as in sign_in
    with write_transaction(store) as conn:
        account_id = conn.execute(
            select(accounts.c.id).where(accounts.c.username == username)
        ).scalar()
        if account_id is None:
            raise NotFound(f"no account {username!r}")
        conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values(password_hash=hashed, failed_logins=0, locked_until=None)
        )
        conn.execute(delete(web_sessions).where(web_sessions.c.account_id == account_id))
