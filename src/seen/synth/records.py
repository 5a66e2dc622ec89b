"""Agency records: who each one is really about, when it was made, its agency-local id and the
identity it holds. Shared by every agency's recording module."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seen.synth.corruption import Recorded, record_identities
from seen.synth.dates import Days
from seen.synth.identifier_errors import IdentifierErrors
from seen.synth.names import NameData, Strings
from seen.synth.population import Children, Households
from seen.synth.rates import Floats, Ints


@dataclass
class RecordSet:
    person: Ints
    registered: Days
    ids: Strings
    identity: Recorded

    def __len__(self) -> int:
        return len(self.person)

    def postcodes(self, kids: Children, hh: Households, record: Ints, day: Days) -> Strings:
        """The postcode each row shows: the family's address on the row's day, or the one the
        record was made with when the agency never updated it; blank when never taken."""
        stale = self.identity.stale_postcode[record]
        when = np.where(stale, self.registered[record], day)
        h = kids.household[self.person[record]]
        out = hh.addr_postcode[hh.address_at(h, when)].copy()
        out[self.identity.no_postcode[record]] = ""
        return out


def unique_ids(rng: np.random.Generator, n: int, prefix: str, digits: int) -> Strings:
    """`n` distinct random ids like `prefix` + `digits` digits, so that neither their order nor
    their values say anything about who they belong to."""
    lo = 10 ** (digits - 1)
    values = rng.choice(9 * lo, size=n, replace=False) + lo
    return np.array([f"{prefix}{v}" for v in values.tolist()], dtype=object)


def split_records(
    rng: np.random.Generator, child: Ints, day: Days, duplicate_rate: float | Floats
) -> tuple[Ints, Ints, Days]:
    """Records for a stream of events: a child's first event makes a record, and a later one
    makes a new (duplicate) record with `duplicate_rate`, which then takes later events.
    Returns (record of each event, person of each record, day each record was made)."""
    order = np.lexsort((day, child))
    c, d = child[order], day[order]
    first = np.ones(len(c), dtype=bool)
    first[1:] = c[1:] != c[:-1]
    rate = np.broadcast_to(np.asarray(duplicate_rate, dtype=np.float64), child.shape)[order]
    new = first | (rng.random(len(c)) < rate)
    record_sorted = np.cumsum(new) - 1
    record = np.empty(len(c), dtype=np.int64)
    record[order] = record_sorted
    return record, c[new], d[new]


def make_records(
    rng: np.random.Generator,
    errors: IdentifierErrors,
    kids: Children,
    hh: Households,
    names: NameData,
    person: Ints,
    registered: Days,
    ids: Strings,
) -> RecordSet:
    identity = record_identities(rng, errors, kids, hh, names, person, registered)
    return RecordSet(person, registered, ids, identity)
