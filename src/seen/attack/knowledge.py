"""The attacker's public knowledge: how common each given and family name is.

The strongest realistic attacker knows the true name distribution of the population, broken
down by the demographics the hub holds in the clear (sex and ethnicity), so that is what
`PublicNames` carries. Names are normalised with the published rules of docs/encoding.md
(folding, canonical first given name), which anyone can apply: they are not secret.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from seen.encode.normalise import canonical_given, fold_name, normalise_sex

# A demographic cell: (sex "M"/"F"/"U", ethnicity code or "").
Cell = tuple[str, str]


@dataclass(frozen=True)
class PublicNames:
    """Name counts per demographic cell: the attacker's name-frequency list."""

    given: Mapping[Cell, Mapping[str, int]]
    family: Mapping[Cell, Mapping[str, int]]

    @classmethod
    def from_people(cls, people: Iterable[tuple[str, str, str, str]]) -> PublicNames:
        """From (given name, family name, sex, ethnicity) of each person, as written."""
        given: dict[Cell, Counter[str]] = {}
        family: dict[Cell, Counter[str]] = {}
        for raw_given, raw_family, raw_sex, ethnicity in people:
            cell = (normalise_sex(raw_sex) or "U", ethnicity or "")
            name = canonical_given(raw_given, normalise_sex(raw_sex))
            if name:
                given.setdefault(cell, Counter())[name] += 1
            folded = fold_name(raw_family)
            if folded:
                family.setdefault(cell, Counter())[folded] += 1
        return cls(given, family)

    @classmethod
    def from_synthetic_truth(cls, people_csv: Path) -> PublicNames:
        """From a synthetic partnership's `truth/people.csv` (the whole population)."""
        with Path(people_csv).open(encoding="utf-8", newline="") as handle:
            rows = [
                (r["given_name"], r["family_name"], r["sex"], r["ethnicity"])
                for r in csv.DictReader(handle)
            ]
        return cls.from_people(rows)

    def counts(self, field: str) -> Mapping[Cell, Mapping[str, int]]:
        if field == "given":
            return self.given
        if field == "family":
            return self.family
        raise ValueError(f"unknown name field {field!r}; expected 'given' or 'family'")

    def totals(self, field: str) -> Counter[str]:
        """Counts of each name over every cell."""
        total: Counter[str] = Counter()
        for names in self.counts(field).values():
            total.update(names)
        return total

    def most_common(self, field: str, sex: str | None = None) -> str:
        """The most common name (of one sex, if given): what a guess without a package gets."""
        total: Counter[str] = Counter()
        for (cell_sex, _), names in self.counts(field).items():
            if sex in (None, "U") or cell_sex == sex:
                total.update(names)
        return total.most_common(1)[0][0]
