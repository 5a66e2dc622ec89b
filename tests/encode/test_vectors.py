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
    for record in doc["records"]:
        expected = {**record["tokens"], **record["bloom"]}
        found = reference.encode(key, identity(record["identity"]))
        assert {k: v.hex() if isinstance(v, bytes) else v for k, v in found.items()} == expected


def test_the_vectors_cover_a_swap_a_transposed_date_a_nickname_and_unicode() -> None:
    first, second, third, fourth, fifth, sixth, seventh, eighth = from_doc()["records"]
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
