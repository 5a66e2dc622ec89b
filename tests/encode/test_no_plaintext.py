"""No identifier of the input reaches the package: every byte is scanned, the package, its
members, and every value of its tables once decoded (the Parquet members are compressed, so the
decoded values are where a leak would show)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest

from seen.domain.records import AgencyRecord
from seen.encode import PartnershipKey, read_package, write_package
from seen.formats import Extract

MIN_NAME = 4


def identifiers(records: Iterable[AgencyRecord]) -> set[bytes]:
    """Every name (whole, and each word of at least 4 characters), date of birth in both
    layouts, NHS number, UPN and postcode with and without its space, lower-cased."""
    found: set[str] = set()
    for record in records:
        identity = record.identity
        for name in (identity.given_name, identity.middle_names, identity.family_name):
            if name:
                found.update(
                    w for w in (name, *name.replace("-", " ").split()) if len(w) >= MIN_NAME
                )
        if identity.date_of_birth:
            born = identity.date_of_birth
            found.update((born.isoformat(), born.strftime("%d/%m/%Y")))
        for number in (identity.nhs_number, identity.upn):
            if number:
                found.add(number)
        if identity.postcode:
            found.update((identity.postcode, identity.postcode.replace(" ", "")))
    return {text.strip().lower().encode("utf-8") for text in found}


def haystacks(path: Path) -> dict[str, bytes]:
    """The package's bytes, each member's, and its decoded tables' values."""
    found = {"package": path.read_bytes()}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            found[name] = archive.read(name)
    package = read_package(path)
    for member, table in (("records", package.records), ("events", package.events)):
        for column in table.column_names:
            values = table.column(column).to_pylist()
            if column.startswith("bf_"):
                found[f"{member}.{column}"] = b"\n".join(v for v in values if v is not None)
            else:
                found[f"{member}.{column}"] = "\n".join(str(v) for v in values).encode()
    return {name: data.lower() for name, data in found.items()}


# Event dates are meant to be in a package; a decoded event date that happens to equal someone's
# date of birth (a referral on the day a baby was born, another child's birthday) is not a
# date of birth leaking, so dates are not looked for there. Raw, they are day numbers anyway.
EVENT_DATES = ("events.start", "events.end")


def leaks(needles: set[bytes], stacks: dict[str, bytes]) -> list[tuple[str, bytes]]:
    return [
        (name, needle)
        for name, data in stacks.items()
        for needle in needles
        if needle in data and not (name in EVENT_DATES and _is_date(needle))
    ]


def _is_date(needle: bytes) -> bool:
    return len(needle) == 10 and needle.replace(b"-", b"").replace(b"/", b"").isdigit()


@pytest.fixture(scope="module")
def written(
    tmp_path_factory: pytest.TempPathFactory, key: PartnershipKey, extracts: dict[str, Extract]
) -> list[tuple[Path, Extract]]:
    folder = tmp_path_factory.mktemp("packages")
    done = []
    for agency, extract in extracts.items():
        assert extract.agency_kind is not None
        path = folder / f"{agency}.seenpkg"
        write_package(
            path, agency=agency, agency_kind=extract.agency_kind, records=extract.records,
            key=key, source_files=extract.files,
        )  # fmt: skip
        done.append((path, extract))
    return done


def test_no_name_date_of_birth_number_or_postcode_appears_anywhere_in_a_package(
    written: list[tuple[Path, Extract]],
) -> None:
    found = []
    for path, extract in written:
        needles = identifiers(extract.records.values())
        assert len(needles) > 100  # the extract really is full of identifiers
        found.extend((path.name, *leak) for leak in leaks(needles, haystacks(path)))
    assert found == []


def test_the_scan_would_find_an_identifier_that_got_in(
    tmp_path: Path, key: PartnershipKey, extracts: dict[str, Extract]
) -> None:
    extract = extracts["northshire-schools"]
    leaked = next(r for r in extract.records.values() if r.identity.family_name)
    family = leaked.identity.family_name
    assert family is not None
    records = {**extract.records, family: AgencyRecord(family, leaked.identity)}
    path = tmp_path / "leaky.seenpkg"
    assert extract.agency_kind is not None
    write_package(path, agency="leaky", agency_kind=extract.agency_kind, records=records, key=key)
    found = leaks(identifiers(records.values()), haystacks(path))
    assert ("records.record_id", family.lower().encode()) in found
