"""Frequency attacks: align how often each encoding occurs with how common each name is.

On tokens: every record with one `tok_given` value has the same canonical given name, so the
token values, counted (per sex and ethnicity: the hub holds both in the clear), are matched one
to one with the public name list (`seen.attack.matching`). Likewise `tok_family`. Tokens salted
by year of birth (seen-encoding-2) are attacked within each year.

On Bloom filters: equal filters mean the same name *and* the same salt, so the same alignment
runs within each salt group: a year of birth in seen-encoding-1, a year and the other name (in
effect a family) in seen-encoding-2, where it has next to nothing to count.

The salt is read off the data, so the attacks need no inside knowledge of the encoding's
options: a column is salted by year when no value of it is seen in two years of birth, and a
filter column by the other name as well when records born in one year with one name token
(the same name) carry different filters. The hub can then form the salt groups itself: the
records of one year with one value of the other name's token share a salt (seen-encoding-2
salts the name tokens by the year, exactly as the filters).

**Name lengths.** Balancing was meant to hide how many bits a name sets, but every filter is
permuted alike, so the balancing is undone (`seen.attack.mining.base_bits`) and the base
filter's count of set bits estimates the number of distinct bigrams of the name (k = 15
positions per bigram in m = 512). With `lengths=True` the alignment weighs that too: each
record's filter is one more observation of its name's length, whatever its salt. A column
whose filters all have the same count of set bits (seen-encoding-3: fixed weight) gives no
length, and is left out.

**The names with the postcode** (`tok_names_postcode`, seen-encoding-4: the sorted names and
the postcode, no year). Its values are counted and aligned like a name token's, with the given
names and with the family names (the pair is sorted: the hub cannot tell which is which). And
with `merged=True` the token frequency attack first merges the name tokens' values that share
one of its values: the same names born in two years (a typo in one record,
or two namesakes at one address) then count as one name, which is how the new token could
undo the year salt.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from seen.attack.guesses import Guesses, Objects
from seen.attack.knowledge import PublicNames
from seen.attack.matching import (
    Floats,
    NameModel,
    assign_one_to_one,
    rows_by_unit,
    units_of,
)
from seen.attack.mining import base_bits
from seen.attack.view import HubView, missing

Ints = npt.NDArray[np.int64]
NAME_FIELDS = {"given": ("tok_given", "bf_given"), "family": ("tok_family", "bf_family")}
# A filter column, the token of the same name, and the token of the other name (part of the
# filter's salt in seen-encoding-2). bf_middle is salted as bf_given and has no token.
FILTER_NAMES = {
    "bf_given": ("tok_given", "tok_family"),
    "bf_middle": ("tok_given", "tok_family"),
    "bf_family": ("tok_family", "tok_given"),
}
LENGTH_NOISE = 4.0  # variance added to the occupancy model (bits) for imperfect unbalancing
# The base filters of seen-encoding-1 and -2 (published): k positions per bigram in m bits.
BASE_K = 15
BASE_M = 512


NAMES_POSTCODE = "tok_names_postcode"


def token_frequency_attack(
    view: HubView, public: PublicNames, *, lengths: bool = False, merged: bool = False
) -> Guesses:
    """Given and family name of each record from the frequencies of `tok_given`, `tok_family`
    (within each year of birth, should the tokens turn out to be salted by it), and, with
    `lengths`, the name lengths the Bloom filters show; with `merged`, the values of each
    name token that share a `tok_names_postcode` value made one first (`merged_through`)."""
    counts = _popcounts(view) if lengths else {}
    found = {}
    for field, (token, column) in NAME_FIELDS.items():
        values = view.column(token)
        if merged and view.has(NAMES_POSTCODE):
            values = merged_through(values, view.column(NAMES_POSTCODE))
        model = NameModel(public, field, view)
        groups = salt_groups(view, values)
        found[field] = _align_in_groups(view, model, values, groups, counts.get(column))
    return Guesses(found["given"], found["family"], np.full(view.size, None, dtype=object))


def names_postcode_frequency_attack(view: HubView, public: PublicNames) -> Guesses:
    """Given and family name of each record from the frequencies of `tok_names_postcode`
    values, each aligned with the given names and, separately, with the family names (the
    names in it are sorted). No guess without the column (before seen-encoding-4)."""
    if not view.has(NAMES_POSTCODE):
        return Guesses.empty(view.size)
    values = view.column(NAMES_POSTCODE)
    groups = salt_groups(view, values)
    found = {
        field: _align_in_groups(view, NameModel(public, field, view), values, groups)
        for field in NAME_FIELDS
    }
    return Guesses(found["given"], found["family"], np.full(view.size, None, dtype=object))


def merged_through(values: Objects, links: Objects) -> Objects:
    """`values` with every two values that share a value of `links` (on any records) made one:
    each record's value becomes a label of its connected group (None stays None)."""
    parent: dict[object, object] = {}

    def root(node: object) -> object:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]  # halve the path
            node = parent[node]
        return node

    for value, link in zip(values.tolist(), links.tolist(), strict=True):
        if value is not None and link is not None:
            parent[root(("value", value))] = root(("link", link))
    merged = np.full(len(values), None, dtype=object)
    for r, value in enumerate(values.tolist()):
        if value is not None:
            merged[r] = root(("value", value))
    return merged


def bloom_frequency_attack(view: HubView, public: PublicNames) -> Guesses:
    """Given and family name of each record from the frequencies of equal Bloom filters within
    each salt group."""
    found = {
        field: _align_in_groups(
            view,
            NameModel(public, field, view),
            view.filter_values(column),
            filter_salt_groups(view, column),
        )
        for field, (_, column) in NAME_FIELDS.items()
    }
    return Guesses(found["given"], found["family"], np.full(view.size, None, dtype=object))


def salted_by_year(view: HubView, values: npt.NDArray[np.object_]) -> bool:
    """Whether a column looks salted by year of birth: (almost) no repeated value is seen in
    two years."""
    present = ~missing(values)
    years: dict[object, set[str]] = {}
    counts: dict[object, int] = {}
    for value, year in zip(
        values[present].tolist(), view.birth_year[present].tolist(), strict=True
    ):
        years.setdefault(value, set()).add(year)
        counts[value] = counts.get(value, 0) + 1
    repeated = [value for value, count in counts.items() if count > 1]
    spanning = sum(1 for value in repeated if len(years[value]) > 1)
    return not repeated or spanning < 0.01 * len(repeated)


def salt_groups(view: HubView, values: npt.NDArray[np.object_]) -> Ints:
    """A group per record whose values may share a salt: the birth year when the column looks
    salted by it, else one group (-1 where the record has no value)."""
    present = ~missing(values)
    if salted_by_year(view, values):
        return units_of(view.birth_year, present)
    return np.where(present, 0, -1).astype(np.int64)


def filter_salt_groups(view: HubView, column: str) -> Ints:
    """The salt groups of a Bloom filter column: one, the years of birth, or the records of one
    year with one value of the other name's token (the year and the other name: a family)."""
    values = view.filter_values(column)
    groups = salt_groups(view, values)
    if not salted_by_year(view, values) or not _salted_by_other_name(view, column):
        return groups
    present = ~missing(values)
    other = view.column(FILTER_NAMES[column][1]).tolist()
    keys = np.empty(view.size, dtype=object)
    keys[:] = list(zip(view.birth_year.tolist(), other, strict=True))
    return units_of(keys, present)


def _salted_by_other_name(view: HubView, column: str) -> bool:
    """Whether records born in one year with one name token (one name) carry different filters:
    then the salt holds more than the year. Salted by the year alone, they never do (the same
    name in the same salt gives the same filter). bf_middle, with no token, is salted as
    bf_given."""
    if column == "bf_middle":
        column = "bf_given"
    values = view.filter_values(column).tolist()
    token = view.column(FILTER_NAMES[column][0]).tolist()
    filters_of: dict[tuple[object, object], set[object]] = {}
    records: dict[tuple[object, object], int] = {}
    for value, name, year in zip(values, token, view.birth_year.tolist(), strict=True):
        if value is not None and name is not None:
            filters_of.setdefault((year, name), set()).add(value)
            records[year, name] = records.get((year, name), 0) + 1
    repeated = [key for key, count in records.items() if count > 1]
    several = sum(1 for key in repeated if len(filters_of[key]) > 1)
    return bool(repeated) and several > 0.01 * len(repeated)


def _align_in_groups(
    view: HubView,
    model: NameModel,
    values: npt.NDArray[np.object_],
    groups: Ints,
    popcounts: Floats | None = None,
) -> Objects:
    """Equal values aligned one to one with names within each salt group (`groups`), weighing
    each record's filter length when `popcounts` are given."""
    guesses = np.full(view.size, None, dtype=object)
    names = np.array([*model.names, None], dtype=object)
    for rows in rows_by_unit(groups):
        units = units_of(values[rows])
        n_units = int(units.max()) + 1 if units.size and units.max() >= 0 else 0
        if n_units == 0:
            continue
        scores = model.unit_log_likelihood(units, n_units, rows)
        if popcounts is not None:
            scores = scores + _length_log_likelihood(model, popcounts[rows], units, n_units)
        sizes = np.bincount(units[units >= 0], minlength=n_units)
        chosen = assign_one_to_one(scores, sizes)
        used = units >= 0
        guesses[rows[used]] = names[chosen[units[used]]]
    return guesses


def _popcounts(view: HubView) -> dict[str, Floats]:
    """Set bits of each record's base filter, per filter column (NaN where it has none), for
    the columns whose counts vary: a count every filter shares (seen-encoding-3's fixed
    weight) says nothing of any name's length."""
    found: dict[str, Floats] = {}
    for column, (bits, present) in base_bits(view).items():
        counts = bits[present].sum(axis=1)
        if counts.size and counts.min() == counts.max():
            continue
        found[column] = np.where(present, bits.sum(axis=1), np.nan).astype(np.float64)
    return found


def occupancy(bigrams: Ints) -> tuple[Floats, Floats]:
    """Mean and variance of the set bits of a base filter of names with these numbers of
    distinct bigrams: k positions each, uniform over m (the occupancy problem)."""
    draws = BASE_K * bigrams.astype(np.float64)
    m = float(BASE_M)
    empty = (1 - 1 / m) ** draws
    both = (1 - 2 / m) ** draws
    mean = m * (1 - empty)
    variance = m * empty * (1 - empty) + m * (m - 1) * (both - empty**2)
    return mean, np.maximum(variance, 0.0) + LENGTH_NOISE


def _length_log_likelihood(
    model: NameModel, popcounts: Floats, units: Ints, n_units: int
) -> Floats:
    """units x names: log-likelihood of the units' filter lengths under each name's length."""
    lengths = np.arange(int(model.bigram_counts.max()) + 1, dtype=np.int64)
    mean, variance = occupancy(lengths)
    seen = (units >= 0) & ~np.isnan(popcounts)
    x = popcounts[seen][:, np.newaxis]
    per_record = -0.5 * (x - mean) ** 2 / variance - 0.5 * np.log(variance)
    per_unit = np.zeros((n_units, len(lengths)), dtype=np.float64)
    np.add.at(per_unit, units[seen], per_record)
    result: Floats = per_unit[:, model.bigram_counts]
    return result
