"""Loading an agency's extract into the hub: all of it, in one transaction, or none of it.

What reaches the store is the agency's own record reference, the degraded demographics and
the coded events. The identity part of each record (names, date of birth, postcode, NHS
number, UPN) is never written anywhere: there is no column for it. Logs carry counts and the
agency's name only.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PureWindowsPath
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError

from seen.domain.agencies import AgencyKind, agency_name_rule, valid_agency_name
from seen.domain.events import Event, EventKind
from seen.domain.records import AgencyRecord, Identity, Problem
from seen.errors import InvalidInput, StoreError
from seen.formats.extract import Extract, FileReport
from seen.store import writes
from seen.store.engine import Store, write_transaction
from seen.store.tables import REF_LENGTH

logger = logging.getLogger(__name__)

STATUS_COMPLETE = "complete"
STATUS_WITH_REJECTS = "complete_with_rejects"
_MAX_REFERENCE_PROBLEMS = 50

Progress = Callable[[int, int], None]
# Plain strings for the drivers (psycopg would write an Enum's name); an enum's .value is
# also slow enough to show at 100k events.
_KIND_VALUES = {kind: kind.value for kind in EventKind}


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What one ingest did. `events_already_held` includes repeats within the extract."""

    agency: str
    kind: AgencyKind
    files: tuple[FileReport, ...]
    records_new: int
    records_updated: int  # existing records whose demographics changed
    events_new: int
    events_already_held: int
    rejected_rows: int
    already_ingested: bool
    run_id: int | None  # None when nothing was written


@dataclass(frozen=True, slots=True)
class Encodings:
    """What a package adds to an extract: each record's keyed encodings, and facts about the
    package as a whole."""

    by_record: Mapping[str, Mapping[str, Any]]  # record_id -> {tok_*/bf_* column: value}
    key_fingerprint: str
    duplicate_free: bool


def ingest_extract(
    store: Store,
    agency_name: str,
    extract: Extract,
    *,
    kind: AgencyKind | None = None,
    progress: Progress | None = None,
    encodings: Encodings | None = None,
) -> IngestReport:
    """Load `extract` for the agency `agency_name`, registering the agency on first use.

    An extract with any problem imports nothing: rows are rejected at the agency, by
    `seen encode --skip-invalid`, never at the hub (the counts travel in the package).
    Loading the same files again writes nothing; an overlapping extract adds only new events.
    """
    if not valid_agency_name(agency_name):
        raise InvalidInput(agency_name_rule(agency_name))
    if kind is not None and extract.agency_kind is not None and kind != extract.agency_kind:
        raise InvalidInput(
            f"the files look like a {extract.agency_kind.label} extract, but the agency kind "
            f"given is {kind.label}; give the right kind or the right files"
        )
    if not extract.ok:
        count = len(extract.problems) + extract.problems_not_listed
        raise InvalidInput(
            f"the extract for {agency_name} has {count:,} problem(s), so the ingest imports "
            "nothing",
            extract.problems,
        )
    recs = list(extract.records.values())
    problems = _reference_problems(recs, _extract_name(extract.files))
    if problems:
        raise InvalidInput(
            f"the extract for {agency_name} has record or event references the hub must not "
            "hold, so the ingest imports nothing",
            problems,
        )

    report = _ingest(store, agency_name, extract, recs, kind, progress, encodings)
    logger.info(
        "ingest agency=%s already_ingested=%s records_new=%d records_updated=%d "
        "events_new=%d events_already_held=%d rejected_rows=%d",
        report.agency,
        report.already_ingested,
        report.records_new,
        report.records_updated,
        report.events_new,
        report.events_already_held,
        report.rejected_rows,
    )
    return report


def _ingest(
    store: Store,
    agency_name: str,
    extract: Extract,
    recs: list[AgencyRecord],
    kind: AgencyKind | None,
    progress: Progress | None,
    encodings: Encodings | None = None,
) -> IngestReport:
    rejected_rows = (
        sum(f.rejected_rows for f in extract.files) if extract.files else len(extract.rejected)
    )
    try:
        with write_transaction(store) as conn:
            agency_id, agency_kind, known_files = _agency(conn, agency_name, kind, extract)
            if encodings is not None:
                _check_key(conn, encodings.key_fingerprint)
            if (
                known_files
                and extract.files
                and all(f.sha256 in known_files for f in extract.files)
            ):
                return IngestReport(
                    agency=agency_name,
                    kind=agency_kind,
                    files=tuple(extract.files),
                    records_new=0,
                    records_updated=0,
                    events_new=0,
                    events_already_held=extract.event_count,
                    rejected_rows=rejected_rows,
                    already_ingested=True,
                    run_id=None,
                )
            started = _now()
            status = STATUS_WITH_REJECTS if rejected_rows or not extract.ok else STATUS_COMPLETE
            fingerprint = encodings.key_fingerprint if encodings else None
            run_id = writes.insert_run(
                conn, agency_id, started, status, _files_json(extract), fingerprint
            )
            ids, records_new, records_updated = _write_records(conn, agency_id, run_id, recs)
            if encodings is not None:
                writes.set_duplicate_free(conn, agency_id, encodings.duplicate_free)
                _write_encodings(conn, ids, encodings)
            events_new, events_held = _write_events(
                conn, agency_name, run_id, recs, ids, known_files is None, progress
            )
            writes.finish_run(
                conn,
                run_id,
                _now(),
                records_new=records_new,
                events_new=events_new,
                rejected_rows=rejected_rows,
            )
    except SQLAlchemyError as exc:
        # Only the driver's first line: the full text can echo bound values.
        reason = str(getattr(exc, "orig", None) or type(exc).__name__).strip().splitlines()[0]
        raise StoreError(
            f"the ingest could not be saved, so nothing was changed: {reason}"
        ) from exc
    return IngestReport(
        agency=agency_name,
        kind=agency_kind,
        files=tuple(extract.files),
        records_new=records_new,
        records_updated=records_updated,
        events_new=events_new,
        events_already_held=events_held,
        rejected_rows=rejected_rows,
        already_ingested=False,
        run_id=run_id,
    )


def _agency(
    conn: Connection, name: str, kind: AgencyKind | None, extract: Extract
) -> tuple[int, AgencyKind, set[str] | None]:
    """The agency's id, kind and ingested file hashes; None for the hashes when the agency
    is new and has just been registered."""
    wanted = kind or extract.agency_kind
    found = writes.find_agency(conn, name)
    new = False
    if found is None:
        if wanted is None:
            raise InvalidInput(
                f"agency {name} is new and its kind cannot be told from the files; "
                "say which kind of agency it is"
            )
        # Another ingest may be registering it at this moment (PostgreSQL): then this one
        # waits for that one, and goes on as for an agency already registered.
        new = writes.register_agency(conn, name, wanted.value, _now())
        found = writes.find_agency(conn, name)
        assert found is not None
    held = AgencyKind(found.kind)
    if wanted is not None and wanted != held:
        raise InvalidInput(
            f"agency {name} is registered as {held.label}, not {wanted.label}; "
            "check the agency name"
        )
    return found.id, held, None if new else writes.ingested_file_hashes(conn, found.id)


def _check_key(conn: Connection, fingerprint: str) -> None:
    held = writes.key_fingerprints(conn)
    if held and fingerprint not in held:
        raise InvalidInput(
            "this package was encoded with a different partnership key from the packages "
            "already held, so its records could never be linked to them; encode it again "
            "with the partnership's key"
        )


def _write_encodings(conn: Connection, ids: Mapping[str, int], encodings: Encodings) -> None:
    rows = [{"record_id": ids[ref], **columns} for ref, columns in encodings.by_record.items()]
    for part in writes.chunks(rows, writes.CHUNK_SIZE):
        writes.replace_encodings(conn, part)


def _write_records(
    conn: Connection, agency_id: int, run_id: int, recs: Sequence[AgencyRecord]
) -> tuple[dict[str, int], int, int]:
    """Insert new records, bring existing ones up to date; the latest extract's
    demographics win. Returns record ids by reference, and the new and changed counts."""
    refs = [r.record_id for r in recs]
    held = writes.existing_records(conn, agency_id, refs)
    new_rows: list[dict[str, Any]] = []
    update_rows: list[dict[str, Any]] = []
    changed = 0
    for rec in recs:
        demo = _demographics(rec)
        old = held.get(rec.record_id)
        if old is None:
            new_rows.append(
                {
                    "agency_id": agency_id,
                    "record_ref": rec.record_id,
                    **demo,
                    "first_run_id": run_id,
                    "last_run_id": run_id,
                }
            )
            continue
        if (old.sex, old.ethnicity, old.birth_month, old.deprivation_decile) != tuple(
            demo.values()
        ):
            changed += 1
        update_rows.append(
            {"b_id": old.id, **{f"b_{k}": v for k, v in demo.items()}, "b_run": run_id}
        )
    for part in writes.chunks(new_rows, writes.CHUNK_SIZE):
        writes.insert_records(conn, part)
    for part in writes.chunks(update_rows, writes.CHUNK_SIZE):
        writes.update_records(conn, part)
    ids = {ref: row.id for ref, row in held.items()}
    new_refs = [row["record_ref"] for row in new_rows]
    ids.update(
        {ref: row.id for ref, row in writes.existing_records(conn, agency_id, new_refs).items()}
    )
    return ids, len(new_rows), changed


def _demographics(rec: AgencyRecord) -> dict[str, Any]:
    # Key order matches writes.RecordRow, for the comparison in _write_records.
    d = rec.demographics
    return {
        "sex": d.sex.value,
        "ethnicity": d.ethnicity,
        "birth_month": d.birth_month,
        "deprivation_decile": d.deprivation_decile,
    }


def _write_events(
    conn: Connection,
    agency_name: str,
    run_id: int,
    recs: Sequence[AgencyRecord],
    record_ids: dict[str, int],
    agency_is_new: bool,
    progress: Progress | None,
) -> tuple[int, int]:
    """Insert the events not already held. Returns (new, already held or repeated)."""
    keyed: dict[str, tuple[int, Event]] = {}
    total = 0
    for rec in recs:
        for event in rec.events:
            total += 1
            keyed.setdefault(
                event.identity_key(agency_name, rec.record_id), (record_ids[rec.record_id], event)
            )
    # Keys include the agency's name, so a new agency can hold none of them yet.
    held = set() if agency_is_new else writes.existing_event_keys(conn, list(keyed))
    rows = [
        (
            record_id,
            _KIND_VALUES[event.kind],
            event.start,
            event.end,
            event.code,
            event.qualifier,
            event.value,
            event.source_ref,
            key,
            run_id,
        )  # in writes.EVENT_COLUMNS order
        for key, (record_id, event) in keyed.items()
        if key not in held
    ]
    done = 0
    if progress is not None:
        progress(0, len(rows))
    for part in writes.chunks(rows, writes.CHUNK_SIZE):
        writes.insert_events(conn, part)
        done += len(part)
        if progress is not None:
            progress(done, len(rows))
    return len(rows), total - len(rows)


def _reference_problems(recs: Sequence[AgencyRecord], file: str) -> list[Problem]:
    """References the store cannot or must not hold: empty, too long, repeated, or carrying
    the person's NHS number, UPN or postcode. Messages never quote the value itself."""
    found: list[Problem] = []
    seen: set[str] = set()
    for number, rec in enumerate(recs, start=1):
        where = f"record {number}"
        ref = rec.record_id
        if not ref or not ref.strip() or len(ref) > REF_LENGTH or not ref.isprintable():
            found.append(
                Problem(
                    file,
                    where,
                    "record_id",
                    f"a record reference has 1 to {REF_LENGTH} printable characters",
                )
            )
        elif ref in seen:
            found.append(Problem(file, where, "record_id", "this record reference appears twice"))
        seen.add(ref)
        secrets = _identifiers(rec.identity)
        if _contains_identifier(ref, secrets):
            found.append(Problem(file, where, "record_id", _IDENTIFIER_MESSAGE))
        for event in rec.events:
            source = event.source_ref
            if source is None:
                continue
            if len(source) > REF_LENGTH or not source.isprintable():
                found.append(
                    Problem(
                        file,
                        where,
                        "source_ref",
                        f"an event reference has at most {REF_LENGTH} printable characters",
                    )
                )
            elif _contains_identifier(source, secrets):
                found.append(Problem(file, where, "source_ref", _IDENTIFIER_MESSAGE))
        if len(found) >= _MAX_REFERENCE_PROBLEMS:
            break
    return found


_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")
_IDENTIFIER_MESSAGE = (
    "the reference contains the person's NHS number, UPN or postcode, which the hub must not "
    "hold; use the agency's own reference instead"
)


def _normalise(value: str) -> str:
    return _NOT_ALPHANUMERIC.sub("", value).upper()


def _identifiers(identity: Identity) -> list[str]:
    values = (identity.nhs_number, identity.upn, identity.postcode)
    # Anything shorter than a postcode's five characters would match by chance.
    return [n for n in (_normalise(v) for v in values if v) if len(n) >= 5]


def _contains_identifier(reference: str, identifiers: Sequence[str]) -> bool:
    normalised = _normalise(reference)
    return any(identifier in normalised for identifier in identifiers)


def _files_json(extract: Extract) -> list[dict[str, Any]]:
    return [
        {
            "name": _basename(f.path),
            "format": f.format,
            "sha256": f.sha256,
            "rows": f.rows,
            "rejected_rows": f.rejected_rows,
        }
        for f in extract.files
    ]


def _basename(path: str) -> str:
    # Folder names can name people or places, so only the file name is kept; a Windows
    # path's backslashes are separators too.
    return PureWindowsPath(path).name


def _extract_name(files: Sequence[FileReport]) -> str:
    return _basename(files[0].path) if len(files) == 1 else "extract"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
