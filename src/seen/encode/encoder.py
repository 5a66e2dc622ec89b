"""`encode_records`: agency records in, the package's records table out (see
`seen.encode.columns` for how the columns are computed)."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Sequence

import pyarrow as pa

from seen.domain.events import Event
from seen.domain.records import AgencyRecord
from seen.encode.columns import ColumnEncoder
from seen.encode.keys import PartnershipKey
from seen.encode.schema import EVENTS_SCHEMA, RECORDS_SCHEMA


def encode_records(records: Iterable[AgencyRecord], key: PartnershipKey) -> pa.Table:
    """The records table of a package (RECORDS_SCHEMA), one row per record, in input order."""
    todo = records if isinstance(records, Sequence) else list(records)
    encoder = ColumnEncoder(
        key.derive("token"), key.derive("bloom"), key.derive("bloom-permutation")
    )
    # Encoding makes millions of small objects that all live until the table is built: the
    # cyclic collector would walk them again and again, finding nothing to free.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _table(encoder.encode(todo), RECORDS_SCHEMA)
    finally:
        if collecting:
            gc.enable()


def _table(columns: Sequence[Sequence[object]], schema: pa.Schema) -> pa.Table:
    arrays = [
        pa.array(values, type=field.type) for values, field in zip(columns, schema, strict=True)
    ]
    return pa.Table.from_arrays(arrays, schema=schema)


def events_table(records: Iterable[AgencyRecord]) -> pa.Table:
    """The events table of a package (EVENTS_SCHEMA): each record's events, in a fixed order."""
    ids: list[str] = []
    events: list[Event] = []
    for record in records:
        found = record.events
        if len(found) > 1:
            found = sorted(found, key=_event_order)
        ids.extend([record.record_id] * len(found))
        events.extend(found)
    columns: list[Sequence[object]] = [
        ids,
        [event.kind.value for event in events],
        [event.start for event in events],
        [event.end for event in events],
        [event.code for event in events],
        [event.qualifier for event in events],
        [None if event.value is None else float(event.value) for event in events],
        [event.source_ref for event in events],
    ]
    return _table(columns, EVENTS_SCHEMA)


def _event_order(event: Event) -> tuple[object, ...]:
    return (
        event.start,
        event.kind.value,
        event.end or dt.date.min,
        event.code or "",
        event.qualifier or "",
        -1e308 if event.value is None else event.value,
        event.source_ref or "",
    )
