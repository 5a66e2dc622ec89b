"""Frequency attacks: align how often each encoding occurs with how common each name is.

On tokens: every record with one `tok_given` value has the same canonical given name, so the
token values, counted (per sex and ethnicity: the hub holds both in the clear), are matched one
to one with the public name list (`seen.attack.matching`). Likewise `tok_family`.

On Bloom filters: equal filters mean the same name *and* the same salt (year of birth), so the
same alignment runs within each salt group, where the counts are an eighteenth as large. Whether
a column is salted is read off the data (a salted column never shows one value in two years of
birth), so the attacks need no inside knowledge of the encoding's options, and the same code
attacks tokens salted by year of birth (a variant `seen.attack.control` can build).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from seen.attack.guesses import Guesses, Objects
from seen.attack.knowledge import PublicNames
from seen.attack.matching import NameModel, assign_one_to_one, units_of
from seen.attack.view import HubView, missing

Ints = npt.NDArray[np.int64]
NAME_FIELDS = {"given": ("tok_given", "bf_given"), "family": ("tok_family", "bf_family")}


def token_frequency_attack(view: HubView, public: PublicNames) -> Guesses:
    """Given and family name of each record from the frequencies of `tok_given`, `tok_family`
    (within each year of birth, should the tokens turn out to be salted by it)."""
    found = {
        field: _align_in_groups(view, NameModel(public, field, view), view.column(token))
        for field, (token, _) in NAME_FIELDS.items()
    }
    return Guesses(found["given"], found["family"], np.full(view.size, None, dtype=object))


def bloom_frequency_attack(view: HubView, public: PublicNames) -> Guesses:
    """Given and family name of each record from the frequencies of equal Bloom filters within
    each salt group."""
    found = {
        field: _align_in_groups(view, NameModel(public, field, view), view.filter_values(column))
        for field, (_, column) in NAME_FIELDS.items()
    }
    return Guesses(found["given"], found["family"], np.full(view.size, None, dtype=object))


def salt_groups(view: HubView, values: Objects) -> Ints:
    """A group per record whose filters may share a salt: the birth year when the column looks
    salted, else one group (-1 where the record has no filter)."""
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
    salted = not repeated or spanning < 0.01 * len(repeated)
    if salted:
        groups = units_of(view.birth_year, present)
    else:
        groups = np.where(present, 0, -1).astype(np.int64)
    return groups


def _align_in_groups(view: HubView, model: NameModel, values: Objects) -> Objects:
    """Equal values aligned with names within each salt group of the column."""
    groups = salt_groups(view, values)
    guesses = np.full(view.size, None, dtype=object)
    for group in np.unique(groups[groups >= 0]).tolist():
        rows = groups == group
        guesses[rows] = _align(view, model, units_of(values, rows))[rows]
    return guesses


def _align(view: HubView, model: NameModel, units: Ints) -> Objects:
    """The name matched to each record's unit (None where it has none)."""
    n_units = int(units.max()) + 1 if units.size and units.max() >= 0 else 0
    guesses = np.full(view.size, None, dtype=object)
    if n_units == 0:
        return guesses
    scores = model.unit_log_likelihood(units, n_units)
    sizes = np.bincount(units[units >= 0], minlength=n_units)
    chosen = assign_one_to_one(scores, sizes)
    names = np.array([*model.names, None], dtype=object)
    used = units >= 0
    guesses[used] = names[chosen[units[used]]]
    return guesses
