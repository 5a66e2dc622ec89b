"""The web bench's store (bench/web.py): a linked partnership of any size, filled by bulk
inserts rather than ingest and linkage, which this bench does not measure.

`build_store` fills an empty, migrated store: the agencies, about 2.5 records and 10 events
per child, people as if linked, practitioners with relationships, the example agreements
register, a few young people's ask-first wishes, and chronology requests of one council
social worker for different children; `sessions` opens the bench account's browser and API
sessions.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

NOW = dt.datetime.now(dt.UTC)
AGENCIES = {
    "northshire-council": "childrens_services",
    "northshire-schools": "school",
    "northshire-police": "police",
    "northshire-health": "health",
}
# Chance a child is known to each agency (everyone goes to school): 2.5 records a child.
KNOWN_TO = {"northshire-council": 0.5, "northshire-police": 0.5, "northshire-health": 0.5}
PRACTITIONERS_PER_AGENCY = 500
BENCH_PRACTITIONER = "sw-bench"
CHUNK = 20_000


def build_store(settings: Any, children: int, requests: int, seed: int) -> dict[str, Any]:
    """Fill an empty, migrated store; returns the request ids and the bench account's id."""
    from sqlalchemy import insert
    from tests.sharing.factories import ingested_and_linked

    from seen.policy.audited import new_request_id
    from seen.store import open_store, write_transaction
    from seen.store.tables import (
        accounts,
        practitioners,
        relationships,
        sharing_preferences,
        sharing_requests,
    )
    from seen.store.writes import EVENT_COLUMNS, insert_events

    rng = random.Random(seed)
    store = open_store(settings)
    started = time.perf_counter()
    with write_transaction(store) as conn:
        agency_ids, run_ids, link_run = ingested_and_linked(
            conn, AGENCIES, NOW, backend="bench", records=0, people=children
        )

    record_rows: list[tuple[Any, ...]] = []
    people_rows: list[tuple[Any, ...]] = []
    event_rows: list[tuple[Any, ...]] = []
    holders: dict[str, list[str]] = {}  # person -> agencies holding a record
    council_children: list[str] = []
    record_id = event_id = 0
    for child in range(children):
        person = f"PB{child:08d}"
        sex = rng.choice("MF")
        birth = f"{rng.randint(2008, 2020)}-{rng.randint(1, 12):02d}"
        held = ["northshire-schools"] + [a for a, p in KNOWN_TO.items() if rng.random() < p]
        holders[person] = held
        if "northshire-council" in held:
            council_children.append(person)
        for agency in held:
            record_id += 1
            ref = f"{agency.split('-')[1][0].upper()}-{child:08d}"
            run = run_ids[agency]
            record_rows.append((record_id, agency_ids[agency], ref, sex, birth, run, run))
            people_rows.append((record_id, person, link_run))
            for kind, code, qualifier, value in _events(agency, rng):
                event_id += 1
                day = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
                event_rows.append(
                    (record_id, kind, day, None, code, qualifier, value, None, f"b{event_id}", run)
                )

    with write_transaction(store) as conn:
        columns = ("id", "agency_id", "record_ref", "sex", "birth_month")
        columns += ("first_run_id", "last_run_id")
        for part in _chunks(record_rows):
            _copy(conn, "records", columns, part)
        for part in _chunks(people_rows):
            _copy(conn, "people", ("record_id", "person_id", "link_run_id"), part)
        for part in _chunks(event_rows):
            insert_events(conn, part)
    assert len(EVENT_COLUMNS) == len(event_rows[0])

    # Practitioners, each child with one of them from an agency that knows them.
    staff: dict[str, list[int]] = {}
    with write_transaction(store) as conn:
        for agency, agency_id in agency_ids.items():
            role = {
                "childrens_services": "social_worker",
                "school": "designated_safeguarding_lead",
                "police": "police_officer",
                "health": "health_visitor",
            }[AGENCIES[agency]]
            rows = [
                {
                    "ref": f"{agency}-{n:04d}",
                    "agency_id": agency_id,
                    "roles": [role],
                    "active": True,
                }
                for n in range(PRACTITIONERS_PER_AGENCY)
            ]
            conn.execute(insert(practitioners), rows)
        bench_id = conn.execute(
            insert(practitioners)
            .values(
                ref=BENCH_PRACTITIONER,
                agency_id=agency_ids["northshire-council"],
                roles=["social_worker"],
                active=True,
            )
            .returning(practitioners.c.id)
        ).scalar_one()
        from sqlalchemy import select

        for row in conn.execute(select(practitioners.c.id, practitioners.c.ref)):
            if row.ref != BENCH_PRACTITIONER:
                staff.setdefault(row.ref.rsplit("-", 1)[0], []).append(row.id)
        starts = NOW - dt.timedelta(days=90)
        links = [
            {
                "practitioner_id": rng.choice(staff[rng.choice(held)]),
                "person_id": person,
                "starts": starts,
                "reason": "allocated worker",
            }
            for person, held in holders.items()
        ]
        asked = council_children[:requests]
        links += [
            {"practitioner_id": bench_id, "person_id": p, "starts": starts, "reason": "bench"}
            for p in asked
        ]
        for part in _chunks(links):
            conn.execute(insert(relationships), list(part))
        # One child in a hundred asked to be asked first before school attendance is shared.
        wishes = [
            {
                "person_id": person,
                "category": "attendance",
                "recipient_kind": "childrens_services",
                "choice": "ask_first",
                "recorded_at": starts,
                "recorded_by": person,
                "method": "self_service",
                "notice": "bench",
            }
            for person in list(holders)[::100]
        ]
        conn.execute(insert(sharing_preferences), wishes)
        request_ids = [new_request_id() for _ in asked]
        conn.execute(
            insert(sharing_requests),
            [
                {
                    "id": request_id,
                    "practitioner_id": bench_id,
                    "person_id": person,
                    "purpose": "safeguarding",
                    "lawful_basis": "uk-gdpr-6-1-e",
                    "justification": None,
                    "asked_at": NOW,
                }
                for request_id, person in zip(request_ids, asked, strict=True)
            ],
        )
        account_id = conn.execute(
            insert(accounts)
            .values(
                username=BENCH_PRACTITIONER,
                password_hash="$argon2id$bench-account-signs-in-by-session-only",
                role="practitioner",
                practitioner_id=bench_id,
                agency_id=agency_ids["northshire-council"],
                active=True,
                created_at=NOW,
                failed_logins=0,
            )
            .returning(accounts.c.id)
        ).scalar_one()
    _import_agreements(store)
    # Statistics for the planner, as a store that has been in use has them (PostgreSQL's
    # autovacuum gathers them some time after a bulk load; SQLite only when asked).
    with write_transaction(store) as conn:
        conn.exec_driver_sql("ANALYZE")
    built = time.perf_counter() - started
    print(
        f"  built: {children:,} children, {record_id:,} records, {event_id:,} events, "
        f"{len(links):,} relationships, {len(request_ids):,} requests in {built:.0f} s",
        flush=True,
    )
    store.close()
    return {"requests": request_ids, "account_id": account_id}


def _events(agency: str, rng: random.Random) -> list[tuple[str, str | None, str | None, Any]]:
    """A record's events: about 10 a child across its records."""
    if agency == "northshire-schools":
        return [("school_attendance", None, None, round(rng.uniform(0, 30), 1))] * 5
    if agency == "northshire-council":
        return [("cin_referral", "2A", None, None)] * 3
    if agency == "northshire-police":
        return [("police_incident", "DOMESTIC", "WITNESS", None)] * 3
    codes = ["INJURY", "INJURY", "SELF_HARM"]
    return [("emergency_attendance", rng.choice(codes), None, None) for _ in range(3)]


def _copy(conn: Any, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Bulk rows without SQLAlchemy's per-row work: COPY on PostgreSQL, executemany on SQLite."""
    names = ", ".join(columns)
    if conn.dialect.name == "postgresql":
        driver = conn.connection.dbapi_connection
        with driver.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" * len(columns))
        conn.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))  # noqa: S608


def _chunks(rows: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def _import_agreements(store: Any) -> None:
    import yaml

    from seen.domain.agreements import agreements_from_document
    from seen.store.governance import import_agreements

    document = yaml.safe_load((ROOT / "examples" / "agreements.yaml").read_text("utf-8"))
    found, problems = agreements_from_document(document, "agreements.yaml")
    assert not problems, problems
    import_agreements(store, found, "agreements.yaml", "bench", NOW)


def sessions(settings: Any, account_id: int) -> dict[str, str]:
    """A browser session (cookie) and an API session (bearer token) of the bench account,
    opened now so that neither lapses during the run."""
    from seen.store import open_store
    from seen.store.accounts import account_by_username, open_session

    with open_store(settings) as store:
        account = account_by_username(store, BENCH_PRACTITIONER)
        assert account is not None and account.id == account_id
        now = dt.datetime.now(dt.UTC)
        return {
            "cookie": f"seen_session={open_session(store, account, 'browser', now)}",
            "bearer": f"Bearer {open_session(store, account, 'api', now)}",
        }
