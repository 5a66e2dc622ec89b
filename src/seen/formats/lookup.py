"""Postcode sector to deprivation decile, read from `reference/postcode_deprivation.csv`.

A postcode sector is the outward code and the first digit of the inward code: `ZX3 7AB` is in
sector `ZX3 7`. The hub keeps the decile, never the postcode.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from seen.domain.records import Problem
from seen.errors import InvalidInput
from seen.formats.csvfile import first_look, iter_rows, text_problem
from seen.formats.problems import ProblemSink, quote
from seen.formats.validate import normalise_postcode

COLUMNS = ("PostcodeSector", "Area", "DeprivationDecile")
_SECTOR = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]? [0-9]")


def postcode_sector(postcode: str) -> str | None:
    """`ZX3 7AB` (or `zx37ab`) as `ZX3 7`; a sector given as such is returned tidied."""
    full = normalise_postcode(postcode)
    if full is not None:
        return full[:-2]
    sector = " ".join(postcode.upper().split())
    return sector if _SECTOR.fullmatch(sector) else None


class DeprivationLookup:
    def __init__(self, deciles: Mapping[str, int]) -> None:
        tidy: dict[str, int] = {}
        for sector, decile in deciles.items():
            key = postcode_sector(sector)
            if key is None:
                raise ValueError(f"{sector!r} is not a postcode sector (e.g. ZX3 7)")
            if not 1 <= decile <= 10:
                raise ValueError(f"decile {decile} for {sector!r} is not between 1 and 10")
            tidy[key] = decile
        self._deciles = MappingProxyType(tidy)

    @classmethod
    def from_csv(cls, path: Path) -> DeprivationLookup:
        """Read the reference file; InvalidInput lists every problem in it."""
        path = Path(path)
        if not path.is_file():
            raise InvalidInput(f"the deprivation lookup {path} does not exist or is not a file")
        name = str(path)
        sink = ProblemSink()
        look = first_look(path)
        if look.kind != "csv":
            problem = look.problem or "this is an XML file, not a CSV"
            raise InvalidInput(problem, [Problem(name, "file", "", problem)])
        index = {column.casefold(): i for i, column in enumerate(look.header)}
        missing = [column for column in COLUMNS if column.casefold() not in index]
        if missing:
            message = (
                f"the deprivation lookup needs the columns {', '.join(COLUMNS)}; missing: "
                f"{', '.join(missing)}"
            )
            raise InvalidInput(message, [Problem(name, "row 1", missing[0], message)])
        sector_at, decile_at = index["postcodesector"], index["deprivationdecile"]
        deciles: dict[str, int] = {}
        for number, values in iter_rows(path):
            where = f"row {number}"
            if isinstance(values, str):
                sink.add(Problem(name, where, "", values))
                continue
            if not any(value.strip() for value in values):
                continue
            bad = text_problem(values, look.header, number)
            if bad is not None:
                sink.add(Problem(name, where, bad[0], bad[1]))
                continue
            raw_sector = values[sector_at] if sector_at < len(values) else ""
            raw_decile = values[decile_at].strip() if decile_at < len(values) else ""
            sector = postcode_sector(raw_sector)
            if sector is None:
                sink.add(
                    Problem(
                        name,
                        where,
                        "PostcodeSector",
                        f"PostcodeSector {quote(raw_sector)} is not a postcode sector (e.g. ZX3 7)",
                    )
                )
            if not (raw_decile.isascii() and raw_decile.isdigit() and 1 <= int(raw_decile) <= 10):
                sink.add(
                    Problem(
                        name,
                        where,
                        "DeprivationDecile",
                        f"DeprivationDecile {quote(raw_decile)} is not a whole number from 1 to 10",
                    )
                )
            elif sector is not None:
                deciles[sector] = int(raw_decile)
        if len(sink):
            raise InvalidInput(
                f"the deprivation lookup {path.name} has {len(sink):,} problems", sink.kept
            )
        return cls(deciles)

    def decile(self, postcode: str) -> int | None:
        """The decile of the postcode's sector (1 most deprived), or None if not known."""
        sector = postcode_sector(postcode)
        return None if sector is None else self._deciles.get(sector)

    def __len__(self) -> int:
        return len(self._deciles)
