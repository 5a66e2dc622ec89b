"""A synthetic experiment: one agency's extract (or every agency's), encoded as Seen does or as
another variant, the attacker's public name list, and the truth to score against.

The public list comes by default from a *separate* synthetic population drawn from the same
name distributions (another seed): the attacker knows how common each name is, by sex and
ethnicity, but not the partnership's own counts. `public="partnership"` gives the attacker the
partnership's exact counts instead, the worst case (the counts of the very children encoded).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pyarrow as pa

from seen.attack.control import SEEN, Variant, encode_variant
from seen.attack.knowledge import PublicNames
from seen.attack.score import Truth
from seen.attack.view import HubView
from seen.domain.records import AgencyRecord
from seen.encode import PartnershipKey
from seen.formats import read_extract
from seen.synth import SynthConfig, generate

# The seed of the population the public name list is drawn from is this far from the
# partnership's, so the two never coincide.
PUBLIC_SEED_OFFSET = 1_000_003


@dataclass(frozen=True)
class Scenario:
    """Everything an experiment needs; only `public` and the views go to the attacker."""

    records: list[AgencyRecord] = field(repr=False)  # the agency's extract: not for attacks
    public: PublicNames = field(repr=False)
    key: PartnershipKey  # the agency's key: never shown to an attack (its repr is a fingerprint)
    root: Path | None = field(default=None, repr=False)  # the synthetic partnership
    _extracts: dict[str, list[AgencyRecord]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def view(self, variant: Variant = SEEN) -> HubView:
        """The package's records table as the hub holds it, encoded as `variant` says."""
        return HubView([encode_variant(self.records, self.key, variant)])

    def truth(self, view: HubView) -> Truth:
        return Truth.from_records(view, self.records)

    def agencies(self) -> list[str]:
        """Every agency of the partnership."""
        if self.root is None:
            raise ValueError("this scenario has no partnership to read other agencies from")
        return sorted(p.name for p in (self.root / "agencies").iterdir() if p.is_dir())

    def hub(self, variant: Variant = SEEN) -> tuple[HubView, Truth]:
        """Every agency's package, as the hub holds them all, and the truth in the view's order
        (record ids are unique within a package only)."""
        tables: list[pa.Table] = []
        truths: list[Truth] = []
        for agency in self.agencies():
            records = self._agency_records(agency)
            table = encode_variant(records, self.key, variant)
            tables.append(table)
            truths.append(Truth.for_ids(table.column("record_id").to_pylist(), records))
        return HubView(tables), Truth.concatenate(truths)

    def _agency_records(self, agency: str) -> list[AgencyRecord]:
        if agency not in self._extracts:
            assert self.root is not None
            extract = read_extract([self.root / "agencies" / agency])
            self._extracts[agency] = list(extract.records.values())
        return self._extracts[agency]


def synthetic_scenario(
    workdir: Path,
    *,
    children: int,
    seed: int,
    agency: str = "northshire-schools",
    public: Literal["population", "partnership"] = "population",
    public_children: int = 20_000,
) -> Scenario:
    """Generate a synthetic partnership (and, by default, a separate population for the public
    name list) under `workdir`, and read one agency's extract."""
    root = Path(workdir) / f"partnership-{children}-{seed}"
    if not (root / "truth" / "people.csv").is_file():
        generate(SynthConfig(children=children, seed=seed), root)
    extract = read_extract([root / "agencies" / agency])
    if public == "partnership":
        names = PublicNames.from_synthetic_truth(root / "truth" / "people.csv")
    else:
        public_seed = seed + PUBLIC_SEED_OFFSET
        population = Path(workdir) / f"population-{public_children}-{public_seed}"
        if not (population / "truth" / "people.csv").is_file():
            generate(SynthConfig(children=public_children, seed=public_seed), population)
        names = PublicNames.from_synthetic_truth(population / "truth" / "people.csv")
    # A fixed key per seed keeps runs repeatable; it never leaves this object.
    key = PartnershipKey(hashlib.sha256(f"seen-attack-{seed}".encode()).digest())
    records = list(extract.records.values())
    return Scenario(records, names, key, root, {agency: records})
