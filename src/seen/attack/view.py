"""What the attacker holds: the records tables of the packages the hub keeps. Nothing else.

A `HubView` is built from package tables (or a checked `Package`) and nothing that could carry
the partnership key: it has no key argument and keeps only the records table's own columns
(those of `seen-encoding-5`; the date tokens of an earlier version, `tok_dob` and `tok_dob_day`,
instead of version 3's when every table has them, and no `tok_names_postcode` or near sets when
a table lacks them, so that the harness can measure the earlier versions as controls). The attacks
take a view and a public name list, so they can use only what a curious hub operator (or
anyone with a copy of the hub's database) could use.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from seen.encode.reader import Package
from seen.encode.schema import BLOOM_BYTES, BLOOM_COLUMNS, NEAR_COLUMNS, RECORDS_SCHEMA

Objects = npt.NDArray[np.object_]
Bits = npt.NDArray[np.bool_]

# Date tokens of one encoding version or another: a view keeps those every table has.
# (seen-encoding-1: tok_dob and tok_dob_day; -2: tok_dob; -3: tok_given_dob, tok_family_dob
# and tok_postcode_dob.)
EARLIER_COLUMNS: dict[str, pa.DataType] = {"tok_dob": pa.string(), "tok_dob_day": pa.string()}
# Columns an earlier version's tables lack: the date tokens of -3, tok_names_postcode of -4,
# and the near sets of -5.
VERSION_COLUMNS = frozenset(
    {
        "tok_given_dob",
        "tok_family_dob",
        "tok_postcode_dob",
        "tok_names_postcode",
        *NEAR_COLUMNS,
    }
)


def missing(values: Objects) -> Bits:
    """Which of a column's values are None."""
    return np.fromiter((v is None for v in values.tolist()), dtype=np.bool_, count=len(values))


class HubView:
    """The records of one or more packages, as columns the attacks can index by row."""

    __slots__ = ("_columns", "birth_year", "ethnicity", "month", "record_ids", "sex", "size")

    def __init__(self, tables: Iterable[pa.Table]) -> None:
        found = list(tables)
        if not found:
            raise ValueError("a hub view needs at least one records table")
        for table in found:
            if not isinstance(table, pa.Table):
                raise TypeError("a hub view is built from package records tables only")
            lacking = [
                name
                for name in RECORDS_SCHEMA.names
                if name not in table.column_names and name not in VERSION_COLUMNS
            ]
            if lacking:
                raise ValueError(f"not a package records table: it lacks {', '.join(lacking)}")
        schema = pa.schema(
            [
                field
                for field in RECORDS_SCHEMA
                if field.name not in VERSION_COLUMNS
                or all(field.name in table.column_names for table in found)
            ]
        )
        for name, kind in EARLIER_COLUMNS.items():
            if all(name in table.column_names for table in found):
                schema = schema.append(pa.field(name, kind))
        names = schema.names
        combined = pa.concat_tables([t.select(names).cast(schema) for t in found])
        self._columns: dict[str, Objects] = {
            name: np.array(combined.column(name).to_pylist(), dtype=object) for name in names
        }
        self.size = combined.num_rows
        self.record_ids: Objects = self._columns["record_id"]
        self.sex: Objects = self._columns["sex"]
        self.ethnicity: Objects = np.array(
            [e or "" for e in self._columns["ethnicity"]], dtype=object
        )
        months = self._columns["birth_month"]
        # The birth year salts the name tokens and Bloom filters: "" when the date is absent.
        self.birth_year: Objects = np.array([m[:4] if m else "" for m in months], dtype=object)
        self.month: npt.NDArray[np.int64] = np.array(
            [int(m[5:7]) if m else 0 for m in months], dtype=np.int64
        )

    @classmethod
    def from_packages(cls, packages: Iterable[Package]) -> HubView:
        return cls(package.records for package in packages)

    def has(self, name: str) -> bool:
        """Whether the view has a column (`tok_dob_day` only in seen-encoding-1's packages,
        `tok_dob` only in those of versions 1 and 2)."""
        return name in self._columns

    def column(self, name: str) -> Objects:
        """A token or demographic column: one value (or None) per record."""
        if name not in self._columns or name.startswith(("bf_", "near_")):
            raise KeyError(f"{name!r} is not a token or demographic column")
        return self._columns[name]

    def near_sets(self, name: str) -> Objects:
        """A near set column as it is stored: its elements' bytes (or None) per record."""
        if name not in NEAR_COLUMNS or name not in self._columns:
            raise KeyError(f"{name!r} is not a near set column of this view")
        return self._columns[name]

    def filter_values(self, name: str) -> Objects:
        """A Bloom filter column as it is stored: 128 bytes (or None) per record."""
        if name not in BLOOM_COLUMNS:
            raise KeyError(f"{name!r} is not a Bloom filter column")
        return self._columns[name]

    def filters(self, name: str) -> tuple[Bits, npt.NDArray[np.bool_]]:
        """A Bloom filter column as bits (records x 1,024, stored order) and which rows have one."""
        values = self.filter_values(name)
        present = np.array([v is not None for v in values], dtype=np.bool_)
        raw = b"".join(v if v is not None else bytes(BLOOM_BYTES) for v in values)
        packed = np.frombuffer(raw, dtype=np.uint8).reshape(self.size, BLOOM_BYTES)
        return np.unpackbits(packed, axis=1).astype(np.bool_), present
