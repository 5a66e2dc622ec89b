"""Stable person ids across linkage runs.

An id is "P" and 12 base32 characters (60 bits). It is random-looking but deterministic:
the n-th new id of a run is a hash of a counter and of the set of ids the run started from,
never of anything about the person (not even the agency references).

Inheritance, decided greedily over (cluster, previous person, shared records), most shared
records first, ties to the lexicographically smaller previous id, then to the cluster with
the smaller first record:

- a cluster inherits the id of the previous person with which it shares the most records;
- a split keeps the id on the part holding more of the person's records;
- a merge keeps the id of the person contributing the most records;
- every other cluster gets a new id, never one in the previous table or in `issued`.

So a person whose records are exactly the same as before keeps its id: it shares records
only with its own previous person, and that person only with it.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from typing import Final, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

PREFIX: Final = "P"
ID_CHARS: Final = 12

PEOPLE_SCHEMA: Final = pa.schema(
    [("source", pa.string()), ("record_id", pa.string()), ("person_id", pa.string())]
)


class IssuedIds(Protocol):
    """The ids issued before a run: what new ids must avoid, and a digest that makes each
    run's sequence of new ids its own."""

    def context(self) -> bytes: ...

    def clashes(self, candidates: Sequence[str]) -> set[str]: ...


class IssuedArray:
    """Issued ids held in an Arrow array (the whole people table of a full run)."""

    def __init__(self, ids: pa.Array) -> None:
        self.ids = ids

    def context(self) -> bytes:
        ordered = pc.unique(self.ids).sort()
        digest = hashlib.sha256(b"seen-person-ids")
        digest.update(len(ordered).to_bytes(8, "big"))
        for chunk in ordered.cast(pa.large_string()).buffers()[1:]:
            if chunk is not None:
                digest.update(memoryview(chunk))
        return digest.digest()

    def clashes(self, candidates: Sequence[str]) -> set[str]:
        hits = pc.is_in(pa.array(candidates, pa.string()), value_set=self.ids).to_pylist()
        return {c for c, hit in zip(candidates, hits, strict=True) if hit}


def new_ids(count: int, issued: IssuedIds) -> list[str]:
    """`count` new ids, none of them issued before."""
    prefix = b"seen-person-id\x1f" + issued.context() + b"\x1f"
    out: list[str] = []
    taken: set[str] = set()
    counter = 0
    while len(out) < count:
        batch = []
        for _ in range(count - len(out)):
            digest = hashlib.sha256(prefix + counter.to_bytes(8, "big")).digest()
            # Base32 encodes each 5 bytes on its own: the first 12 characters of the whole
            # digest's encoding are those of its first 10 bytes'.
            batch.append(PREFIX + base64.b32encode(digest[:10]).decode("ascii")[:ID_CHARS])
            counter += 1
        clash = issued.clashes(batch)
        for candidate in batch:
            if candidate not in clash and candidate not in taken:
                taken.add(candidate)
                out.append(candidate)
    return out


def assign_stable_ids(
    clusters: pa.Table,
    previous_people: pa.Table | None,
    *,
    issued: Iterable[str] = (),
    register: IssuedIds | None = None,
) -> pa.Table:
    """People (source, record_id, person_id) for `clusters` (source, record_id,
    cluster_id), inheriting ids from `previous_people` (source, record_id, person_id; each
    record once).

    `issued`: ids given out before that are not in `previous_people` (a person merged
    away, say); new ids avoid them as they avoid the previous ones. `register` replaces
    both for a caller holding every issued id elsewhere (an incremental run's database).

    Columnar throughout (a million records take about a second): clusters and people are
    numbered, and only the greedy inheritance walks, once, over the (cluster, previous
    person) overlaps."""
    sources = clusters.column("source").cast(pa.string())
    record_ids = clusters.column("record_id").cast(pa.string())
    n = clusters.num_rows
    # Clusters numbered 0..k-1; each cluster's first record (in (source, record_id)
    # order, as Python compares the pairs: UTF-8 bytes sort as code points) as its rank.
    labels = _codes(clusters.column("cluster_id"))
    k = int(labels.max()) + 1 if n else 0
    order = pc.sort_indices(
        pa.table({"s": sources, "r": record_ids}), [("s", "ascending"), ("r", "ascending")]
    ).to_numpy()
    first = np.full(k, n, dtype=np.int64)
    np.minimum.at(first, labels[order], np.arange(n, dtype=np.int64))

    persons = pa.array([], pa.string())
    inherited = np.full(n, -1, dtype=np.int64)  # each record's previous person, as a code
    if previous_people is not None and previous_people.num_rows:
        persons = pc.unique(previous_people.column("person_id").cast(pa.string())).sort()
        inherited = _previous(sources, record_ids, previous_people, persons)

    # (cluster, previous person) overlaps, ranked: most shared records first, ties to the
    # smaller previous id, then to the cluster with the smaller first record.
    has = inherited >= 0
    pairs = labels[has] * max(len(persons), 1) + inherited[has]
    overlap, shared = np.unique(pairs, return_counts=True)
    pair_labels, pair_persons = np.divmod(overlap, max(len(persons), 1))
    ranked = np.lexsort((first[pair_labels], pair_persons, -shared))
    assigned = np.full(k, -1, dtype=np.int64)
    used = np.zeros(len(persons), dtype=bool)
    for label, person in zip(
        pair_labels[ranked].tolist(), pair_persons[ranked].tolist(), strict=True
    ):
        if assigned[label] < 0 and not used[person]:
            assigned[label] = person
            used[person] = True

    if register is None:
        extra = pa.array(sorted(set(issued)), pa.string())
        register = IssuedArray(pa.concat_arrays([persons, extra]) if len(extra) else persons)
    unassigned = np.flatnonzero(assigned < 0)
    unassigned = unassigned[np.argsort(first[unassigned], kind="stable")]
    fresh = pa.array(new_ids(len(unassigned), register), pa.string())
    # Every cluster's id as a position in (previous ids, then the fresh ones).
    assigned[unassigned] = len(persons) + np.arange(len(unassigned))
    every = pa.concat_arrays([persons, fresh])
    return pa.table(
        {
            "source": sources,
            "record_id": record_ids,
            "person_id": every.take(pa.array(assigned[labels])),
        },
        schema=PEOPLE_SCHEMA,
    )


def _codes(values: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Each value's number among the distinct values (0, 1, ... in order of appearance)."""
    encoded = pc.dictionary_encode(values)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.unify_dictionaries() if encoded.num_chunks > 1 else encoded
        chunks = [c.indices for c in encoded.chunks]
        indices = pa.concat_arrays(chunks) if chunks else pa.array([], pa.int32())
    else:
        indices = encoded.indices
    return np.asarray(indices.to_numpy(zero_copy_only=False), dtype=np.int64)


def _previous(
    sources: pa.ChunkedArray,
    record_ids: pa.ChunkedArray,
    previous_people: pa.Table,
    persons: pa.Array,
) -> np.ndarray:
    """Each record's person in `previous_people` as a number into `persons` (-1: none)."""
    mine = _record_keys(sources, record_ids)
    theirs = _record_keys(
        previous_people.column("source").cast(pa.string()),
        previous_people.column("record_id").cast(pa.string()),
    )
    row = pc.index_in(mine, value_set=theirs).to_numpy(zero_copy_only=False)
    found = ~np.isnan(row) if row.dtype.kind == "f" else np.ones(len(row), dtype=bool)
    codes = pc.index_in(previous_people.column("person_id").cast(pa.string()), persons)
    codes_np = np.asarray(codes.to_numpy(zero_copy_only=False), dtype=np.int64)
    out = np.full(len(mine), -1, dtype=np.int64)
    out[found] = codes_np[row[found].astype(np.int64)]
    return out


def _record_keys(sources: pa.ChunkedArray, record_ids: pa.ChunkedArray) -> pa.ChunkedArray:
    """One text per (source, record_id), unambiguous whatever characters they hold: the
    source's length, the source, then the record id."""
    length = pc.utf8_length(sources).cast(pa.string())
    return pc.binary_join_element_wise(length, sources, record_ids, ":")


def people_sorted(people: pa.Table) -> pa.Table:
    """People in a canonical order (by source, then record)."""
    order = pc.sort_indices(people, [("source", "ascending"), ("record_id", "ascending")])
    return people.take(order)
