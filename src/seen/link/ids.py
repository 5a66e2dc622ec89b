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
    context = issued.context()
    out: list[str] = []
    counter = 0
    while len(out) < count:
        batch = []
        for _ in range(count - len(out)):
            digest = hashlib.sha256(
                b"seen-person-id\x1f" + context + b"\x1f" + counter.to_bytes(8, "big")
            ).digest()
            batch.append(PREFIX + base64.b32encode(digest).decode("ascii")[:ID_CHARS])
            counter += 1
        clash = issued.clashes(batch)
        out.extend(b for b in batch if b not in clash and b not in out)
    return out


def _keys(table: pa.Table) -> list[tuple[str, str]]:
    return list(
        zip(
            table.column("source").to_pylist(),
            table.column("record_id").to_pylist(),
            strict=True,
        )
    )


def assign_stable_ids(
    clusters: pa.Table,
    previous_people: pa.Table | None,
    *,
    issued: Iterable[str] = (),
    register: IssuedIds | None = None,
) -> pa.Table:
    """People (source, record_id, person_id) for `clusters` (source, record_id,
    cluster_id), inheriting ids from `previous_people` (source, record_id, person_id).

    `issued`: ids given out before that are not in `previous_people` (a person merged
    away, say); new ids avoid them as they avoid the previous ones. `register` replaces
    both for a caller holding every issued id elsewhere (an incremental run's database)."""
    keys = _keys(clusters)
    labels = clusters.column("cluster_id").to_pylist()
    members: dict[object, list[tuple[str, str]]] = {}
    for key, label in zip(keys, labels, strict=True):
        members.setdefault(label, []).append(key)
    first = {label: min(keys_) for label, keys_ in members.items()}

    previous: dict[tuple[str, str], str] = {}
    if previous_people is not None and previous_people.num_rows:
        previous = dict(
            zip(
                _keys(previous_people), previous_people.column("person_id").to_pylist(), strict=True
            )
        )
    overlap: dict[tuple[object, str], int] = {}
    for key, label in zip(keys, labels, strict=True):
        person = previous.get(key)
        if person is not None:
            overlap[(label, person)] = overlap.get((label, person), 0) + 1

    ranked = sorted(overlap.items(), key=lambda item: (-item[1], item[0][1], first[item[0][0]]))
    assigned: dict[object, str] = {}
    used: set[str] = set()
    for (label, person), _ in ranked:
        if label in assigned or person in used:
            continue
        assigned[label] = person
        used.add(person)

    if register is None:
        register = IssuedArray(pa.array(sorted(set(previous.values()) | set(issued)), pa.string()))
    unassigned = sorted((lb for lb in members if lb not in assigned), key=lambda lb: first[lb])
    for label, fresh in zip(unassigned, new_ids(len(unassigned), register), strict=True):
        assigned[label] = fresh

    ids = [assigned[label] for label in labels]
    return pa.table(
        {
            "source": clusters.column("source").cast(pa.string()),
            "record_id": clusters.column("record_id").cast(pa.string()),
            "person_id": pa.array(ids, pa.string()),
        },
        schema=PEOPLE_SCHEMA,
    )


def people_sorted(people: pa.Table) -> pa.Table:
    """People in a canonical order (by source, then record)."""
    order = pc.sort_indices(people, [("source", "ascending"), ("record_id", "ascending")])
    return people.take(order)
