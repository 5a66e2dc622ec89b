from __future__ import annotations

from pathlib import Path

import pytest

from formats.samples import PERSON, write_csv
from seen.errors import InvalidInput
from seen.formats import DeprivationLookup, read_extract
from seen.formats.lookup import postcode_sector


def write_lookup(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("postcode", "sector"),
    [
        ("ZX3 7AB", "ZX3 7"),
        ("zx37ab", "ZX3 7"),
        (" ZX3  7AB ", "ZX3 7"),
        ("EC1A 1BB", "EC1A 1"),
        ("ZX3 7", "ZX3 7"),
        ("nonsense", None),
        ("", None),
    ],
)
def test_postcode_sector_is_the_outward_code_and_first_inward_digit(
    postcode: str, sector: str | None
) -> None:
    assert postcode_sector(postcode) == sector


def test_lookup_reads_the_reference_file(tmp_path: Path) -> None:
    path = write_lookup(
        tmp_path / "postcode_deprivation.csv",
        "PostcodeSector,Area,DeprivationDecile\n"
        "ZX3 7,Northshire Central,2\n"
        "zx4 1,Northshire East,9\n",
    )
    lookup = DeprivationLookup.from_csv(path)
    assert len(lookup) == 2
    assert lookup.decile("ZX3 7AB") == 2
    assert lookup.decile("ZX4 1CD") == 9
    assert lookup.decile("ZX5 1CD") is None
    assert lookup.decile("not a postcode") is None


def test_records_get_the_decile_of_their_postcode(tmp_path: Path) -> None:
    lookup = DeprivationLookup({"ZX3 7": 3})
    persons = write_csv(tmp_path / "p.csv", [PERSON, {**PERSON, "LAchildID": "B", "Postcode": ""}])
    extract = read_extract([persons], lookup)
    assert extract.records["LA0001"].demographics.deprivation_decile == 3
    assert extract.records["B"].demographics.deprivation_decile is None


def test_a_bad_lookup_file_lists_every_problem(tmp_path: Path) -> None:
    path = write_lookup(
        tmp_path / "l.csv",
        "PostcodeSector,Area,DeprivationDecile\nZX3 7,A,11\nQQ,B,3\nZX4 1,C,x\n",
    )
    with pytest.raises(InvalidInput) as caught:
        DeprivationLookup.from_csv(path)
    assert [(p.location, p.field) for p in caught.value.problems] == [
        ("row 2", "DeprivationDecile"),
        ("row 3", "PostcodeSector"),
        ("row 4", "DeprivationDecile"),
    ]


def test_a_lookup_missing_a_column_or_file_is_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="missing: DeprivationDecile"):
        DeprivationLookup.from_csv(
            write_lookup(tmp_path / "l.csv", "PostcodeSector,Area\nZX3 7,A\n")
        )
    with pytest.raises(InvalidInput, match="does not exist"):
        DeprivationLookup.from_csv(tmp_path / "missing.csv")
    with pytest.raises(InvalidInput, match="empty"):
        DeprivationLookup.from_csv(write_lookup(tmp_path / "e.csv", ""))


def test_a_lookup_built_in_code_checks_its_values() -> None:
    with pytest.raises(ValueError, match="between 1 and 10"):
        DeprivationLookup({"ZX3 7": 0})
    with pytest.raises(ValueError, match="not a postcode sector"):
        DeprivationLookup({"ZX": 4})
