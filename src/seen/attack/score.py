"""How an attack's guesses are scored against the truth: the evaluator's side, not the attacker's
(it reads the agency's own records).

A record is **re-identified** when the attack's given name and family name for it are both
right, and, where the attack also claims a date of birth, that is right too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from seen.attack.guesses import Guesses
from seen.attack.knowledge import PublicNames
from seen.attack.view import HubView, missing
from seen.domain.records import AgencyRecord
from seen.encode.normalise import normalise_identity

Objects = npt.NDArray[np.object_]


@dataclass(frozen=True)
class Truth:
    """The normalised identity behind each record: given (canonical), family, date of birth."""

    given: Objects
    family: Objects
    dob: Objects

    @classmethod
    def from_records(cls, view: HubView, records: Iterable[AgencyRecord]) -> Truth:
        """The truth for a view of one package (record ids are unique within a package)."""
        return cls.for_ids(view.record_ids.tolist(), records)

    @classmethod
    def for_ids(cls, record_ids: Sequence[str], records: Iterable[AgencyRecord]) -> Truth:
        """The truth for these records of one package, in this order."""
        by_id: Mapping[str, AgencyRecord] = {r.record_id: r for r in records}
        rows = [normalise_identity(by_id[rid].identity) for rid in record_ids]
        return cls(
            np.array([n.given for n in rows], dtype=object),
            np.array([n.family for n in rows], dtype=object),
            np.array([n.date_of_birth for n in rows], dtype=object),
        )

    @classmethod
    def concatenate(cls, truths: Sequence[Truth]) -> Truth:
        """The truth for a view of several packages, given each package's in the view's order."""
        return cls(
            np.concatenate([t.given for t in truths]),
            np.concatenate([t.family for t in truths]),
            np.concatenate([t.dob for t in truths]),
        )


@dataclass(frozen=True)
class Score:
    """Rates over every record of the view (a record with no guess counts as not found)."""

    records: int
    reidentified: float  # given and family right (and the date of birth, where claimed)
    given: float  # top-1 accuracy of the given-name guess
    family: float
    dob: float  # exact date of birth right
    reidentified_with_dob: float  # given, family and exact date of birth all right

    @property
    def reidentified_count(self) -> int:
        return round(self.reidentified * self.records)


def score(guesses: Guesses, truth: Truth) -> Score:
    def right(guess: Objects, true: Objects) -> npt.NDArray[np.bool_]:
        known = ~missing(true) & ~missing(guess)
        same: npt.NDArray[np.bool_] = guess == true
        return known & same

    given = right(guesses.given, truth.given)
    family = right(guesses.family, truth.family)
    dob = right(guesses.dob, truth.dob)
    claimed_dob = ~missing(guesses.dob)
    names = given & family
    reidentified = names & (dob | ~claimed_dob)
    n = max(len(truth.given), 1)
    return Score(
        records=len(truth.given),
        reidentified=float(reidentified.sum()) / n,
        given=float(given.sum()) / n,
        family=float(family.sum()) / n,
        dob=float(dob.sum()) / n,
        reidentified_with_dob=float((names & dob).sum()) / n,
    )


def baseline(view: HubView, public: PublicNames) -> Guesses:
    """No package at all: the most common given name for the record's sex, the most common
    family name. An attack's lift over this is the honest measure of what the package leaks."""
    given = {sex: public.most_common("given", sex) for sex in ("M", "F", "U")}
    family = public.most_common("family")
    return Guesses(
        np.array([given.get(s, given["U"]) for s in view.sex.tolist()], dtype=object),
        np.full(view.size, family, dtype=object),
        np.full(view.size, None, dtype=object),
    )
