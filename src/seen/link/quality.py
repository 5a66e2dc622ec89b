"""Linkage quality against a known truth: pairwise precision, recall and F1.

Two records are a predicted pair when linkage puts them in one person, a true pair when the
truth does. Counting by group sizes avoids listing pairs: a group of n holds n(n-1)/2 pairs.
Only records present in both the prediction and the truth count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

RecordKey = tuple[str, str]  # (source, record_id)


@dataclass(frozen=True, slots=True)
class Quality:
    records: int
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def pairwise_quality(
    predicted: Iterable[tuple[RecordKey, str]], truth: Mapping[RecordKey, str]
) -> Quality:
    """`predicted`: (record, person id) pairs; `truth`: record -> true person id."""
    pred: Counter[str] = Counter()
    true: Counter[str] = Counter()
    both: Counter[tuple[str, str]] = Counter()
    records = 0
    for key, person in predicted:
        actual = truth.get(key)
        if actual is None:
            continue
        records += 1
        pred[person] += 1
        true[actual] += 1
        both[(person, actual)] += 1
    return Quality(records, _pairs(true), _pairs(pred), _pairs(both))


def _pairs(groups: Counter[str] | Counter[tuple[str, str]]) -> int:
    return sum(n * (n - 1) // 2 for n in groups.values())
