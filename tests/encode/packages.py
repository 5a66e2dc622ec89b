"""A small police package for the package tests: two records, three events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from seen.domain.agencies import AgencyKind
from seen.domain.demographics import Demographics, Sex
from seen.domain.events import Event, EventKind
from seen.domain.records import AgencyRecord, Identity
from seen.encode import PartnershipKey, write_package

CREATED = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)
AGENCY = "northshire-police"


def records() -> list[AgencyRecord]:
    born = dt.date(2012, 3, 4)
    return [
        AgencyRecord(
            "P2",
            Identity("Amelia", None, "Okafor", born, Sex.FEMALE, "ZX3 7AB"),
            Demographics(Sex.FEMALE, "BAFR", "2012-03", 3),
            [Event(EventKind.POLICE_INCIDENT, dt.date(2024, 5, 1), code="ASB", qualifier="VICTIM")],
        ),
        AgencyRecord(
            "P1",
            Identity("Bill", "Henry", "Smith-Jones", born, Sex.MALE),
            Demographics(Sex.MALE, None, "2012-03", None),
            [
                Event(
                    EventKind.POLICE_MISSING_REPORT,
                    dt.date(2024, 6, 2),
                    dt.date(2024, 6, 3),
                    "HIGH",
                ),
                Event(EventKind.POLICE_INCIDENT, dt.date(2024, 1, 9), code="THEFT"),
            ],
        ),
    ]


def write(path: Path, key: PartnershipKey, recs: list[AgencyRecord] | None = None) -> Path:
    write_package(
        path,
        agency=AGENCY,
        agency_kind=AgencyKind.POLICE,
        records=records() if recs is None else recs,
        key=key,
        created=CREATED,
    )
    return path
