"""A package with anything wrong in it is refused with a clear message naming the file, and
each problem naming the member, row and column."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from encode.packages import write
from seen.encode import PartnershipKey, read_package
from seen.encode import reader as reader_module
from seen.encode.package import parquet_bytes, zip_bytes
from seen.errors import InvalidInput

# Tampering: rebuild a written package with one thing changed.


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rebuild(
    source: Path,
    target: Path,
    *,
    records_table: Callable[[pa.Table], pa.Table] | None = None,
    events_table: Callable[[pa.Table], pa.Table] | None = None,
    manifest: Callable[[dict[str, Any]], None] | None = None,
    extra: dict[str, bytes] | None = None,
    fix_digests: bool = True,
) -> Path:
    found = members(source)
    package = read_package(source)
    parts = {"records.parquet": found["records.parquet"], "events.parquet": found["events.parquet"]}
    if records_table is not None:
        parts["records.parquet"] = parquet_bytes(records_table(package.records))
    if events_table is not None:
        parts["events.parquet"] = parquet_bytes(events_table(package.events))
    document = json.loads(found["manifest.json"])
    if fix_digests:
        document["members"] = {
            name: hashlib.sha256(data).hexdigest() for name, data in parts.items()
        }
    if manifest is not None:
        manifest(document)
    entries = [
        ("manifest.json", json.dumps(document).encode()),
        *parts.items(),
        *(extra or {}).items(),
    ]
    target.write_bytes(zip_bytes(entries))
    return target


def set_value(table: pa.Table, column: str, row: int, value: object) -> pa.Table:
    values = table.column(column).to_pylist()
    values[row] = value
    index = table.schema.get_field_index(column)
    return table.set_column(
        index, table.schema.field(index), pa.array(values, table.schema.field(index).type)
    )


def refused(path: Path) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        read_package(path)
    error = caught.value
    assert str(path) in error.message
    assert error.problems and all(p.file == str(path) for p in error.problems)
    return error


def texts(error: InvalidInput) -> list[str]:
    return [f"{p.location} | {p.field} | {p.message}" for p in error.problems]


@pytest.fixture
def good(tmp_path: Path, key: PartnershipKey) -> Path:
    return write(tmp_path / "good.seenpkg", key)


def test_a_member_changed_after_writing_is_refused(good: Path, tmp_path: Path) -> None:
    path = rebuild(
        good, tmp_path / "t.seenpkg",
        records_table=lambda t: set_value(t, "tok_given_dob", 0, "0" * 32), fix_digests=False,
    )  # fmt: skip
    [problem] = refused(path).problems
    assert problem.location == "records.parquet" and "SHA-256" in problem.message


def test_an_extra_member_is_refused(good: Path, tmp_path: Path) -> None:
    path = rebuild(good, tmp_path / "t.seenpkg", extra={"names.csv": b"Amelia,Okafor\n"})
    [problem] = refused(path).problems
    assert problem.field == "names.csv" and "not a member" in problem.message


def test_a_token_of_the_wrong_shape_is_refused_with_its_row(good: Path, tmp_path: Path) -> None:
    path = rebuild(
        good,
        tmp_path / "t.seenpkg",
        records_table=lambda t: set_value(t, "tok_given_dob", 1, "ABC"),
    )
    [problem] = refused(path).problems
    assert (problem.location, problem.field) == ("records.parquet row 2", "tok_given_dob")
    assert "32 lower-case" in problem.message


@pytest.mark.parametrize(
    "filter_", [bytes(128), b"\x0f" * 128], ids=["empty", "balanced (seen-encoding-2)"]
)
def test_a_filter_not_of_the_fixed_weight_is_refused(
    good: Path, tmp_path: Path, filter_: bytes
) -> None:
    path = rebuild(
        good,
        tmp_path / "t.seenpkg",
        records_table=lambda t: set_value(t, "bf_given", 0, filter_),
    )
    [problem] = refused(path).problems
    assert problem.field == "bf_given" and "fixed-weight" in problem.message


def test_a_duplicate_record_id_is_refused(good: Path, tmp_path: Path) -> None:
    path = rebuild(
        good, tmp_path / "t.seenpkg", records_table=lambda t: set_value(t, "record_id", 1, "P1")
    )
    error = refused(path)
    assert "records.parquet row 2 | record_id | record_id repeats the one in row 1" in texts(error)


def test_an_event_for_an_unknown_record_is_refused(good: Path, tmp_path: Path) -> None:
    path = rebuild(
        good, tmp_path / "t.seenpkg", events_table=lambda t: set_value(t, "record_id", 0, "P9")
    )
    [problem] = refused(path).problems
    assert (problem.location, problem.field) == ("events.parquet row 1", "record_id")
    assert "not one of the package's records" in problem.message


def test_an_unknown_event_code_or_kind_is_refused(good: Path, tmp_path: Path) -> None:
    path = rebuild(
        good, tmp_path / "t.seenpkg",
        events_table=lambda t: set_value(set_value(t, "code", 0, "ARSON"), "kind", 2, "gossip"),
    )  # fmt: skip
    found = texts(refused(path))
    assert any(
        t.startswith("events.parquet row 1 | code | 'ARSON' is not a known code") for t in found
    )
    assert any(t.startswith("events.parquet row 3 | kind |") for t in found)


def test_a_manifest_that_does_not_match_is_refused(good: Path, tmp_path: Path) -> None:
    def change(document: dict[str, Any]) -> None:
        document["records"] = 5
        document["agency_kind"] = "bank"
        document["colour"] = "blue"

    found = texts(refused(rebuild(good, tmp_path / "t.seenpkg", manifest=change)))
    assert any("agency_kind must be one of" in t for t in found)
    assert any("'colour' is not a manifest field" in t for t in found)


def test_a_package_of_the_previous_encoding_version_is_refused(good: Path, tmp_path: Path) -> None:
    """A seen-encoding-4 package has no near sets: the hub asks for a re-encoding rather than
    link it beside version 5 packages."""

    def change(document: dict[str, Any]) -> None:
        document["encoding"] = "seen-encoding-4"

    path = rebuild(
        good,
        tmp_path / "t.seenpkg",
        records_table=lambda t: t.drop_columns(["near_nhs", "near_upn", "near_postcode"]),
        manifest=change,
    )
    found = texts(refused(path))
    assert any(
        'encoding is "seen-encoding-4"; this reader understands "seen-encoding-5"' in t
        for t in found
    )
    for column in ("near_nhs", "near_upn", "near_postcode"):
        assert any(f"the column {column} is missing" in t for t in found)


def test_a_near_set_out_of_order_is_refused(good: Path, tmp_path: Path) -> None:
    """The encoder writes a near set's elements in increasing order; a set in another order
    (or with an element twice) is not one, and the row is named."""

    def shuffle(table: pa.Table) -> pa.Table:
        sets = table.column("near_postcode").to_pylist()
        row = next(i for i, value in enumerate(sets) if value is not None)
        sets[row] = sets[row][8:] + sets[row][:8]  # the smallest element moved to the end
        index = table.column_names.index("near_postcode")
        return table.set_column(
            index, "near_postcode", pa.array(sets, table.schema.field("near_postcode").type)
        )

    found = texts(refused(rebuild(good, tmp_path / "t.seenpkg", records_table=shuffle)))
    assert any(
        "near_postcode" in t and "not a near set" in t and "records.parquet row" in t for t in found
    )


def test_a_count_that_does_not_match_is_refused(good: Path, tmp_path: Path) -> None:
    def change(document: dict[str, Any]) -> None:
        document["events"] = 7

    [problem] = refused(rebuild(good, tmp_path / "t.seenpkg", manifest=change)).problems
    assert problem.location == "events.parquet" and "events: 7" in problem.message


def test_a_truncated_zip_is_refused(good: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.seenpkg"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(InvalidInput, match="damaged or incomplete"):
        read_package(path)


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.seenpkg"
    path.write_text("record_id,given_name\nP1,Amelia\n")
    with pytest.raises(InvalidInput, match="not a zip file") as caught:
        read_package(path)
    assert str(path) in caught.value.message
    with pytest.raises(InvalidInput, match="does not exist"):
        read_package(tmp_path / "missing.seenpkg")


def test_a_package_that_would_unpack_too_large_is_refused(
    good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader_module, "MAX_TOTAL_BYTES", 1000)
    [problem] = refused(good).problems
    assert problem.location == "zip" and "at most 1,000" in problem.message


def test_a_member_that_inflates_beyond_its_declared_size_is_refused(
    tmp_path: Path, good: Path
) -> None:
    found = members(good)
    path = tmp_path / "bomb.seenpkg"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in found.items():
            archive.writestr(name, data)
    with zipfile.ZipFile(path) as archive:
        size = archive.getinfo("manifest.json").file_size
    # Halve the size the central directory declares for manifest.json (its first entry): the
    # member now inflates to more than declared, as a zip bomb's would.
    raw = bytearray(path.read_bytes())
    entry = raw.index(b"PK\x01\x02")
    raw[entry + 24 : entry + 28] = (size // 2).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    [problem] = refused(path).problems
    # zipfile stops at the declared size and then finds the CRC wrong; either way, refused.
    assert problem.location == "manifest.json"
    assert "cannot be unpacked" in problem.message or "more bytes" in problem.message
