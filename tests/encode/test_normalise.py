"""Normalisation: Unicode folding, nicknames, family-name parts, dates, postcodes, numbers."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seen.domain.identifiers import is_valid_nhs_number, is_valid_upn
from seen.encode.nicknames import canonical_given_name, nickname_table
from seen.encode.normalise import (
    canonical_given,
    family_parts,
    fold_name,
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    postcode_district,
    postcode_sector,
    transposed_text,
)
from seen.encode.soundex import soundex

FOLDED = re.compile(r"[a-z0-9]+( [a-z0-9]+)*")


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Zoë", "zoe"),
        ("ZOË", "zoe"),
        ("Siobhán", "siobhan"),
        ("Łukasz", "lukasz"),
        ("ŁUKASZ", "lukasz"),
        ("Nguyễn", "nguyen"),
        ("Øyvind", "oyvind"),
        ("Strauß", "strauss"),
        ("STRAUẞ", "strauss"),
        ("Þórðarson", "thordarson"),
        ("Æthelred", "aethelred"),
        ("O'Brien", "obrien"),
        ("O’Brien", "obrien"),
        ("o´brien", "obrien"),
        ("Smith-Jones", "smith jones"),
        ("Smith–Jones", "smith jones"),
        ("de la Cruz", "de la cruz"),
        ("  ALL   CAPS  ", "all caps"),
        ("Anne-Marie\tLouise", "anne marie louise"),
        ("İlkay", "ilkay"),
        ("ﬁona", "fiona"),
    ],
)
def test_names_fold_to_lower_case_ascii_words(raw: str, folded: str) -> None:
    assert fold_name(raw) == folded


@pytest.mark.parametrize("raw", [None, "", "   ", "-", "'", "Иван", "李"])
def test_a_name_with_nothing_left_is_absent(raw: str | None) -> None:
    assert fold_name(raw) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_folding_any_text_gives_ascii_words_and_is_idempotent(raw: str) -> None:
    folded = fold_name(raw)
    if folded is not None:
        assert FOLDED.fullmatch(folded)
        assert fold_name(folded) == folded


@pytest.mark.parametrize(
    ("family", "parts"),
    [
        ("smith", ("smith",)),
        ("smith jones", ("smith", "jones")),
        ("de la cruz", ("de la cruz",)),
        ("garcia de la cruz", ("garcia", "de la cruz")),
        ("van der berg smith", ("van der berg", "smith")),
        ("smith van", ("smith van",)),
        ("de la", ("de la",)),
    ],
)
def test_family_names_split_into_parts_with_particles_kept_together(
    family: str, parts: tuple[str, ...]
) -> None:
    assert family_parts(family) == parts


@pytest.mark.parametrize(
    ("raw", "sex", "canonical"),
    [
        ("Bill", "M", "william"),
        ("BILLY", None, "william"),
        ("Liz", "F", "elizabeth"),
        ("Alex", "M", "alexander"),
        ("Alex", "F", "alexandra"),
        ("Alex", None, "alexander"),
        ("Sam", "F", "samantha"),
        ("Mohammed", "M", "muhammad"),
        ("William", "M", "william"),
        ("Mary-Jane", "F", "mary"),
        ("Zoë", "F", "zoe"),
        ("  ", "F", None),
    ],
)
def test_the_first_given_name_takes_its_canonical_form(
    raw: str, sex: str | None, canonical: str | None
) -> None:
    assert canonical_given(raw, sex) == canonical


def test_the_nickname_table_has_hundreds_of_pairs_and_maps_once() -> None:
    table = nickname_table()
    assert len(table) >= 300
    for (nickname, sex), canonical in table.items():
        assert FOLDED.fullmatch(nickname) and FOLDED.fullmatch(canonical)
        assert canonical_given_name(canonical, sex or None) == canonical  # idempotent
        assert (nickname, "") in table  # a default for every nickname


@pytest.mark.parametrize(
    ("born", "transposed"),
    [
        (dt.date(2014, 3, 7), "2014-07-03"),
        (dt.date(2014, 12, 1), "2014-01-12"),
        (dt.date(2014, 5, 5), "2014-05-05="),
        (dt.date(2014, 3, 13), "2014-13-03"),
        (dt.date(2014, 2, 28), "2014-28-02"),
    ],
)
def test_every_date_has_a_transposed_text_and_none_equals_its_own_date(
    born: dt.date, transposed: str
) -> None:
    assert transposed_text(born) == transposed


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_a_transposed_text_is_another_dates_iso_form_only_when_that_date_exists(
    born: dt.date,
) -> None:
    text = transposed_text(born)
    assert text != born.isoformat()
    if born.day <= 12 and born.day != born.month:
        swapped = dt.date.fromisoformat(text)
        assert transposed_text(swapped) == born.isoformat()
    else:
        with pytest.raises(ValueError):
            dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("raw", "postcode", "sector", "district"),
    [
        ("zx37ab", "ZX3 7AB", "ZX3 7", "ZX3"),
        (" ZX3  7AB ", "ZX3 7AB", "ZX3 7", "ZX3"),
        ("zx10 2ya", "ZX10 2YA", "ZX10 2", "ZX10"),
        ("EC1A 1BB", "EC1A 1BB", "EC1A 1", "EC1A"),
        ("W1A0AX", "W1A 0AX", "W1A 0", "W1A"),
    ],
)
def test_postcodes_take_the_standard_form_with_sector_and_district(
    raw: str, postcode: str, sector: str, district: str
) -> None:
    found = normalise_postcode(raw)
    assert found == postcode
    assert postcode_sector(postcode) == sector and postcode_district(postcode) == district


@pytest.mark.parametrize("raw", ["", "not a postcode", "ZX3", "12345", "ZX3 7A"])
def test_what_is_not_a_postcode_is_absent(raw: str) -> None:
    assert normalise_postcode(raw) is None


@given(st.from_regex(r"[0-9 -]{9,14}", fullmatch=True))
def test_nhs_numbers_are_kept_exactly_when_the_domain_rule_says_valid(raw: str) -> None:
    number = raw.replace(" ", "").replace("-", "")
    expected = number if is_valid_nhs_number(number) else None
    assert normalise_nhs_number(raw) == expected


@given(st.from_regex(r"[A-Za-z][0-9]{11}[0-9A-Za-z]", fullmatch=True))
def test_upns_are_kept_exactly_when_the_domain_rule_says_valid(raw: str) -> None:
    assert normalise_upn(raw) == (raw.upper() if is_valid_upn(raw) else None)


def test_nhs_numbers_and_upns_are_tidied() -> None:
    assert normalise_nhs_number("943 476 5919") == "9434765919"
    assert normalise_nhs_number("943-476-5919") == "9434765919"
    assert normalise_nhs_number("9434765918") is None
    assert normalise_upn(" w990200114007 ") == "W990200114007"
    assert normalise_upn("X990200114007") is None


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("robert", "R163"),
        ("rupert", "R163"),
        ("rubin", "R150"),
        ("ashcraft", "A261"),
        ("ashcroft", "A261"),
        ("tymczak", "T522"),
        ("pfister", "P236"),
        ("honeyman", "H555"),
        ("lee", "L000"),
        ("smith jones", "S532"),
        ("123", None),
    ],
)
def test_american_soundex(name: str, code: str | None) -> None:
    assert soundex(name) == code
