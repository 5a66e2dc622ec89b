"""Writing a package: a zip of `manifest.json`, `records.parquet` and `events.parquet`.

Deterministic: records sorted by their reference, events in a fixed order, Parquet written
without the Arrow schema blob or any other metadata that could vary, zip entries stored
(Parquet is compressed already) with a fixed timestamp. The same records, key and `created`
always give the same bytes. The file appears whole or not at all (written beside its final
name, then renamed).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from seen.domain.agencies import AgencyKind, agency_name_rule, valid_agency_name
from seen.domain.records import AgencyRecord
from seen.encode.encoder import encode_records, events_table
from seen.encode.keys import PartnershipKey
from seen.encode.manifest import PackageManifest, SourceFile, utc_seconds
from seen.encode.schema import EVENTS_MEMBER, MANIFEST_MEMBER, RECORDS_MEMBER
from seen.errors import InvalidInput
from seen.formats.extract import FileReport

ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # the earliest a zip entry can carry
PARQUET_OPTIONS: Mapping[str, object] = {
    "compression": "zstd",
    "compression_level": 3,
    "store_schema": False,
    "write_statistics": False,
    "row_group_size": 1 << 20,
}


@dataclass(frozen=True, slots=True)
class PackageSummary:
    """What `write_package` wrote: enough for a command to report it."""

    path: Path
    agency: str
    agency_kind: AgencyKind
    records: int
    events: int
    key_fingerprint: str
    created: dt.datetime
    sha256: str  # of the package file
    size: int  # bytes


def write_package(
    path: Path,
    *,
    agency: str,
    agency_kind: AgencyKind,
    records: Mapping[str, AgencyRecord] | Sequence[AgencyRecord],
    key: PartnershipKey,
    source_files: Sequence[FileReport] = (),
    duplicate_free: bool = False,
    created: dt.datetime | None = None,
) -> PackageSummary:
    """Encode the records with the key and write them, with their events, as a package.

    An existing file at `path` is replaced (atomically). InvalidInput when the agency name is
    not allowed or two records share a reference.
    """
    path = Path(path)
    if not valid_agency_name(agency):
        raise InvalidInput(agency_name_rule(agency))
    kind = AgencyKind(agency_kind)
    ordered = _sorted_records(records)
    created = utc_seconds(created or dt.datetime.now(dt.UTC))
    records_bytes = parquet_bytes(encode_records(ordered, key))
    events = events_table(ordered)
    events_bytes = parquet_bytes(events)
    manifest = PackageManifest(
        agency=agency,
        agency_kind=kind,
        created=created,
        key_fingerprint=key.fingerprint,
        duplicate_free=duplicate_free,
        records=len(ordered),
        events=events.num_rows,
        members={
            RECORDS_MEMBER: hashlib.sha256(records_bytes).hexdigest(),
            EVENTS_MEMBER: hashlib.sha256(events_bytes).hexdigest(),
        },
        source_files=tuple(_source_file(report) for report in source_files),
    )
    package = zip_bytes(
        [
            (MANIFEST_MEMBER, manifest.to_json()),
            (RECORDS_MEMBER, records_bytes),
            (EVENTS_MEMBER, events_bytes),
        ]
    )
    _write_atomically(path, package)
    return PackageSummary(
        path=path,
        agency=agency,
        agency_kind=kind,
        records=manifest.records,
        events=manifest.events,
        key_fingerprint=manifest.key_fingerprint,
        created=created,
        sha256=hashlib.sha256(package).hexdigest(),
        size=len(package),
    )


def _sorted_records(
    records: Mapping[str, AgencyRecord] | Sequence[AgencyRecord],
) -> list[AgencyRecord]:
    if isinstance(records, Mapping):
        wrong = [ref for ref, record in records.items() if ref != record.record_id]
        if wrong:
            raise InvalidInput(
                f"{len(wrong)} records are filed under a reference other than their own "
                f"record_id (first: {wrong[0]!r})"
            )
        values = list(records.values())
    else:
        values = list(records)
    ordered = sorted(values, key=_record_id)
    twice = sorted({a.record_id for a, b in pairwise(ordered) if a.record_id == b.record_id})
    if twice:
        shown = ", ".join(repr(ref) for ref in twice[:5])
        raise InvalidInput(
            f"{len(twice)} record references appear more than once ({shown}); a package holds "
            "one record per reference"
        )
    empty = [record for record in ordered if not record.record_id]
    if empty:
        raise InvalidInput(f"{len(empty)} records have an empty record_id")
    return ordered


def _record_id(record: AgencyRecord) -> str:
    return record.record_id


def _source_file(report: FileReport) -> SourceFile:
    # Only the file's name: its folder could name a person or a machine.
    name = Path(report.path).name or report.path
    return SourceFile(name, report.format, report.sha256, report.rows, report.rejected_rows)


def parquet_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(table.combine_chunks(), sink, **PARQUET_OPTIONS)
    return bytes(sink.getvalue().to_pybytes())


def zip_bytes(members: Sequence[tuple[str, bytes]]) -> bytes:
    """A zip of the members, stored, each with the same fixed timestamp and permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3  # Unix, whatever system writes it
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def _write_atomically(path: Path, data: bytes) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidInput(f"cannot write {path}: the folder {folder} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as error:
        raise InvalidInput(f"cannot write {path}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise InvalidInput(f"cannot write {path}: {error.strerror or error}") from None
