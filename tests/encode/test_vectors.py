"""The test vectors printed in docs/encoding.md, recomputed from the doc's own inputs."""

from __future__ import annotations

import datetime as dt

from encode import reference
from encode.vectors import compute, from_doc, identity
from seen.encode import PartnershipKey


def test_the_docs_vectors_are_what_the_encoder_computes_from_the_docs_inputs() -> None:
    doc = from_doc()
    recomputed = compute(doc["key"], [record["identity"] for record in doc["records"]])
    assert recomputed == doc


def test_the_docs_vectors_follow_from_the_spec_written_out_plainly() -> None:
    doc = from_doc()
    key = PartnershipKey(bytes.fromhex(doc["key"]))
    shown = doc["bigram_positions"]
    assert (
        reference.stream(
            key.derive("bloom"),
            shown["field"],
            shown["salt"],
            shown["bigram"],
            len(shown["positions"]),
        )
        == shown["positions"]
    )
    shown = doc["near_elements"]
    blocks = reference.near_blocks(shown["column"], shown["value"])
    assert [block.hex() for block in blocks] == [e["block"] for e in shown["elements"]]
    for record in doc["records"]:
        expected = {**record["tokens"], **record["bloom"], **record["near"]}
        found = reference.encode(key, identity(record["identity"]))
        assert {k: v.hex() if isinstance(v, bytes) else v for k, v in found.items()} == expected


def _elements(stored: str) -> set[str]:
    return {stored[i : i + 16] for i in range(0, len(stored), 16)}


def test_the_vectors_cover_a_swap_a_transposed_date_a_nickname_and_unicode() -> None:
    first, second, third, fourth, fifth, sixth, seventh, eighth, ninth = from_doc()["records"]
    assert fifth["tokens"]["tok_soundex_dob"] == first["tokens"]["tok_dob_transposed"]
    assert fifth["tokens"]["tok_dob_transposed"] == first["tokens"]["tok_soundex_dob"]
    assert fifth["tokens"]["tok_given"] == first["tokens"]["tok_given"]
    assert sixth["tokens"]["tok_names_sorted"] == first["tokens"]["tok_names_sorted"]
    assert sixth["tokens"]["tok_given"] != first["tokens"]["tok_given"]
    assert second["normalised"]["given"] == "william"  # BILL
    assert second["normalised"]["family_parts"] == ["smith", "jones"]
    assert second["tokens"]["tok_family_first_part"] is not None
    assert third["normalised"]["given"] == "lukasz"
    assert third["normalised"]["middle"] == "nguyen o"
    assert third["normalised"]["family_parts"] == ["de la cruz"]
    assert third["tokens"]["tok_sex"] is None and third["tokens"]["tok_nhs"] is None
    assert fourth["normalised"]["given"] == "alexandra"  # Alex, sex F
    assert fourth["tokens"]["tok_given_dob"] is None and fourth["bloom"]["bf_given"] is not None
    # The date of birth is only ever encoded with a name: equal with the same given name,
    # different with another family name.
    assert seventh["tokens"]["tok_given_dob"] == first["tokens"]["tok_given_dob"]
    assert seventh["tokens"]["tok_family_dob"] != first["tokens"]["tok_family_dob"]
    assert sixth["tokens"]["tok_given_dob"] != first["tokens"]["tok_given_dob"]
    assert sixth["tokens"]["tok_family_dob"] == first["tokens"]["tok_given_dob"]  # swapped
    assert "tok_dob" not in first["tokens"]
    # The names with the postcode carry no year: a typo in the year (2041 for 2014) leaves
    # them equal while every year-salted name token differs; swapped names give the same.
    assert eighth["tokens"]["tok_names_postcode"] == first["tokens"]["tok_names_postcode"]
    assert eighth["tokens"]["tok_given"] != first["tokens"]["tok_given"]
    assert eighth["tokens"]["tok_names_sorted"] != first["tokens"]["tok_names_sorted"]
    assert fifth["tokens"]["tok_names_postcode"] == first["tokens"]["tok_names_postcode"]
    assert sixth["tokens"]["tok_names_postcode"] is None  # no postcode
    assert dt.date.fromisoformat(first["identity"]["date_of_birth"]).day <= 12
    # The ninth is the first with typos in the NHS number and the UPN (two digits swapped:
    # their checks fail, so no token) and in the postcode (another valid one): its near sets
    # share elements with the first's, every one of the same size.
    assert ninth["tokens"]["tok_nhs"] is None and ninth["tokens"]["tok_upn"] is None
    assert ninth["tokens"]["tok_postcode"] != first["tokens"]["tok_postcode"]
    for column in ("near_nhs", "near_upn", "near_postcode"):
        assert _elements(ninth["near"][column]) & _elements(first["near"][column])
        assert len(ninth["near"][column]) == len(first["near"][column])
    assert not _elements(second["near"]["near_upn"]) & _elements(first["near"]["near_upn"])
    assert third["near"]["near_nhs"] is not None  # a mistyped NHS number still has a near set
    assert third["tokens"]["tok_nhs"] is None
    assert third["near"]["near_postcode"] is None  # "not a postcode"
    # A typo shares one element: the first's postcode ZX3 7AB and the ninth's ZX3 7AD.
    assert (
        len(_elements(ninth["near"]["near_postcode"]) & _elements(first["near"]["near_postcode"]))
        == 1
    )
    assert second["normalised"]["near_values"]["near_postcode"] == "ZX102YA"
