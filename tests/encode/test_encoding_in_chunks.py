"""Encoding a large extract in worker processes gives the same table as encoding it in one."""

from __future__ import annotations

import datetime as dt

import pytest

from seen.domain.demographics import Sex
from seen.domain.records import AgencyRecord, Identity
from seen.encode import PartnershipKey, encode_records
from seen.encode import encoder as encoder_module

GIVEN = ("Amelia", "Zoë", "Siobhán", "Oliver", "Łukasz", "Mohammed", "Ava", "Jack")
FAMILY = ("Smith", "Nguyễn", "Jones-Khan", "O'Brien", "Patel", "Smith")


def records(count: int) -> list[AgencyRecord]:
    """Records whose names, dates and postcodes repeat, as in a real extract, with gaps."""
    made = []
    for i in range(count):
        identity = Identity(
            given_name=GIVEN[i % len(GIVEN)],
            family_name=FAMILY[i % len(FAMILY)] if i % 11 else None,
            date_of_birth=dt.date(2010 + i % 7, 1 + i % 12, 1 + i % 28) if i % 13 else None,
            sex=Sex.FEMALE if i % 2 else Sex.MALE,
            postcode=f"ZX{i % 9} {i % 10}AB" if i % 5 else None,
            nhs_number=None,
            upn=None,
        )
        made.append(AgencyRecord(f"R{i}", identity))
    return made


@pytest.mark.parametrize("workers", [2, 3])
def test_chunks_in_workers_give_the_same_table_as_one_process(
    key: PartnershipKey, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encoder_module, "MIN_CHUNK", 50)
    todo = records(400)
    alone = encode_records(todo, key, workers=1)
    together = encode_records(todo, key, workers=workers)
    assert together.equals(alone)
    assert together.column("record_id").to_pylist() == [f"R{i}" for i in range(400)]


def test_a_small_extract_is_encoded_without_workers(
    key: PartnershipKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_workers(*args: object) -> None:
        raise AssertionError("a small extract started workers")

    monkeypatch.setattr(encoder_module, "_encode_in_chunks", no_workers)
    assert encode_records(records(100), key, workers=2).num_rows == 100


def test_a_date_of_birth_is_encoded_in_one_chunk_and_every_record_in_exactly_one() -> None:
    # One child's records share a date of birth: in one worker, their shared values are
    # computed once.
    todo = records(400)
    chunks = encoder_module._by_date_of_birth(todo, 6)
    assert sorted(row for chunk in chunks for row in chunk) == list(range(400))
    chunk_of_date: dict[dt.date, int] = {}
    for number, chunk in enumerate(chunks):
        for row in chunk:
            born = todo[row].identity.date_of_birth
            if born is not None:
                assert chunk_of_date.setdefault(born, number) == number
    assert len(chunks) == 6
    assert max(map(len, chunks)) < 2 * min(map(len, chunks))
