"""Small builders for extracts and a way to dump a whole store, for the store and ingest
tests. All personal details are synthetic and deliberately distinctive, so a scan of the
database can prove none of them was stored."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from seen.domain.agencies import AgencyKind
from seen.domain.demographics import Demographics, Sex
from seen.domain.events import Event, EventKind
from seen.domain.identifiers import make_nhs_number, make_upn
from seen.domain.records import AgencyRecord, Identity, Problem
from seen.formats.extract import Extract, FileReport, RejectedRow
from seen.settings import Settings, load_settings
from seen.store import Store
from seen.store.tables import metadata

GIVEN = ["Zephyrine", "Quillon", "Marisabel", "Thaddeus", "Oriel", "Peregrine"]
FAMILY = ["Vantongeren", "Okonkwo-Fairweather", "Blaxhall", "Quennell", "Strudwick", "Yarrowby"]
POSTCODES = ["QX1 7ZW", "JV9 2YY", "ZT4 8QQ", "XW2 3JJ", "KQ7 1VV", "YY3 9XZ"]


def make_settings(data_dir: Path, database_url: str | None = None) -> Settings:
    # Explicit values and no .env file: a developer's own SEEN_DATABASE_URL must never
    # point a test at a real database.
    return load_settings(_env_file=None, data_dir=data_dir, database_url=database_url)


def identity(n: int) -> Identity:
    """A synthetic identity with every identifier filled in; births in 2008-2013, so no
    event date (2023-2024) can coincide with one."""
    nhs = None
    seed = 400_000_000 + n * 7919
    while nhs is None:
        nhs = make_nhs_number(f"{seed:09d}")
        seed += 1
    return Identity(
        given_name=GIVEN[n % len(GIVEN)],
        middle_names="Ambrosine",
        family_name=FAMILY[n % len(FAMILY)],
        date_of_birth=dt.date(2008 + n % 6, 1 + n % 12, 1 + n % 28),
        sex=Sex.FEMALE if n % 2 else Sex.MALE,
        postcode=POSTCODES[n % len(POSTCODES)],
        nhs_number=nhs,
        upn=make_upn(881, 2000 + n % 100, 21, n % 1000),
    )


def demographics(n: int) -> Demographics:
    born = identity(n).date_of_birth
    assert born is not None
    return Demographics(
        sex=Sex.FEMALE if n % 2 else Sex.MALE,
        ethnicity=["WBRI", "BAFR", "APKN", "MWBC", None][n % 5],
        birth_month=f"{born.year:04d}-{born.month:02d}",
        deprivation_decile=1 + n % 10,
    )


def cin_events(n: int, count: int, first_day: dt.date = dt.date(2023, 1, 2)) -> list[Event]:
    """`count` distinct children's services events for person n."""
    factors = ["7A", "10A", "1B", "4B", "11A", "24A"]
    found: list[Event] = []
    for i in range(count):
        day = first_day + dt.timedelta(days=i % 700)
        match i % 3:
            case 0:
                event = Event(EventKind.CIN_REFERRAL, day, code="2A", source_ref=f"REF-{n}-{i}")
            case 1:
                event = Event(EventKind.CIN_ASSESSMENT_FACTOR, day, code=factors[i % 6])
            case _:
                event = Event(EventKind.MISSING_EPISODE, day, day + dt.timedelta(days=1), code="M")
        found.append(event)
    return found


def record(
    n: int, events: Sequence[Event] = (), ref: str | None = None, demo: Demographics | None = None
) -> AgencyRecord:
    return AgencyRecord(
        record_id=ref if ref is not None else f"CS{n:06d}",
        identity=identity(n),
        demographics=demo if demo is not None else demographics(n),
        events=list(events),
    )


def file_report(name: str, content: str, rows: int, rejected_rows: int = 0) -> FileReport:
    return FileReport(
        path=f"/home/officer/Extracts/{name}",
        format="ssda903-header",
        sha256=hashlib.sha256(content.encode()).hexdigest(),
        rows=rows,
        rejected_rows=rejected_rows,
    )


def extract(
    records: Iterable[AgencyRecord],
    *,
    kind: AgencyKind | None = AgencyKind.CHILDRENS_SERVICES,
    files: Sequence[FileReport] | None = None,
    problems: Sequence[Problem] = (),
    rejected: Sequence[RejectedRow] = (),
    tag: str = "first",
) -> Extract:
    """An extract of these records; `tag` names its (pretend) file contents, so that two
    extracts with different tags are different files."""
    by_ref = {r.record_id: r for r in records}
    if files is None:
        files = [file_report(f"children-{tag}.csv", tag, len(by_ref), len(rejected))]
    return Extract(
        agency_kind=kind,
        records=by_ref,
        problems=list(problems),
        files=list(files),
        rejected=list(rejected),
    )


def children_extract(people: int = 5, events_each: int = 3, tag: str = "first") -> Extract:
    return extract([record(n, cin_events(n, events_each)) for n in range(people)], tag=tag)


def identity_strings(extract: Extract) -> set[str]:
    """Every personal detail in the extract's identities, in the forms it might be stored."""
    found: set[str] = set()
    for rec in extract.records.values():
        ident = rec.identity
        for value in (
            ident.given_name,
            ident.middle_names,
            ident.family_name,
            ident.postcode,
            ident.nhs_number,
            ident.upn,
        ):
            if value:
                found.add(value)
                found.add(value.replace(" ", ""))
        if ident.date_of_birth:
            born = ident.date_of_birth
            found.update({born.isoformat(), born.strftime("%d/%m/%Y"), born.strftime("%Y%m%d")})
    return found


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary key order: equal dumps mean equal stores."""
    with store.engine.connect() as conn:
        return {
            table.name: [
                tuple(row)
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in metadata.sorted_tables
        } | {
            "alembic_version": [
                tuple(r) for r in conn.execute(text("SELECT * FROM alembic_version"))
            ]
        }


def row_counts(store: Store) -> dict[str, int]:
    return {name: len(rows) for name, rows in dump(store).items()}
