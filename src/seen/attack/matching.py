"""Frequency alignment: which public name is each group of identical encodings most likely to be?

A *unit* is a set of records the attacker knows share a name (the records with one token value,
or one Bloom filter within one salt). Each record sits in a demographic *cell* the hub holds in
the clear (sex, ethnicity). If unit u is name n, its count in cell g is about Poisson with mean
N_g P(n | g), so its log-likelihood is `sum_g c_ug log P(n | g) - E_n` (up to a term that does not
depend on n), where E_n is the number of records the package should hold with name n. Units are
then matched to names one to one, the most frequent unit first: the alignment of two frequency
rankings, refined by how each unit spreads over sex and ethnicity.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from seen.attack.knowledge import PublicNames
from seen.attack.view import HubView

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
# P(name | sex, ethnicity) is shrunk towards P(name | sex) and P(name): a cell of the public list
# is a small sample, and an agency records ethnicity differently from a census (families of mixed
# heritage, "not known"), so a name rare in a cell must stay possible there.
CELL_WEIGHT = 0.3
SEX_WEIGHT = 0.6


class NameModel:
    """P(name | each record's cell) for one name field, from the public list."""

    def __init__(self, public: PublicNames, field: str, view: HubView) -> None:
        counts = public.counts(field)
        totals = public.totals(field)
        self.names: list[str] = [name for name, _ in totals.most_common()]
        index = {name: i for i, name in enumerate(self.names)}
        overall = np.array([totals[n] for n in self.names], dtype=np.float64)
        overall /= overall.sum()
        by_sex = {
            sex: _normalised(
                [
                    sum(names.get(n, 0) for (cs, _), names in counts.items() if cs == sex)
                    for n in self.names
                ]
            )
            for sex in ("M", "F")
        }
        cells = sorted(set(zip(view.sex.tolist(), view.ethnicity.tolist(), strict=True)))
        cell_index = {cell: i for i, cell in enumerate(cells)}
        self.record_cell: Ints = np.array(
            [cell_index[c] for c in zip(view.sex.tolist(), view.ethnicity.tolist(), strict=True)],
            dtype=np.int64,
        )
        probabilities = np.empty((len(cells), len(self.names)), dtype=np.float64)
        for i, (sex, ethnicity) in enumerate(cells):
            row = np.zeros(len(self.names), dtype=np.float64)
            for (cell_sex, cell_ethnicity), names in counts.items():
                if sex in ("M", "F") and cell_sex != sex:
                    continue
                if ethnicity and cell_ethnicity != ethnicity:
                    continue
                for name, count in names.items():
                    row[index[name]] += count
            marginal = by_sex.get(sex, overall)
            probabilities[i] = (
                CELL_WEIGHT * _normalised(row)
                + SEX_WEIGHT * marginal
                + (1 - CELL_WEIGHT - SEX_WEIGHT) * overall
            )
        self.probabilities: Floats = probabilities
        self.log_p: Floats = np.log(probabilities)
        self.bigram_sets: list[frozenset[str]] = [frozenset(padded_bigrams(n)) for n in self.names]
        # Distinct bigrams of each name: what fills its Bloom filter (a repeat sets no new bit).
        self.bigram_counts: Ints = np.array([len(b) for b in self.bigram_sets], dtype=np.int64)

    def unit_log_likelihood(self, units: Ints, n_units: int, rows: Ints | None = None) -> Floats:
        """units x names log-likelihoods; `units[i]` is the unit of record i (of `rows[i]` when
        rows are given: the records of one salt group), or -1 for none."""
        used = units >= 0
        cells = self.record_cell[used] if rows is None else self.record_cell[rows[used]]
        profile = np.zeros((n_units, len(self.probabilities)), dtype=np.float64)
        np.add.at(profile, (units[used], cells), 1.0)
        expected = np.bincount(cells, minlength=len(self.probabilities)) @ self.probabilities
        result: Floats = profile @ self.log_p - expected[np.newaxis, :]
        return result


def padded_bigrams(value: str) -> list[str]:
    """The padded bigrams of docs/encoding.md (public: the encoding is published)."""
    padded = f"_{value}_"
    return [padded[i : i + 2] for i in range(len(padded) - 1)]


def assign_one_to_one(scores: Floats, sizes: Sequence[int] | Ints) -> Ints:
    """Greedy one-to-one matching: units in decreasing size each take their best free name."""
    n_units, n_names = scores.shape
    result = np.full(n_units, -1, dtype=np.int64)
    free = np.ones(n_names, dtype=np.bool_)
    order = np.argsort(-np.asarray(sizes, dtype=np.int64), kind="stable")
    for unit in order:
        if not free.any():
            break
        row = np.where(free, scores[unit], -np.inf)
        best = int(np.argmax(row))
        result[unit] = best
        free[best] = False
    return result


def units_of(values: npt.NDArray[np.object_], rows: npt.NDArray[np.bool_] | None = None) -> Ints:
    """A unit number per record for equal values (-1 where the value is None or not in rows)."""
    found: dict[object, int] = {}
    units = np.full(len(values), -1, dtype=np.int64)
    for r, value in enumerate(values.tolist()):
        if value is None or (rows is not None and not rows[r]):
            continue
        units[r] = found.setdefault(value, len(found))
    return units


def rows_by_unit(units: Ints) -> list[Ints]:
    """The records of each unit 0, 1, ... (records with unit -1 left out), each in order."""
    used = np.flatnonzero(units >= 0)
    order = used[np.argsort(units[used], kind="stable")]
    n_units = int(units.max()) + 1 if used.size else 0
    bounds = np.searchsorted(units[order], np.arange(n_units + 1))
    return [order[bounds[u] : bounds[u + 1]] for u in range(n_units)]


def _normalised(values: list[int] | Floats) -> Floats:
    found = np.asarray(values, dtype=np.float64)
    total = found.sum()
    return found / total if total else np.full(len(found), 1.0 / max(len(found), 1))
