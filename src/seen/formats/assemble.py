"""Merging valid rows from every file of one extract into one record per agency reference.

Identity fields merge first-written-wins: a later file fills only what earlier ones left
blank, or an NHS number or UPN that failed its check (kept by `keep_mistyped`) with one that
passes. Demographics are derived once at the end, from the merged identity.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from seen.domain.demographics import Demographics, Sex, birth_month
from seen.domain.identifiers import is_mistyped_nhs_number, is_mistyped_upn
from seen.domain.records import AgencyRecord, Identity
from seen.formats.lookup import DeprivationLookup
from seen.formats.spec import RowOutput

_OPTIONAL_FIELDS = (
    "given_name",
    "middle_names",
    "family_name",
    "date_of_birth",
    "postcode",
    "nhs_number",
    "upn",
)


# An identifier that fails its check gives way to one that passes.
_MISTYPED: Final = {"nhs_number": is_mistyped_nhs_number, "upn": is_mistyped_upn}


def merge_identity(old: Identity, new: Identity) -> Identity:
    changes: dict[str, object] = {
        name: getattr(new, name)
        for name in _OPTIONAL_FIELDS
        if getattr(new, name) is not None
        and _gives_way(name, getattr(old, name), getattr(new, name))
    }
    if old.sex is Sex.UNKNOWN and new.sex is not Sex.UNKNOWN:
        changes["sex"] = new.sex
    return replace(old, **changes) if changes else old  # type: ignore[arg-type]


def _gives_way(name: str, old: object, new: object) -> bool:
    """Whether the old value of an identity field gives way to a new one."""
    if old is None:
        return True
    mistyped = _MISTYPED.get(name)
    if mistyped is None or old == new or not isinstance(old, str) or not isinstance(new, str):
        return False  # (a pupil's termly rows mostly repeat one number: no check to redo)
    return mistyped(old) and not mistyped(new)


class RecordBuilder:
    """Records under construction, and where each identity-index row came from."""

    def __init__(self) -> None:
        self.records: dict[str, AgencyRecord] = {}
        self._ethnicity: dict[str, str] = {}
        # (file, location) of identity-index rows, to list them if their record is dropped.
        self._origins: dict[str, list[tuple[str, str]]] = {}

    def add(self, row: RowOutput, origin: tuple[str, str] | None = None) -> None:
        record = self.records.get(row.record_id)
        if record is None:
            record = self.records[row.record_id] = AgencyRecord(row.record_id)
            if row.identity is not None:
                record.identity = row.identity
        elif row.identity is not None and row.identity != record.identity:
            record.identity = merge_identity(record.identity, row.identity)
        if row.ethnicity is not None:
            self._ethnicity.setdefault(row.record_id, row.ethnicity)
        record.events.extend(row.events)
        if origin is not None:
            self._origins.setdefault(row.record_id, []).append(origin)

    def drop(self, record_id: str) -> list[tuple[str, str]]:
        """Remove a record; the identity-index rows that had contributed to it."""
        self.records.pop(record_id, None)
        self._ethnicity.pop(record_id, None)
        return self._origins.pop(record_id, [])

    def finish(self, lookup: DeprivationLookup | None) -> dict[str, AgencyRecord]:
        for record_id, record in self.records.items():
            identity = record.identity
            record.demographics = Demographics(
                sex=identity.sex,
                ethnicity=self._ethnicity.get(record_id),
                birth_month=birth_month(identity.date_of_birth) if identity.date_of_birth else None,
                deprivation_decile=(
                    lookup.decile(identity.postcode) if lookup and identity.postcode else None
                ),
            )
        return self.records
