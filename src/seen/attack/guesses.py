"""What an attack claims about each record: a given name, a family name and a date of birth,
each possibly None (no claim)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from seen.attack.view import missing

Objects = npt.NDArray[np.object_]


@dataclass(frozen=True)
class Guesses:
    """One guess (or None) per record of a view, in the view's row order."""

    given: Objects
    family: Objects
    dob: Objects

    @classmethod
    def empty(cls, size: int) -> Guesses:
        return cls(*(np.full(size, None, dtype=object) for _ in range(3)))

    def combine(self, other: Guesses) -> Guesses:
        """This attack's guesses, with the other's where this one has none."""

        def pick(mine: Objects, theirs: Objects) -> Objects:
            return np.where(missing(mine), theirs, mine)

        return Guesses(
            pick(self.given, other.given),
            pick(self.family, other.family),
            pick(self.dob, other.dob),
        )
