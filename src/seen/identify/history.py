"""The linked, multi-agency history of every person the hub knows: what identification reads.

A `History` is columnar (NumPy arrays, one entry per event) so that indicators for tens of
thousands of children at dozens of as-of dates take a fraction of a second each. It holds
exactly what the hub holds: pseudonymous person ids, the degraded demographics of
`seen.domain.demographics`, and events as codes, dates and numbers. It has no field that
could hold a name, a date of birth, an identifier number or a hidden truth.

Two ways in: `history_from_store` (events joined to the people of the latest link run), and
`history_from_records` (agency records as the readers produce them, with a person for each
record, which `seen.identify.partnership` gets from linkage).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from seen.domain.agencies import AgencyKind
from seen.domain.records import AgencyRecord

NO_END = dt.date.max.toordinal()  # an event still open: it ends after any as-of date
NO_MONTH = -1

Days = NDArray[np.int64]
Strs = NDArray[np.str_]


def day(date: dt.date) -> int:
    """The day number (proleptic Gregorian ordinal) used for every date in a History."""
    return date.toordinal()


@dataclass(frozen=True)
class History:
    """People (index 0..n-1) and their events, sorted by person then start date.

    `birth_month` is months since year 0 (`year * 12 + month - 1`, NO_MONTH unknown);
    `decile` 0 when unknown. Events: `person` (index), `agency` (an AgencyKind value),
    `kind`, `code` and `qualifier` ("" for none), `start` and `end` (day numbers; `end`
    NO_END while open or when the event has no end), `value` (NaN for none) and `ref`, a
    reference to the stored event (its store id, or agency:record:n) for explanations.
    """

    person_ids: Strs
    birth_month: Days
    sex: Strs
    ethnicity: Strs
    decile: Days
    person: Days
    agency: Strs
    kind: Strs
    code: Strs
    qualifier: Strs
    start: Days
    end: Days
    value: NDArray[np.float64]
    ref: Strs

    @property
    def people(self) -> int:
        return len(self.person_ids)

    @property
    def events(self) -> int:
        return len(self.person)

    def age_months(self, as_of: int) -> Days:
        """Each person's age in whole months on day `as_of` (from month and year of birth
        only, so it may be a month out); -1 when unknown."""
        date = dt.date.fromordinal(as_of)
        now = date.year * 12 + date.month - 1
        return np.where(self.birth_month == NO_MONTH, -1, now - self.birth_month)

    def select_events(self, keep: NDArray[np.bool_]) -> History:
        """The same people with only the events where `keep` is true."""
        return History(
            self.person_ids,
            self.birth_month,
            self.sex,
            self.ethnicity,
            self.decile,
            *(getattr(self, name)[keep] for name in _EVENT_FIELDS),
        )


_EVENT_FIELDS = (
    "person",
    "agency",
    "kind",
    "code",
    "qualifier",
    "start",
    "end",
    "value",
    "ref",
)


def build_history(
    people: Mapping[str, Mapping[str, Any]], rows: Iterable[Mapping[str, Any]]
) -> History:
    """A History from people (person id -> sex, ethnicity, birth_month "YYYY-MM",
    deprivation_decile) and event rows (person_id, agency kind, kind, code, qualifier,
    start and end dates, value, ref). Events of unknown people are ignored."""
    ids = sorted(people)
    index = {pid: i for i, pid in enumerate(ids)}
    birth = np.full(len(ids), NO_MONTH, dtype=np.int64)
    sex = np.full(len(ids), "U", dtype="<U1")
    ethnicity = np.full(len(ids), "", dtype="<U4")
    decile = np.zeros(len(ids), dtype=np.int64)
    for i, pid in enumerate(ids):
        about = people[pid]
        month = about.get("birth_month")
        if month:
            birth[i] = int(month[:4]) * 12 + int(month[5:7]) - 1
        sex[i] = about.get("sex") or "U"
        ethnicity[i] = about.get("ethnicity") or ""
        decile[i] = about.get("deprivation_decile") or 0
    columns: dict[str, list[Any]] = {name: [] for name in _EVENT_FIELDS}
    for row in rows:
        who = index.get(row["person_id"])
        if who is None:
            continue
        columns["person"].append(who)
        columns["agency"].append(str(row["agency"]))
        columns["kind"].append(str(row["kind"]))
        columns["code"].append(row.get("code") or "")
        columns["qualifier"].append(row.get("qualifier") or "")
        columns["start"].append(day(row["start"]))
        end = row.get("end")
        columns["end"].append(NO_END if end is None else day(end))
        value = row.get("value")
        columns["value"].append(np.nan if value is None else float(value))
        columns["ref"].append(str(row.get("ref") or ""))
    person = np.asarray(columns["person"], dtype=np.int64)
    start = np.asarray(columns["start"], dtype=np.int64)
    order = np.lexsort((start, person))
    arrays = {
        "person": person,
        "agency": np.asarray(columns["agency"], dtype="<U24"),
        "kind": np.asarray(columns["kind"], dtype="<U24"),
        "code": np.asarray(columns["code"], dtype="<U12"),
        "qualifier": np.asarray(columns["qualifier"], dtype="<U12"),
        "start": start,
        "end": np.asarray(columns["end"], dtype=np.int64),
        "value": np.asarray(columns["value"], dtype=np.float64),
        "ref": np.asarray(columns["ref"], dtype=np.str_),
    }
    return History(
        np.asarray(ids, dtype=np.str_),
        birth,
        sex,
        ethnicity,
        decile,
        *(arrays[name][order] for name in _EVENT_FIELDS),
    )


def history_from_records(
    agencies: Iterable[tuple[str, AgencyKind, Mapping[str, AgencyRecord]]],
    person_of: Mapping[tuple[str, str], str],
) -> History:
    """A History from each agency's records (name, kind, record id -> record) and the person
    each (agency, record id) belongs to. A person's demographics are the values most of
    their records give (agencies disagree; ties go to the first agency in order)."""
    votes: dict[str, dict[str, Counter[Any]]] = {}
    rows: list[dict[str, Any]] = []
    for name, kind, records in agencies:
        for record_id, record in records.items():
            pid = person_of.get((name, record_id))
            if pid is None:
                continue
            about = votes.setdefault(pid, {f: Counter() for f in _DEMOGRAPHICS})
            demo = record.demographics
            for field, value in (
                ("sex", demo.sex.value if demo.sex.value != "U" else None),
                ("ethnicity", demo.ethnicity),
                ("birth_month", demo.birth_month),
                ("deprivation_decile", demo.deprivation_decile),
            ):
                if value is not None:
                    about[field][value] += 1
            for n, event in enumerate(record.events):
                rows.append(
                    {
                        "person_id": pid,
                        "agency": kind.value,
                        "kind": event.kind.value,
                        "code": event.code,
                        "qualifier": event.qualifier,
                        "start": event.start,
                        "end": event.end,
                        "value": event.value,
                        "ref": f"{name}:{record_id}:{n}",
                    }
                )
    people = {
        pid: {f: (c.most_common(1)[0][0] if c else None) for f, c in fields.items()}
        for pid, fields in votes.items()
    }
    return build_history(people, rows)


_DEMOGRAPHICS = ("sex", "ethnicity", "birth_month", "deprivation_decile")


def history_from_store(store: Any) -> History:
    """Every event in the store, each on the person its record belongs to in the latest
    link run (records not yet linked are left out), as a History."""
    from sqlalchemy import select

    from seen.store.tables import agencies, events, people, records

    with store.engine.connect() as conn:
        rows = conn.execute(
            select(
                people.c.person_id,
                records.c.sex,
                records.c.ethnicity,
                records.c.birth_month,
                records.c.deprivation_decile,
            ).select_from(people.join(records, people.c.record_id == records.c.id))
        ).all()
        votes: dict[str, dict[str, Counter[Any]]] = {}
        for pid, sex, ethnicity, month, decile in rows:
            about = votes.setdefault(pid, {f: Counter() for f in _DEMOGRAPHICS})
            for field, value in zip(
                _DEMOGRAPHICS, (None if sex == "U" else sex, ethnicity, month, decile), strict=True
            ):
                if value is not None:
                    about[field][value] += 1
        person_rows = {
            pid: {f: (c.most_common(1)[0][0] if c else None) for f, c in fields.items()}
            for pid, fields in votes.items()
        }
        query = select(
            people.c.person_id,
            agencies.c.kind,
            events.c.kind,
            events.c.code,
            events.c.qualifier,
            events.c.start_date,
            events.c.end_date,
            events.c.value,
            events.c.id,
        ).select_from(
            events.join(records, events.c.record_id == records.c.id)
            .join(people, people.c.record_id == records.c.id)
            .join(agencies, records.c.agency_id == agencies.c.id)
        )
        event_rows = [
            {
                "person_id": r[0],
                "agency": r[1],
                "kind": r[2],
                "code": r[3],
                "qualifier": r[4],
                "start": r[5],
                "end": r[6],
                "value": r[7],
                "ref": str(r[8]),
            }
            for r in conn.execute(query)
        ]
    return build_history(person_rows, event_rows)
