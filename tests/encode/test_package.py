"""Packages: written deterministically and read back whole."""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from pathlib import Path

import pytest

from encode.packages import AGENCY, CREATED, records, write
from seen.domain.agencies import AgencyKind
from seen.encode import PartnershipKey, encode_records, read_package, write_package
from seen.errors import InvalidInput
from seen.formats import Extract


def test_a_package_reads_back_with_its_manifest_records_and_events(
    tmp_path: Path, key: PartnershipKey
) -> None:
    path = write(tmp_path / "p.seenpkg", key)
    package = read_package(path)
    manifest = package.manifest
    assert (manifest.agency, manifest.agency_kind, manifest.created) == (
        AGENCY,
        AgencyKind.POLICE,
        CREATED,
    )
    assert manifest.key_fingerprint == key.fingerprint
    assert (manifest.records, manifest.events, manifest.duplicate_free) == (2, 3, False)
    expected = encode_records(sorted(records(), key=lambda r: r.record_id), key)
    assert package.records.equals(expected)
    events = package.events.to_pylist()
    assert [e["record_id"] for e in events] == ["P1", "P1", "P2"]
    assert events[0]["kind"] == "police_incident" and events[0]["start"] == dt.date(2024, 1, 9)
    assert events[1]["end"] == dt.date(2024, 6, 3) and events[1]["code"] == "HIGH"
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["manifest.json", "records.parquet", "events.parquet"]


def test_the_same_input_key_and_time_give_the_same_bytes(
    tmp_path: Path, key: PartnershipKey
) -> None:
    first = write(tmp_path / "a.seenpkg", key).read_bytes()
    second = write(tmp_path / "b.seenpkg", key, list(reversed(records()))).read_bytes()
    assert first == second
    mapping = {r.record_id: r for r in records()}
    summary = write_package(
        tmp_path / "c.seenpkg", agency=AGENCY, agency_kind=AgencyKind.POLICE, records=mapping,
        key=key, created=CREATED,
    )  # fmt: skip
    assert (
        summary.path.read_bytes() == first and summary.sha256 == hashlib.sha256(first).hexdigest()
    )
    later = write_package(
        tmp_path / "d.seenpkg", agency=AGENCY, agency_kind=AgencyKind.POLICE, records=records(),
        key=key, created=CREATED + dt.timedelta(seconds=1),
    )  # fmt: skip
    assert later.path.read_bytes() != first


def test_a_synthetic_extract_round_trips(
    tmp_path: Path, key: PartnershipKey, extracts: dict[str, Extract]
) -> None:
    extract = extracts["northshire-council"]
    assert extract.agency_kind is not None
    summary = write_package(
        tmp_path / "council.seenpkg", agency="northshire-council",
        agency_kind=extract.agency_kind, records=extract.records, key=key,
        source_files=extract.files, duplicate_free=True,
    )  # fmt: skip
    package = read_package(summary.path)
    assert package.manifest.records == len(extract.records) == package.records.num_rows
    assert package.manifest.events == extract.event_count == package.events.num_rows
    assert package.manifest.duplicate_free
    assert {s.name for s in package.manifest.source_files} == {
        Path(f.path).name for f in extract.files
    }


def test_writing_refuses_duplicate_references_and_bad_agency_names(
    tmp_path: Path, key: PartnershipKey
) -> None:
    twice = [*records(), records()[0]]
    with pytest.raises(InvalidInput, match="more than once"):
        write(tmp_path / "x.seenpkg", key, twice)
    with pytest.raises(InvalidInput, match="agency name"):
        write_package(
            tmp_path / "y.seenpkg", agency="Northshire Police!", agency_kind=AgencyKind.POLICE,
            records=records(), key=key,
        )  # fmt: skip
    assert not (tmp_path / "x.seenpkg").exists() and not (tmp_path / "y.seenpkg").exists()
