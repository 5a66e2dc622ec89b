"""A small linked partnership in the store, for the sharing and web tests.

Two children as the hub knows them after linkage (person ids P0001 and P0002), four agencies
holding records about them, practitioners with relationships, and the example agreements
register (examples/agreements.yaml): schools, police and health share with the council
automatically; police share police contact with schools on approval.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Connection, insert

from seen.domain.agreements import agreements_from_document
from seen.store import Store, write_transaction
from seen.store.governance import add_practitioner, add_relationship, import_agreements
from seen.store.tables import events, ingest_runs, link_runs, people, records
from seen.store.writes import insert_agency

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

AGENCIES = {
    "northshire-council": "childrens_services",
    "northshire-schools": "school",
    "northshire-police": "police",
    "northshire-health": "health",
}
# (agency, record ref, person id)
RECORDS = [
    ("northshire-council", "C-1001", "P0001"),
    ("northshire-schools", "S-2001", "P0001"),
    ("northshire-police", "N-3001", "P0001"),
    ("northshire-health", "H-4001", "P0001"),
    ("northshire-schools", "S-2002", "P0002"),
]
# (record ref, kind, start, code, qualifier, value)
EVENTS = [
    ("C-1001", "cin_referral", dt.date(2026, 2, 3), "2A", None, None),
    ("S-2001", "school_attendance", dt.date(2026, 4, 1), None, None, 14.5),
    ("N-3001", "police_incident", dt.date(2026, 5, 9), "DOMESTIC", "WITNESS", None),
    ("H-4001", "emergency_attendance", dt.date(2026, 6, 20), "INJURY", None, None),
    ("H-4001", "emergency_attendance", dt.date(2026, 7, 2), "SELF_HARM", None, None),
    ("S-2002", "school_attendance", dt.date(2026, 4, 1), None, None, 3.0),
]
# ref -> (agency, roles, children they work with)
PRACTITIONERS = {
    "sw-amara": ("northshire-council", ["social_worker"], ["P0001"]),
    "dsl-ben": ("northshire-schools", ["designated_safeguarding_lead"], ["P0001", "P0002"]),
    "pc-cara": ("northshire-police", ["police_officer"], ["P0001"]),
    "hv-dev": ("northshire-health", ["health_visitor"], []),
}


def ingested_and_linked(
    conn: Connection,
    agencies: Mapping[str, str],
    now: dt.datetime,
    *,
    backend: str,
    records: int,
    people: int,
) -> tuple[dict[str, int], dict[str, int], int]:
    """The agencies (name -> kind), an ingest run of each and one link run, as if the hub had
    ingested and linked them: (agency ids, ingest run ids, by agency name; link run id)."""
    agency_ids = {name: insert_agency(conn, name, kind, now) for name, kind in agencies.items()}
    runs = {
        name: conn.execute(
            insert(ingest_runs)
            .values(
                agency_id=agency_id,
                started_at=now,
                finished_at=now,
                status="ok",
                files=[],
                records_new=0,
                events_new=0,
                rejected_rows=0,
            )
            .returning(ingest_runs.c.id)
        ).scalar_one()
        for name, agency_id in agency_ids.items()
    }
    link_run = conn.execute(
        insert(link_runs)
        .values(
            started_at=now,
            finished_at=now,
            backend=backend,
            threshold=0.9,
            review_low=0.5,
            review_high=0.9,
            model={},
            records=records,
            people=people,
            pairs=0,
            review_pairs=0,
        )
        .returning(link_runs.c.id)
    ).scalar_one()
    return agency_ids, runs, link_run


def linked_partnership(store: Store, now: dt.datetime = NOW) -> None:
    """Fill an empty store with the partnership above, as if ingested and linked."""
    with write_transaction(store) as conn:
        agency_ids, runs, link_run = ingested_and_linked(
            conn, AGENCIES, now, backend="duckdb", records=len(RECORDS), people=2
        )
        record_ids: dict[str, int] = {}
        for agency, ref, person in RECORDS:
            record_ids[ref] = conn.execute(
                insert(records)
                .values(
                    agency_id=agency_ids[agency],
                    record_ref=ref,
                    sex="F",
                    birth_month="2013-05",
                    first_run_id=runs[agency],
                    last_run_id=runs[agency],
                )
                .returning(records.c.id)
            ).scalar_one()
            conn.execute(
                insert(people).values(
                    record_id=record_ids[ref], person_id=person, link_run_id=link_run
                )
            )
        agency_of = {ref: agency for agency, ref, _ in RECORDS}
        for n, (ref, kind, start, code, qualifier, value) in enumerate(EVENTS):
            conn.execute(
                insert(events).values(
                    record_id=record_ids[ref],
                    kind=kind,
                    start_date=start,
                    code=code,
                    qualifier=qualifier,
                    value=value,
                    event_key=f"test-event-{n}",
                    ingest_run_id=runs[agency_of[ref]],
                )
            )
    for ref, (agency, roles, children) in PRACTITIONERS.items():
        add_practitioner(store, ref, agency, roles)
        for person in children:
            add_relationship(store, ref, person, "allocated worker", now - dt.timedelta(days=30))
    document: Any = yaml.safe_load((EXAMPLES / "agreements.yaml").read_text("utf-8"))
    found, problems = agreements_from_document(document, "agreements.yaml")
    assert not problems, problems
    import_agreements(store, found, "agreements.yaml", "admin-rosa", now)
