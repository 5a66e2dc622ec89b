"""Term frequencies of year-salted name tokens are counted within the year of birth, so a
name's weight does not count the shared year a second time (date_of_birth weighs it), and
among the *other* records, since a frequency stands for the chance that another record
holds the value (a record is never compared with itself)."""

# ruff: noqa: S608 - table names are the code's own

from __future__ import annotations

import pyarrow as pa
import pytest

from seen.link.backend import DuckDBBackend
from seen.link.model import YEAR_SALTED
from seen.link.score import TF_COLUMNS, term_frequency_tables


def test_a_year_salted_tokens_frequency_is_its_share_of_the_other_records_of_its_year() -> None:
    backend = DuckDBBackend()
    try:
        records = pa.table(
            {
                # 2010: four records, three named "a"; 2011: one record, named "b".
                "tok_dob_year": ["y10", "y10", "y10", "y10", "y11"],
                "tok_given": ["a10", "a10", "a10", "c10", "b11"],
                "tok_family": ["f10", "g10", "g10", "g10", "f11"],
                "tok_postcode": ["p", "p", "p", "q", "p"],
            }
        )
        backend.register("records", records)
        tables = term_frequency_tables(backend, "records")
        assert set(tables) == set(TF_COLUMNS)
        given = dict(
            zip(
                *backend.query(f"SELECT tok_given, tf_tok_given FROM {tables['tok_given']}")
                .to_pydict()
                .values(),
                strict=True,
            )
        )
        # An "a" record sees two "a" among the three other records of 2010. A value held once
        # is never agreed on (its frequency is never read) and stays above 0.
        assert given == pytest.approx({"a10": 2 / 3, "c10": 1 / 3, "b11": 1.0})
        # The postcode is not salted: its share of all the other records.
        postcode = dict(
            zip(
                *backend.query(
                    f"SELECT tok_postcode, tf_tok_postcode FROM {tables['tok_postcode']}"
                )
                .to_pydict()
                .values(),
                strict=True,
            )
        )
        assert "tok_postcode" not in YEAR_SALTED
        assert postcode == pytest.approx({"p": 3 / 4, "q": 1 / 4})
    finally:
        backend.close()
