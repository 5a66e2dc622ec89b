"""What the synth tests share: sizes, and a generated partnership with cached file readers."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from seen.synth import SynthSummary

SMALL = 300
MODERATE = 20_000

MODERATE = 20_000


@dataclass
class Built:
    """A generated partnership and lazy, cached readers for its files."""

    root: Path
    summary: SynthSummary

    def rows(self, relative: str) -> list[dict[str, str]]:
        return _rows(self.root / relative)

    @cached_property
    def people(self) -> dict[str, dict[str, str]]:
        return {p["person_id"]: p for p in self.rows("truth/people.csv")}

    @cached_property
    def record_person(self) -> dict[tuple[str, str], str]:
        """(file name, record id) -> person_id, from truth/records.csv."""
        return {(r["file"], r["record_id"]): r["person_id"] for r in self.rows("truth/records.csv")}

    def person_of(self, file: str, record_id: str) -> dict[str, str]:
        return self.people[self.record_person[(file, record_id)]]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


Build = Callable[..., Built]
