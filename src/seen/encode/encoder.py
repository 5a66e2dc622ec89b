"""`encode_records`: agency records in, the package's records table out (see
`seen.encode.columns` for how the columns are computed).

Records are independent of each other, so a large extract is encoded in contiguous chunks,
one per core: the other chunks in forked worker processes, the first in this one. The output
is the same bytes, in the same order, whatever the number of workers: only the encoders'
caches of repeated values are per chunk.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Final

import pyarrow as pa

from seen.domain.events import Event
from seen.domain.records import AgencyRecord
from seen.encode.columns import ColumnEncoder
from seen.encode.keys import PartnershipKey
from seen.encode.schema import EVENTS_SCHEMA, RECORDS_SCHEMA

# Below this many records a chunk's share of the work is less than starting a worker costs.
MIN_CHUNK: Final = 10_000
# The records a forked worker encodes: set just before the pool forks, so that each worker
# inherits them instead of receiving them pickled.
_CHUNKS: list[Sequence[AgencyRecord]] = []


def encode_records(
    records: Iterable[AgencyRecord], key: PartnershipKey, *, workers: int | None = None
) -> pa.Table:
    """The records table of a package (RECORDS_SCHEMA), one row per record, in input order.

    `workers`: processes to encode in (default: one per available core); the table is the
    same whatever it is.
    """
    todo = records if isinstance(records, Sequence) else list(records)
    keys = (key.derive("token"), key.derive("bloom"), key.derive("bloom-permutation"))
    count = max(1, min(workers or _available_cores(), len(todo) // MIN_CHUNK))
    if count > 1 and "fork" not in multiprocessing.get_all_start_methods():
        count = 1
    # Encoding makes millions of small objects that all live until the table is built: the
    # cyclic collector would walk them again and again, finding nothing to free.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if count == 1:
            return _table(ColumnEncoder(*keys).encode(todo), RECORDS_SCHEMA)
        return _table(_encode_in_chunks(todo, keys, count), RECORDS_SCHEMA)
    finally:
        if collecting:
            gc.enable()


def _available_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _encode_in_chunks(
    records: Sequence[AgencyRecord], keys: tuple[bytes, bytes, bytes], count: int
) -> list[list[object]]:
    """The columns of `records`, encoded in `count` contiguous chunks, all but the first in
    forked workers while this process encodes the first."""
    size = -(-len(records) // count)
    _CHUNKS[:] = [records[start : start + size] for start in range(0, len(records), size)]
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(len(_CHUNKS) - 1, mp_context=context) as pool:
            later = [pool.submit(_encode_chunk, index, keys) for index in range(1, len(_CHUNKS))]
            parts: list[Sequence[Sequence[object]]] = [ColumnEncoder(*keys).encode(_CHUNKS[0])]
            parts.extend(future.result() for future in later)
    finally:
        _CHUNKS.clear()
    return [[value for part in parts for value in part[column]] for column in range(len(parts[0]))]


def _encode_chunk(index: int, keys: tuple[bytes, bytes, bytes]) -> list[list[object]]:
    """In a forked worker: the columns of chunk `index`, as plain lists for the trip back."""
    gc.disable()
    return [list(column) for column in ColumnEncoder(*keys).encode(_CHUNKS[index])]


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
