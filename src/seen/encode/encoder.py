"""`encode_records`: agency records in, the package's records table out (see
`seen.encode.columns` for how the columns are computed).

Records are independent of each other, so a large extract is encoded in chunks by forked
worker processes, one per core, each building its chunks' Arrow table and sending it back as
an Arrow IPC stream: a few large buffers, not millions of pickled strings, so this process
only has to join them and put the rows back in input order. A chunk holds the records of some
dates of birth, so that one child's records (recorded twice, or by several agencies) are
encoded by one worker, whose caches then compute their shared values once. There are a few
more chunks than workers, so that a worker finishing early takes another rather than waiting
for the slowest. The output is the same bytes, in the same order, whatever the number of
workers.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Final

import numpy as np
import pyarrow as pa

from seen.domain.events import Event
from seen.domain.records import AgencyRecord
from seen.encode.columns import ColumnEncoder
from seen.encode.keys import PartnershipKey
from seen.encode.schema import EVENTS_SCHEMA, RECORDS_SCHEMA

# Below this many records a chunk's share of the work is less than starting a worker costs.
MIN_CHUNK: Final = 10_000
# Chunks per worker: enough that the workers finish together, few enough that each chunk's
# fixed costs (NumPy batches, the IPC stream) stay small beside its encoding.
CHUNKS_PER_WORKER: Final = 6
# The records the forked workers encode: set just before the pool forks, so that each worker
# inherits them instead of receiving them pickled.
_CHUNKS: list[Sequence[AgencyRecord]] = []
# In a worker: its encoder, kept from chunk to chunk so that its caches of repeated values
# (names, dates, postcodes) serve all the chunks it encodes.
_ENCODER: list[ColumnEncoder] = []

Keys = tuple[bytes, bytes, bytes]


def encode_records(
    records: Iterable[AgencyRecord], key: PartnershipKey, *, workers: int | None = None
) -> pa.Table:
    """The records table of a package (RECORDS_SCHEMA), one row per record, in input order.

    `workers`: processes to encode in (default: one per available core); the table is the
    same whatever it is.
    """
    todo = records if isinstance(records, Sequence) else list(records)
    keys = (key.derive("token"), key.derive("bloom"), key.derive("near"))
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
        return _encode_in_chunks(todo, keys, count)
    finally:
        if collecting:
            gc.enable()


def _available_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _encode_in_chunks(records: Sequence[AgencyRecord], keys: Keys, workers: int) -> pa.Table:
    """The records table of `records`, encoded in chunks by `workers` forked processes while
    this one waits and then joins their tables."""
    chunks = max(workers, min(workers * CHUNKS_PER_WORKER, len(records) // MIN_CHUNK))
    rows = _by_date_of_birth(records, chunks)
    _CHUNKS[:] = [[records[row] for row in chunk] for chunk in rows]
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start_worker, initargs=(keys,)
        ) as pool:
            streams = list(pool.map(_encode_chunk, range(len(_CHUNKS))))
    finally:
        _CHUNKS.clear()
    tables = [pa.ipc.open_stream(stream).read_all() for stream in streams]
    # Record i is row where[i] of the joined tables; one chunk per column, as encoding in one
    # process gives.
    where = np.argsort(np.concatenate([np.array(chunk, dtype=np.int64) for chunk in rows]))
    return pa.concat_tables(tables).take(where).combine_chunks()


def _by_date_of_birth(records: Sequence[AgencyRecord], chunks: int) -> list[list[int]]:
    """The indices of `records` in `chunks` groups of about equal size, all the records of a
    date of birth in one group (those without one spread evenly)."""
    groups: list[list[int]] = [[] for _ in range(chunks)]
    for index, record in enumerate(records):
        born = record.identity.date_of_birth
        groups[(index if born is None else born.toordinal()) % chunks].append(index)
    return [group for group in groups if group]


def _start_worker(keys: Keys) -> None:
    gc.disable()  # as in encode_records: nothing the encoder makes is garbage until the end
    _ENCODER[:] = [ColumnEncoder(*keys)]


def _encode_chunk(index: int) -> pa.Buffer:
    """In a forked worker: chunk `index`'s table, as an Arrow IPC stream for the trip back."""
    table = _table(_ENCODER[0].encode(_CHUNKS[index]), RECORDS_SCHEMA)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _table(columns: Sequence[Sequence[object] | pa.Array], schema: pa.Schema) -> pa.Table:
    arrays = [
        values if isinstance(values, pa.Array) else pa.array(values, type=field.type)
        for values, field in zip(columns, schema, strict=True)
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
