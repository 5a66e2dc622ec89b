"""The synthetic partnership's hidden truth about each need, for evaluation only.

Only `seen.identify.evaluate` imports this module: no indicator, label or model reads it
(a test poisons these columns and checks that models and scores do not change). It reads
the few columns evaluation needs from `truth/people.csv` (never a name, date of birth or
identifier) and `truth/records.csv` to say which child each of Seen's linked people mostly
is.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from seen.identify.history import NO_END, History
from seen.identify.labels import Need

_COLUMNS = {
    Need.YOUNG_CARER: ("young_carer", "young_carer_onset", "young_carer_light_date"),
    Need.EXPLOITATION: ("exploitation_risk", "exploitation_onset", "exploitation_light_date"),
}


@dataclass(frozen=True)
class NeedTruth:
    """Per child of the truth (index 0..m-1): has the need, its onset and the day it first
    came to light through established channels (NO_END: not in the window)."""

    has_need: NDArray[np.bool_]
    onset: NDArray[np.int64]
    light: NDArray[np.int64]


@dataclass(frozen=True)
class Truth:
    children: int
    needs: dict[Need, NeedTruth]
    child_of: NDArray[np.int64]  # per linked person: their main truth child (-1 none)
    ethnicity: NDArray[np.str_]  # per truth child, for equity reporting later
    decile: NDArray[np.int64]


def _day(text: str) -> int:
    return dt.date.fromisoformat(text).toordinal() if text else NO_END


def read_truth(root: Path, history: History, person_of: Mapping[tuple[str, str], str]) -> Truth:
    with (root / "truth" / "people.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    index = {row["person_id"]: i for i, row in enumerate(rows)}
    needs = {}
    for need, (flag, onset, light) in _COLUMNS.items():
        has = np.array([r[flag] not in ("", "0", "none") for r in rows], dtype=bool)
        needs[need] = NeedTruth(
            has,
            np.array([_day(r[onset]) if h else NO_END for r, h in zip(rows, has, strict=True)]),
            np.array([_day(r[light]) if h else NO_END for r, h in zip(rows, has, strict=True)]),
        )
    votes: dict[str, Counter[int]] = {}
    with (root / "truth" / "records.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            pid = person_of.get((row["agency"], row["record_id"]))
            if pid is not None and row["person_id"] in index:
                votes.setdefault(pid, Counter())[index[row["person_id"]]] += 1
    child_of = np.array(
        [votes[p].most_common(1)[0][0] if p in votes else -1 for p in history.person_ids],
        dtype=np.int64,
    )
    return Truth(
        len(rows),
        needs,
        child_of,
        np.array([r["ethnicity"] for r in rows], dtype=np.str_),
        np.array([int(r["deprivation_decile"] or 0) for r in rows], dtype=np.int64),
    )
