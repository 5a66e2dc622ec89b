"""A pattern-mining attack on the Bloom filters, in the style of Christen et al. (2018) and
Vidanage et al. (2019): find which bit positions each bigram sets, without the key, then read
names off the filters.

1. **Undo the balancing** and **mine bigram itemsets** (sets of positions every filter holding
   some bigram sets) within each salt group: `seen.attack.mining`. Filters are comparable only
   within one salt, read off the data (`seen.attack.frequency.filter_salt_groups`): a year of
   birth in seen-encoding-1; in seen-encoding-2 a year and the other name, so that a group is
   the records of one family name born in one year (for `bf_given`) or of one given name (for
   `bf_family`), and only the largest hold enough distinct filters to mine.
2. **Label the itemsets** with bigrams by frequency and conditional co-occurrence, compared
   with the same statistics of the public names: the most clear-cut itemset first, each label
   then a reference point for the next.
3. **Decode and relabel, repeatedly.** Decode each filter as the public name whose bigrams best
   match its labelled itemsets (Dice; a bigram labelled in the group but missing from the
   filter counts against a name); relabel each itemset with the bigram whose decoded records it
   best matches (Jaccard, one to one within a group); repeat until the guesses settle. A record
   none of whose groups yielded an itemset gets no guess.

With `pool_by_token`, every filter of one `tok_given` (or `tok_family`) value is decoded as one
name. In seen-encoding-1 the token, unsalted, ties a name's filters together across the salt
groups: an attacker's best use of the package. In seen-encoding-2 the token is salted by the
year, and it pools the filters of one name born in one year across families, whose salts all
differ.
"""

from __future__ import annotations

import numpy as np

from seen.attack.frequency import NAME_FIELDS, filter_salt_groups
from seen.attack.guesses import Guesses, Objects
from seen.attack.knowledge import PublicNames
from seen.attack.matching import Floats, Ints, NameModel, rows_by_unit, units_of
from seen.attack.mining import Group, base_bits, mine_group
from seen.attack.view import HubView

MIN_JACCARD = 0.2  # relabelling: an itemset matching no bigram's records this well stays bare
PRIOR_WEIGHT = 0.02  # decoding: weight of a name's log-probability (breaks near ties)
ROUNDS = 20  # decode-and-relabel rounds, at most
FREQ_FLOOR = 0.2  # model error of a log frequency
CO_FLOOR = 0.05  # model error of a conditional co-occurrence share
MAX_MEAN_Z2 = 9.0  # an itemset fitting no bigram better than this stays unlabelled
BATCH_DIVISOR = 10  # once some are labelled, label a tenth as many again per step


def pattern_mining_attack(
    view: HubView, public: PublicNames, *, pool_by_token: bool = False
) -> Guesses:
    """Given and family name of each record, decoded from its Bloom filters (None where no
    itemset could be mined from its salt group, or from any group its token pools: no
    claim)."""
    base = base_bits(view)
    found: dict[str, Objects] = {}
    for field, (token, column) in NAME_FIELDS.items():
        bits, present = base[column]
        model = NameModel(public, field, view)
        groups = filter_salt_groups(view, column)
        mined = [mine_group(rows, bits) for rows in rows_by_unit(groups)]
        if pool_by_token:
            units = units_of(view.column(token), present)
        else:
            units = np.full(view.size, -1, dtype=np.int64)
            offset = 0
            for group in mined:
                units[group.rows] = offset + group.filter_of_row
                offset += len(group.distinct)
        found[field] = _decode(view, model, [g for g in mined if g.itemsets], units)
    return Guesses(found["given"], found["family"], np.full(view.size, None, dtype=object))


def _decode(
    view: HubView,
    model: NameModel,
    groups: list[Group],
    all_units: Ints,
) -> Objects:
    """Label the itemsets, then decode units and relabel in turn; the name of each record.
    A unit is what the attacker decodes as one name: a filter of a salt group, or a token.
    Only units with a record in a group that has itemsets (`groups`) are decoded."""
    result = np.full(view.size, None, dtype=object)
    if not groups:
        return result
    touched = np.unique(np.concatenate([all_units[g.rows] for g in groups]))
    touched = touched[touched >= 0]
    local = np.full(int(all_units.max()) + 1, -1, dtype=np.int64)
    local[touched] = np.arange(len(touched))
    units = np.where(all_units >= 0, local[np.maximum(all_units, 0)], -1)
    vocabulary = sorted(set().union(*model.bigram_sets))
    index = {bigram: i for i, bigram in enumerate(vocabulary)}
    name_bigrams = np.zeros((len(model.names), len(vocabulary)), dtype=np.float64)
    for n, grams in enumerate(model.bigram_sets):
        name_bigrams[n, [index[g] for g in grams]] = 1.0
    n_units = len(touched)
    used = units >= 0
    sizes = np.bincount(units[used], minlength=n_units)
    # The prior: the mean log-probability of the name over the unit's records.
    profile = np.zeros((n_units, len(model.probabilities)), dtype=np.float64)
    np.add.at(profile, (units[used], model.record_cell[used]), 1.0)
    prior = (profile @ model.log_p) / np.maximum(sizes, 1)[:, np.newaxis]
    pairs = []
    for g in groups:
        known = units[g.rows] >= 0
        pairs.append(
            np.unique(
                np.stack([units[g.rows][known], g.filter_of_row[known]]),
                axis=1,
                return_counts=True,
            )
        )
    labels = [
        _label_by_cooccurrence(
            g, model.probabilities[model.record_cell[g.rows]].mean(axis=0), name_bigrams
        )
        for g in groups
    ]
    guess = np.full(n_units, -1, dtype=np.int64)
    for _ in range(ROUNDS):
        scores = np.zeros((n_units, len(model.names)), dtype=np.float64)
        for group, label, (pair, counts) in zip(groups, labels, pairs, strict=True):
            similarity = _similarity(group, label, name_bigrams)
            np.add.at(scores, pair[0], similarity[pair[1]] * counts[:, np.newaxis])
        updated = np.argmax(
            scores / np.maximum(sizes, 1)[:, np.newaxis] + PRIOR_WEIGHT * prior, axis=1
        )
        if np.array_equal(updated, guess):
            break
        guess = updated
        labels = [
            _label_by_guesses(g, _record_guess(guess, units[g.rows]), name_bigrams) for g in groups
        ]
    names = np.array([*model.names, None], dtype=object)
    result[used] = names[guess[units[used]]]
    return result


def _record_guess(guess: Ints, units: Ints) -> Ints:
    """Each record's guessed name (-1 where it has no unit)."""
    return np.where(units >= 0, guess[np.maximum(units, 0)], -1)


def _holders(group: Group) -> Floats:
    return np.stack([h for _, h in group.itemsets]).astype(np.float64)  # itemsets x filters


def _label_by_cooccurrence(group: Group, names: Floats, name_bigrams: Floats) -> Ints:
    """Label itemsets with bigrams by how often each occurs and how often it occurs with the
    itemsets labelled so far, against the same statistics of the public names (`names`: the
    expected share of each name in the group). The most clear-cut itemset is labelled first."""
    n_itemsets = len(group.itemsets)
    label = np.full(n_itemsets, -1, dtype=np.int64)
    if not n_itemsets:
        return label
    holders = _holders(group)
    total = float(group.weight.sum())
    joint_obs = (holders * group.weight) @ holders.T / total
    p_obs = np.diag(joint_obs).copy()
    count = p_obs * total
    joint_pub = name_bigrams.T @ (names[:, np.newaxis] * name_bigrams)
    p_pub = np.diag(joint_pub).copy()
    candidates = p_pub > 0
    log_pub = np.log(np.where(candidates, p_pub, 1.0))
    log_obs = np.log(p_obs)
    free_items = np.ones(n_itemsets, dtype=np.bool_)
    free_bigrams = candidates.copy()
    seeds: list[int] = []
    while free_items.any() and free_bigrams.any():
        # z-scores: frequency (log scale) and conditional co-occurrence with each seed.
        var_f = 1.0 / np.maximum(count, 1.0) + FREQ_FLOOR**2
        distance = (log_obs[:, np.newaxis] - log_pub[np.newaxis, :]) ** 2 / var_f[:, np.newaxis]
        features = 1
        if seeds:
            seed_labels = label[seeds]
            obs_a = joint_obs[:, seeds] / p_obs[:, np.newaxis]  # P(seed | itemset)
            pub_a = joint_pub[:, seed_labels] / np.maximum(p_pub, 1e-12)[:, np.newaxis]
            obs_b = joint_obs[:, seeds] / p_obs[seeds][np.newaxis, :]  # P(itemset | seed)
            pub_b = joint_pub[:, seed_labels] / p_pub[seed_labels][np.newaxis, :]
            var_a = 0.25 / np.maximum(count, 1.0)[:, np.newaxis] + CO_FLOOR**2
            var_b = 0.25 / np.maximum(count[seeds], 1.0)[np.newaxis, :] + CO_FLOOR**2
            distance = distance + _squared(obs_a, pub_a, var_a) + _squared(obs_b, pub_b, var_b)
            features += 2 * len(seeds)
        distance = np.where(
            free_items[:, np.newaxis] & free_bigrams[np.newaxis, :], distance, np.inf
        )
        ordered = np.sort(distance, axis=1)
        best = ordered[:, 0] / features
        second = ordered[:, 1] if ordered.shape[1] > 1 else np.full(len(ordered), np.inf)
        fits = np.isfinite(best) & (best < MAX_MEAN_Z2)
        margin = np.where(fits, np.minimum(second, 1e12) - ordered[:, 0], -np.inf)
        # Several at a time for speed: the clearest few, each with its own best bigram.
        batch = 1 + len(seeds) // BATCH_DIVISOR
        taken = 0
        for item in np.argsort(-margin)[:batch].tolist():
            if not np.isfinite(margin[item]):
                break
            bigram = int(np.argmin(np.where(free_bigrams, distance[item], np.inf)))
            if not free_bigrams[bigram] or not np.isfinite(distance[item, bigram]):
                continue
            label[item] = bigram
            free_items[item] = False
            free_bigrams[bigram] = False
            seeds.append(item)
            taken += 1
        if not taken:
            break
    return label


def _squared(obs: Floats, pub: Floats, var: Floats) -> Floats:
    """(itemset, bigram) -> sum over seeds s of (obs[i, s] - pub[b, s])^2 / var, where var is
    per itemset (shape itemsets x 1) or per seed (shape 1 x seeds)."""
    if var.shape[1] == 1:
        inv = 1.0 / var[:, 0]
        cross = obs @ pub.T
        own = (obs**2).sum(axis=1)
        theirs = (pub**2).sum(axis=1)
        result: Floats = inv[:, np.newaxis] * (own[:, np.newaxis] - 2 * cross + theirs)
        return result
    inv = 1.0 / var[0]
    own = (obs**2 * inv).sum(axis=1)
    theirs = (pub**2 * inv).sum(axis=1)
    cross = (obs * inv) @ pub.T
    found: Floats = own[:, np.newaxis] - 2 * cross + theirs[np.newaxis, :]
    return found


def _label_by_guesses(group: Group, record_guess: Ints, name_bigrams: Floats) -> Ints:
    """Label itemsets with the bigram whose guessed records they best match (Jaccard)."""
    if not group.itemsets:
        return np.zeros(0, dtype=np.int64)
    holders = _holders(group)
    # Records per (distinct filter, guessed name), then the bigrams of those names.
    guessed_rows = record_guess >= 0
    pairs, counts = np.unique(
        np.stack([group.filter_of_row[guessed_rows], record_guess[guessed_rows]]),
        axis=1,
        return_counts=True,
    )
    guessed = np.zeros((len(group.distinct), name_bigrams.shape[1]), dtype=np.float64)
    np.add.at(guessed, pairs[0], name_bigrams[pairs[1]] * counts[:, np.newaxis])
    overlap = holders @ guessed  # itemsets x bigrams
    itemset_size = holders @ group.weight
    bigram_size = guessed.sum(axis=0)
    jaccard = overlap / np.maximum(itemset_size[:, np.newaxis] + bigram_size - overlap, 1e-9)
    return _label(jaccard)


def _similarity(group: Group, label: Ints, name_bigrams: Floats) -> Floats:
    """distinct filters x names: Dice of the filter's labelled bigrams and the name's, counting
    only bigrams labelled in this group."""
    n_filters = len(group.distinct)
    has_label = label >= 0
    if not has_label.any():
        return np.zeros((n_filters, len(name_bigrams)), dtype=np.float64)
    # Only the labelled bigrams count, so work on those columns alone.
    known = label[has_label]
    shown = _holders(group)[has_label].T  # filters x labelled bigrams (labels are one to one)
    names = name_bigrams[:, known]
    agree = shown @ names.T
    missing = names.sum(axis=1)[np.newaxis, :] - agree
    extra = shown.sum(axis=1)[:, np.newaxis] - agree
    denominator = 2 * agree + missing + extra
    result: Floats = np.where(denominator > 0, 2 * agree / np.maximum(denominator, 1e-9), 0.0)
    return result


def _label(jaccard: Floats) -> Ints:
    """One bigram per itemset (or -1), one to one, best pairs first."""
    label = np.full(jaccard.shape[0], -1, dtype=np.int64)
    rows, columns = np.nonzero(jaccard >= MIN_JACCARD)
    order = np.argsort(-jaccard[rows, columns], kind="stable")
    taken_rows: set[int] = set()
    taken_columns: set[int] = set()
    for row, column in zip(rows[order].tolist(), columns[order].tolist(), strict=True):
        if row in taken_rows or column in taken_columns:
            continue
        label[row] = column
        taken_rows.add(row)
        taken_columns.add(column)
    return label
