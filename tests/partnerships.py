"""A small synthetic partnership, each agency's extract encoded into a package: what the
hub-side tests (linking, review, Spark) start from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from seen.domain.records import Identity
from seen.encode import PartnershipKey, write_package
from seen.formats import DeprivationLookup, read_extract
from seen.synth import SynthConfig, generate

CREATED = dt.datetime(2026, 3, 31, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Partnership:
    packages: list[Path]
    identities: dict[tuple[str, str], Identity]  # the agencies' plaintext, never the hub's


def encoded_partnership(
    root: Path, key: PartnershipKey, *, children: int, seed: int
) -> Partnership:
    """Synthesise `children` under `root` and encode each agency's extract into
    `root/<agency>.seenpkg`, in agency order."""
    generate(SynthConfig(children=children, seed=seed), root)
    lookup = DeprivationLookup.from_csv(root / "reference" / "postcode_deprivation.csv")
    packages, identities = [], {}
    for folder in sorted((root / "agencies").iterdir()):
        extract = read_extract([folder], lookup)
        assert extract.agency_kind is not None
        path = root / f"{folder.name}.seenpkg"
        write_package(
            path,
            agency=folder.name,
            agency_kind=extract.agency_kind,
            records=extract.records,
            key=key,
            created=CREATED,
        )
        packages.append(path)
        identities.update({(folder.name, ref): r.identity for ref, r in extract.records.items()})
    return Partnership(packages, identities)
