"""A synthetic experiment: one agency's extract, encoded (as Seen does, or as a weakened
variant), the attacker's public name list, and the truth to score against.

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

    def view(self, variant: Variant = SEEN) -> HubView:
        """The package's records table as the hub holds it, encoded as `variant` says."""
        return HubView([encode_variant(self.records, self.key, variant)])

    def truth(self, view: HubView) -> Truth:
        return Truth.from_records(view, self.records)


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
    return Scenario(list(extract.records.values()), names, key)
