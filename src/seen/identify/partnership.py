"""A synthetic partnership as the hub would see it, for evaluation: each agency's extract
read and validated (`seen.formats`), encoded with a throwaway partnership key
(`seen.encode`), and linked into people (`seen.link`). Nothing here opens `truth/`: the
people are Seen's own linkage, errors included, exactly as `seen identify run` would find
them in the store after `seen ingest` and `seen link`.

The key is made, used and dropped in memory; no encoding or identity is written anywhere.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seen.domain.agencies import AgencyKind
from seen.domain.records import AgencyRecord
from seen.errors import InvalidInput
from seen.identify.history import History, history_from_records

if TYPE_CHECKING:
    from seen.encode import PartnershipKey

Progress = Callable[[str, int, int], None]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkedPartnership:
    history: History
    person_of: dict[tuple[str, str], str]  # (agency folder, record id) -> person id
    reference_date: dt.date
    records: int


def reference_date(root: Path) -> dt.date:
    """The date the partnership's extracts were taken (from its manifest)."""
    try:
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        return dt.date.fromisoformat(manifest["reference_date"])
    except (OSError, ValueError, KeyError) as error:
        raise InvalidInput(
            f"{root} is not a synthetic partnership (seen synth --out): no readable "
            "manifest.json with a reference_date"
        ) from error


def partnership_settings(root: Path) -> dict[str, Any]:
    """What the partnership's manifest says about how it was generated (size, seed, date,
    the generator's whole config): for the evaluation report, never a person's data."""
    try:
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        return {
            "children": int(manifest["children"]),
            "seed": int(manifest["seed"]),
            "reference_date": str(manifest["reference_date"]),
            "generator_version": str(manifest.get("generator_version", "")),
            "config": dict(manifest.get("config", {})),
        }
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InvalidInput(
            f"{root}/manifest.json does not describe a synthetic partnership (children, seed, "
            "reference_date)"
        ) from error


def load_partnership(
    root: Path, progress: Progress | None = None, *, key: PartnershipKey | None = None
) -> LinkedPartnership:
    """Read, encode and link every agency under `root/agencies`, with `key` (a new random
    one by default: only tests pass one, to link the same way twice)."""
    from seen.encode import PartnershipKey, encode_records
    from seen.formats import DeprivationLookup, read_extract
    from seen.link import Source, link

    today = reference_date(root)
    lookup = DeprivationLookup.from_csv(root / "reference" / "postcode_deprivation.csv")
    key = key or PartnershipKey.generate()
    folders = sorted(p for p in (root / "agencies").iterdir() if p.is_dir())
    agencies: list[tuple[str, AgencyKind, dict[str, AgencyRecord]]] = []
    sources = []
    for n, folder in enumerate(folders):
        if progress:
            progress("read and encode", n, len(folders))
        extract = read_extract([folder], lookup, today=today)
        if extract.agency_kind is None:
            raise InvalidInput(f"{folder.name}: no agency extract recognised")
        records = dict(sorted(extract.records.items()))
        agencies.append((folder.name, extract.agency_kind, records))
        sources.append(Source(folder.name, encode_records(list(records.values()), key, workers=1)))
        log.info("%s: %d records read and encoded", folder.name, len(records))
    del key
    if progress:
        progress("link", 0, 1)
    people = link(sources).people
    person_of = {
        (s, r): p
        for s, r, p in zip(
            people.column("source").to_pylist(),
            people.column("record_id").to_pylist(),
            people.column("person_id").to_pylist(),
            strict=True,
        )
    }
    if progress:
        progress("history", 0, 1)
    history = history_from_records(agencies, person_of)
    return LinkedPartnership(history, person_of, today, len(person_of))
