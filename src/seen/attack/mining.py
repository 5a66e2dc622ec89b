"""Mining Bloom filters for the bit positions of each bigram, without the key (the first half of
the pattern-mining attack in `seen.attack.patterns`).

1. **Undo the balancing.** A balanced filter is a base filter followed by its complement, in a
   permuted order that is the same for every filter of the partnership. Across many filters, the
   stored positions of a base bit and of its complement are exact opposites, so the pairs can be
   found, and the member of each pair set less often is the base bit. (A column with no such
   partner is kept as it is: the attack works on unbalanced filters too.)
2. **Mine bigram itemsets** in each salt group (a year of birth in seen-encoding-1; a year and
   the other name in seen-encoding-2, in effect a family, mostly far too small to mine): every
   filter of a name holding bigram b has all of b's k positions set, so the records whose
   filters set all of a set of positions S are those with b when S is b's positions. Starting
   from the position with the most records not yet explained by an itemset found so far, add
   the position set in most of the current records (narrowing them to one bigram's), then
   every position set in all of them, up to k. An itemset is kept only when so many distinct
   filters hold it that k positions could not be shared by chance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from seen.attack.matching import Floats, Ints
from seen.attack.view import Bits, HubView
from seen.encode.schema import BLOOM_COLUMNS

# An itemset with fewer positions than this is not taken for a bigram (k = 15 positions, a few
# of which may coincide).
MIN_POSITIONS = 12
BLOOM_K = 15  # positions per bigram in the filters of seen-encoding-1 and -2 (published)
MAX_ITEMSETS = 800  # per salt group: far more than the bigrams of any name list
MIN_SUPPORT = 3.0  # records an itemset must hold to be taken for a bigram
CHANCE = 0.05  # expected positions all its filters share by chance, at most


@dataclass(frozen=True)
class Group:
    """One salt group of one column: its distinct filters and the records behind them."""

    rows: Ints  # record numbers
    distinct: Bits  # distinct filters x base positions
    weight: Floats  # records per distinct filter
    filter_of_row: Ints  # index into `distinct` for each of `rows`
    itemsets: list[tuple[Ints, Bits]]  # (positions, which distinct filters hold them all)


def base_bits(view: HubView) -> dict[str, tuple[Bits, npt.NDArray[np.bool_]]]:
    """Each Bloom filter column as base-filter bits, balancing undone where it can be."""
    columns = {name: view.filters(name) for name in BLOOM_COLUMNS}
    stacked = np.concatenate([bits[present] for bits, present in columns.values()])
    keep = _base_positions(stacked)
    return {name: (bits[:, keep], present) for name, (bits, present) in columns.items()}


def _base_positions(stacked: Bits) -> Ints:
    """Stored positions that carry a base bit: one of each complementary pair (the one set less
    often), or every informative position when the filters are not balanced."""
    if not len(stacked):
        return np.arange(stacked.shape[1], dtype=np.int64)
    share = stacked.mean(axis=0)
    informative = (share > 0) & (share < 1)
    packed = np.packbits(stacked.T, axis=1)
    flipped = np.packbits(~stacked.T, axis=1)
    where = {packed[j].tobytes(): j for j in np.flatnonzero(informative).tolist()}
    keep: list[int] = []
    for j in np.flatnonzero(informative).tolist():
        partner = where.get(flipped[j].tobytes())
        if partner is None:
            keep.append(j)
            continue
        if share[j] < share[partner] or (share[j] == share[partner] and j < partner):
            keep.append(j)
    return np.array(sorted(keep), dtype=np.int64)


def mine_group(rows: Ints, bits: Bits) -> Group:
    distinct, filter_of_row = _distinct(bits[rows])
    w = np.bincount(filter_of_row, minlength=len(distinct)).astype(np.float64)
    itemsets = _mine(distinct, w, min_support=max(MIN_SUPPORT, 0.002 * float(w.sum())))
    return Group(rows, distinct, w, filter_of_row, itemsets)


def _distinct(bits: Bits) -> tuple[Bits, Ints]:
    """The distinct rows in sorted order and each row's index among them: `np.unique(bits,
    axis=0, return_inverse=True)`, much faster for wide rows."""
    packed = np.packbits(bits, axis=1)
    keys = [row.tobytes() for row in packed]
    ordered = sorted(set(keys))
    index = {key: i for i, key in enumerate(ordered)}
    inverse = np.array([index[key] for key in keys], dtype=np.int64)
    width = packed.shape[1] if len(packed) else 0
    table = np.frombuffer(b"".join(ordered), dtype=np.uint8).reshape(len(ordered), width)
    distinct = np.unpackbits(table, axis=1)[:, : bits.shape[1]].astype(np.bool_)
    return distinct, inverse


def _mine(distinct: Bits, weight: Floats, min_support: float) -> list[tuple[Ints, Bits]]:
    """Bigram itemsets: (positions, which filters hold them all), most supported first."""
    n, m = distinct.shape
    as_float = distinct.astype(np.float64)
    explained = np.zeros((n, m), dtype=np.bool_)
    itemsets: list[tuple[Ints, Bits]] = []
    support = weight @ as_float
    # An itemset is taken only if its filters are too many to share a position by chance:
    # m * prod(share of bits set) < CHANCE.
    log_density = np.log(np.maximum(as_float.mean(axis=1), 1e-9))
    log_chance = float(np.log(CHANCE / m))
    if log_density.sum() > log_chance:
        return itemsets  # too few filters for any positions they share to be more than chance
    unexplained = support.copy()  # per position: records with it set, not yet explained
    # A position whose filters are too few to be credible even all together can seed no
    # itemset: leave it out from the start (in a small salt group, most positions).
    unexplained[log_density @ as_float > log_chance] = 0.0
    for _ in range(MAX_ITEMSETS):
        seed = int(np.argmax(unexplained))
        if unexplained[seed] < min_support:
            break
        current = distinct[:, seed] & ~explained[:, seed]
        chosen = [seed]
        holding = distinct[:, seed].copy()  # filters with every chosen position set
        while len(chosen) < BLOOM_K:
            in_current = weight * current
            total = float(in_current.sum())
            cover = in_current @ as_float
            # Prefer a position set in every current record; among those, and otherwise, the
            # one whose records best match the current ones: a position of the bigram they
            # share rather than of a commoner bigram that also covers them.
            fit = cover / np.maximum(total + support - cover, 1e-9)
            fit[chosen] = -1.0
            full = cover >= total - 1e-9
            full[chosen] = False
            if full.any():
                best = int(np.argmax(np.where(full, fit, -1.0)))
                chosen.append(best)
                holding &= distinct[:, best]
                continue
            best = int(np.argmax(fit))
            if cover[best] < min_support or len(chosen) >= MIN_POSITIONS:
                break
            current &= distinct[:, best]
            holding &= distinct[:, best]
            chosen.append(best)
            if log_density[holding].sum() > log_chance:
                break  # too few filters left for an itemset to be credible
        positions = np.array(sorted(chosen), dtype=np.int64)
        holders = np.asarray(distinct[:, positions].all(axis=1), dtype=np.bool_)
        if len(chosen) < MIN_POSITIONS or log_density[holders].sum() > log_chance:
            # No bigram's worth of positions shares these records, or so few filters hold
            # them that as many positions would be shared by chance: seed elsewhere.
            unexplained[seed] = 0.0
            continue
        newly = np.zeros((n, m), dtype=np.bool_)
        newly[np.ix_(holders, positions)] = True
        newly[current, seed] = True
        newly &= ~explained
        unexplained -= weight @ newly
        explained |= newly
        itemsets.append((positions, holders))
    itemsets.sort(key=lambda item: -float(weight[item[1]].sum()))
    return itemsets
