"""Loading an agency's encoded package into the hub: the hub's only way in from now on.

A package (docs/encoding.md) carries keyed encodings, the agency's own record references,
degraded demographics and coded events; never an identity. It becomes an `Extract` whose
records have empty identities, and its encodings go in beside them in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from seen.domain.demographics import Demographics, Sex
from seen.domain.encoding import BLOOM_COLUMNS, NEAR_COLUMNS, TOKEN_COLUMNS
from seen.domain.events import Event, EventKind
from seen.domain.records import AgencyRecord
from seen.encode import Package, read_package
from seen.errors import InvalidInput
from seen.formats.extract import Extract, FileReport
from seen.ingest import Encodings, IngestReport, ingest_extract
from seen.store import Store

PACKAGE_FORMAT = "seen-package"
_ENCODED = (*TOKEN_COLUMNS, *BLOOM_COLUMNS, *NEAR_COLUMNS)


def ingest_package(
    store: Store,
    path: Path,
    *,
    agency: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> IngestReport:
    """Check and load one package. `agency`, when given, must be the package's own agency."""
    package = read_package(path)
    manifest = package.manifest
    if agency is not None and agency != manifest.agency:
        raise InvalidInput(
            f"{path.name} is a package from {manifest.agency}, not {agency}; check the file"
        )
    extract, encodings = _unpack(path, package)
    return ingest_extract(
        store,
        manifest.agency,
        extract,
        kind=extract.agency_kind,
        progress=progress,
        encodings=encodings,
    )


def _unpack(path: Path, package: Package) -> tuple[Extract, Encodings]:
    manifest = package.manifest
    records: dict[str, AgencyRecord] = {}
    encoded: dict[str, Mapping[str, Any]] = {}
    for row in package.records.to_pylist():
        ref = row["record_id"]
        records[ref] = AgencyRecord(
            record_id=ref,
            demographics=Demographics(
                sex=Sex(row["sex"]),
                ethnicity=row["ethnicity"],
                birth_month=row["birth_month"],
                deprivation_decile=row["deprivation_decile"],
            ),
        )
        encoded[ref] = {column: row[column] for column in _ENCODED}
    for row in package.events.to_pylist():
        records[row["record_id"]].events.append(_event(row))
    rejected = sum(f.rejected_rows for f in manifest.source_files)
    package_file = FileReport(
        path=str(path),
        format=PACKAGE_FORMAT,
        sha256=_sha256(path),
        rows=len(records),
        rejected_rows=rejected,
    )
    extract = Extract(agency_kind=manifest.agency_kind, records=records, files=[package_file])
    return extract, Encodings(encoded, manifest.key_fingerprint, manifest.duplicate_free)


def _event(row: Mapping[str, Any]) -> Event:
    return Event(
        kind=EventKind(row["kind"]),
        start=_date(row["start"]),
        end=_date(row["end"]) if row["end"] is not None else None,
        code=row["code"],
        qualifier=row["qualifier"],
        value=row["value"],
        source_ref=row["source_ref"],
    )


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise InvalidInput(f"an event date in the package is not a date: {type(value).__name__}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
