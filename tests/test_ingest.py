"""Ingest: all of an extract or none of it, once, and nothing personal kept."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, inspect, select
from sqlalchemy.exc import OperationalError

from concurrency import race, while_added_uncommitted
from seen.domain.agencies import AgencyKind
from seen.domain.demographics import Demographics, Sex
from seen.domain.events import Event, EventKind
from seen.domain.records import Problem
from seen.errors import InvalidInput, StoreError
from seen.formats.extract import RejectedRow
from seen.ingest import ingest_extract
from seen.store import Store, write_transaction, writes
from seen.store.tables import agencies, events, records
from store import factories

COUNCIL = "northshire-council"
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
HOSTILE = "O'Brien); DROP TABLE events;--"


def test_an_ingest_stores_records_and_events(store: Store) -> None:
    extract = factories.children_extract(people=5, events_each=3)
    report = ingest_extract(store, COUNCIL, extract)

    assert (report.agency, report.kind, report.already_ingested) == (
        COUNCIL,
        AgencyKind.CHILDRENS_SERVICES,
        False,
    )
    assert (report.records_new, report.records_updated) == (5, 0)
    assert (report.events_new, report.events_already_held, report.rejected_rows) == (15, 0, 0)
    assert report.files == tuple(extract.files)
    assert report.run_id is not None
    dump = factories.dump(store)
    assert len(dump["records"]) == 5
    assert len(dump["events"]) == 15
    with store.engine.connect() as conn:
        row = conn.execute(select(records).where(records.c.record_ref == "CS000003")).one()
        stored = conn.execute(select(events).where(events.c.record_id == row.id)).all()
    assert (row.sex, row.ethnicity, row.birth_month, row.deprivation_decile) == (
        "F",
        "MWBC",
        factories.demographics(3).birth_month,
        4,
    )
    assert row.first_run_id == row.last_run_id == report.run_id
    expected = {e.identity_key(COUNCIL, "CS000003"): e for e in extract.records["CS000003"].events}
    assert {e.event_key for e in stored} == set(expected)
    for e in stored:
        original = expected[e.event_key]
        assert (e.kind, e.start_date, e.end_date, e.code, e.source_ref) == (
            original.kind.value,
            original.start,
            original.end,
            original.code,
            original.source_ref,
        )


def test_a_new_agency_takes_the_kind_given(store: Store) -> None:
    extract = factories.children_extract()
    extract.agency_kind = None
    report = ingest_extract(store, COUNCIL, extract, kind=AgencyKind.CHILDRENS_SERVICES)
    assert report.kind is AgencyKind.CHILDRENS_SERVICES


def test_a_new_agency_of_unknown_kind_is_refused(store: Store) -> None:
    extract = factories.children_extract()
    extract.agency_kind = None
    before = factories.dump(store)
    with pytest.raises(InvalidInput, match="kind"):
        ingest_extract(store, COUNCIL, extract)
    assert factories.dump(store) == before


def test_an_agency_cannot_change_kind(store: Store) -> None:
    ingest_extract(store, COUNCIL, factories.children_extract(tag="a"))
    before = factories.dump(store)
    police = factories.extract(
        [factories.record(1, [Event(EventKind.POLICE_INCIDENT, dt.date(2024, 1, 5), code="ASB")])],
        kind=AgencyKind.POLICE,
        tag="police",
    )
    with pytest.raises(InvalidInput, match="registered as Children's services"):
        ingest_extract(store, COUNCIL, police)
    with pytest.raises(InvalidInput):
        ingest_extract(store, COUNCIL, factories.children_extract(tag="b"), kind=AgencyKind.SCHOOL)
    assert factories.dump(store) == before


def test_a_kind_that_contradicts_the_files_is_refused(store: Store) -> None:
    with pytest.raises(InvalidInput, match="look like"):
        ingest_extract(store, COUNCIL, factories.children_extract(), kind=AgencyKind.POLICE)
    assert factories.row_counts(store)["agencies"] == 0


@pytest.mark.parametrize(
    "name",
    ["x'); DROP TABLE events;--", "", "Northshire", "a", "north shire", "-north", "x" * 64],
)
def test_a_bad_agency_name_is_refused(store: Store, name: str) -> None:
    before = factories.dump(store)
    with pytest.raises(InvalidInput, match="agency name"):
        ingest_extract(store, name, factories.children_extract())
    assert factories.dump(store) == before


def test_an_extract_with_problems_imports_nothing(store: Store) -> None:
    ingest_extract(store, COUNCIL, factories.children_extract(tag="earlier"))
    before = factories.dump(store)
    problems = [
        Problem("children.csv", "row 4", "DOB", "is not a date"),
        Problem("children.csv", "row 9", "ETHNIC", "is not a DfE ethnicity code"),
    ]
    extract = factories.extract(
        [factories.record(n, factories.cin_events(n, 2)) for n in range(10, 14)],
        problems=problems,
        rejected=[RejectedRow("children.csv", "row 4", "CS000099", ("DOB: is not a date",))],
        tag="later",
    )
    with pytest.raises(InvalidInput, match="imports nothing") as caught:
        ingest_extract(store, COUNCIL, extract)
    assert caught.value.problems == problems
    assert factories.dump(store) == before


def test_an_extract_with_problems_is_refused_even_when_rows_were_rejected(
    store: Store,
) -> None:
    # Rows are rejected at the agency; an extract still carrying problems never loads.
    extract = factories.extract(
        [factories.record(n, factories.cin_events(n, 2)) for n in range(3)],
        problems=[Problem("children.csv", "row 5", "DOB", "is not a date")],
        rejected=[RejectedRow("children.csv", "row 5", "CS000099", ("DOB: is not a date",))],
    )
    before = factories.dump(store)
    with pytest.raises(InvalidInput, match="imports nothing"):
        ingest_extract(store, COUNCIL, extract)
    assert factories.dump(store) == before


def test_reingesting_the_same_extract_changes_nothing(store: Store) -> None:
    extract = factories.children_extract(people=6, events_each=4)
    ingest_extract(store, COUNCIL, extract)
    before = factories.dump(store)

    again = ingest_extract(store, COUNCIL, extract)

    assert again.already_ingested
    assert (again.records_new, again.events_new, again.events_already_held) == (0, 0, 24)
    assert again.run_id is None
    assert factories.dump(store) == before  # not even an ingest run row


def test_the_same_events_in_a_new_file_are_not_stored_twice(store: Store) -> None:
    ingest_extract(store, COUNCIL, factories.children_extract(people=3, tag="a"))
    before = factories.dump(store)
    report = ingest_extract(store, COUNCIL, factories.children_extract(people=3, tag="b"))
    assert not report.already_ingested
    assert (report.records_new, report.records_updated, report.events_new) == (0, 0, 0)
    assert report.events_already_held == 9
    after = factories.dump(store)
    assert after["events"] == before["events"]
    assert len(after["ingest_runs"]) == 2  # a new file was read, and that is recorded


def test_an_overlapping_extract_adds_only_the_new_events(store: Store) -> None:
    first = factories.children_extract(people=5, events_each=3, tag="spring")
    ingest_extract(store, COUNCIL, first)
    # The same five people with two more events each, one of them with new demographics,
    # and two new people.
    people = [factories.record(n, factories.cin_events(n, 5)) for n in range(7)]
    people[0] = dataclasses.replace(
        people[0], demographics=Demographics(Sex.MALE, "WOTH", "2008-01", 3)
    )
    second = factories.extract(people, tag="summer")

    report = ingest_extract(store, COUNCIL, second)

    assert (report.records_new, report.records_updated) == (2, 1)
    assert (report.events_new, report.events_already_held) == (20, 15)
    dump = factories.dump(store)
    assert len(dump["events"]) == 35
    assert len(dump["records"]) == 7
    with store.engine.connect() as conn:
        zero = conn.execute(select(records).where(records.c.record_ref == "CS000000")).one()
    assert (zero.ethnicity, zero.deprivation_decile) == ("WOTH", 3)
    assert zero.first_run_id != zero.last_run_id == report.run_id


def test_repeated_events_within_one_extract_are_stored_once(store: Store) -> None:
    event = Event(EventKind.CIN_REFERRAL, dt.date(2024, 3, 1), code="6")
    extract = factories.extract([factories.record(1, [event, event, event])])
    report = ingest_extract(store, COUNCIL, extract)
    assert (report.events_new, report.events_already_held) == (1, 2)


@pytest.mark.parametrize("already_held", [False, True], ids=["new-agency", "existing-agency"])
def test_a_failure_half_way_through_the_events_leaves_the_store_as_it_was(
    store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, already_held: bool
) -> None:
    if already_held:
        ingest_extract(store, COUNCIL, factories.children_extract(people=3, tag="earlier"))
    before = factories.dump(store)
    real_insert = writes.insert_events
    calls: list[int] = []

    def fail_on_second_chunk(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        real_insert(conn, rows)

    monkeypatch.setattr(writes, "CHUNK_SIZE", 10)
    monkeypatch.setattr(writes, "insert_events", fail_on_second_chunk)
    with pytest.raises(RuntimeError, match="disk on fire"):
        ingest_extract(
            store,
            COUNCIL,
            factories.extract(
                [factories.record(n, factories.cin_events(n, 6)) for n in range(8)],
                tag="later",
            ),
        )

    assert calls == [10, 10]  # the first chunk was written before the failure
    assert factories.dump(store) == before


def test_a_database_failure_is_a_store_error_and_changes_nothing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
        raise OperationalError("INSERT ...", {"record_ref": "CS000001"}, Exception("disk full"))

    monkeypatch.setattr(writes, "insert_events", refuse)
    with pytest.raises(StoreError, match="nothing was changed: disk full") as caught:
        ingest_extract(store, COUNCIL, factories.children_extract())
    assert "CS000001" not in caught.value.message
    assert factories.row_counts(store)["agencies"] == 0


def test_sql_in_references_is_stored_verbatim_and_harms_nothing(store: Store) -> None:
    event = Event(
        EventKind.CIN_REFERRAL, dt.date(2024, 4, 1), code="2A", source_ref=HOSTILE + " ref"
    )
    extract = factories.extract([factories.record(1, [event], ref=HOSTILE), factories.record(2)])
    report = ingest_extract(store, COUNCIL, extract)

    assert (report.records_new, report.events_new) == (2, 1)
    assert {"agencies", "ingest_runs", "records", "events"} <= set(
        inspect(store.engine).get_table_names()
    )
    with store.engine.connect() as conn:
        row = conn.execute(select(records).where(records.c.record_ref == HOSTILE)).one()
        stored = conn.execute(select(events).where(events.c.record_id == row.id)).one()
    assert stored.source_ref == HOSTILE + " ref"
    assert stored.event_key == event.identity_key(COUNCIL, HOSTILE)
    # And it is found again on the next ingest, so nothing is duplicated.
    again = ingest_extract(store, COUNCIL, factories.extract(extract.records.values(), tag="x"))
    assert (again.records_new, again.events_new) == (0, 0)


@pytest.mark.parametrize("which", ["nhs_number", "upn", "postcode"])
def test_a_reference_carrying_an_identifier_is_refused(store: Store, which: str) -> None:
    person = factories.record(4)
    leaked = getattr(person.identity, which)
    person.record_id = f"X-{leaked}"
    with pytest.raises(InvalidInput, match="must not") as caught:
        ingest_extract(store, COUNCIL, factories.extract([person, factories.record(5)]))
    assert [p.field for p in caught.value.problems] == ["record_id"]
    assert leaked not in str(caught.value.problems)
    assert factories.row_counts(store)["agencies"] == 0


def test_an_overlong_reference_is_refused(store: Store) -> None:
    with pytest.raises(InvalidInput):
        ingest_extract(store, COUNCIL, factories.extract([factories.record(1, ref="R" * 101)]))


def test_progress_counts_the_events_written(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writes, "CHUNK_SIZE", 4)
    seen: list[tuple[int, int]] = []
    ingest_extract(
        store,
        COUNCIL,
        factories.children_extract(people=3, events_each=3),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(0, 9), (4, 9), (8, 9), (9, 9)]


def test_the_log_carries_counts_and_the_agency_only(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    extract = factories.children_extract(people=4, events_each=2)
    with caplog.at_level(logging.DEBUG, logger="seen"):
        ingest_extract(store, COUNCIL, extract)
    assert COUNCIL in caplog.text
    assert "events_new=8" in caplog.text
    for secret in factories.identity_strings(extract) | set(extract.records):
        assert secret not in caplog.text


@pytest.mark.slow
def test_a_hundred_thousand_events_load_in_one_go(store: Store) -> None:
    extract = factories.children_extract(people=5_000, events_each=20)
    report = ingest_extract(store, COUNCIL, extract)
    assert (report.records_new, report.events_new) == (5_000, 100_000)
    again = ingest_extract(store, COUNCIL, factories.children_extract(5_000, 20, tag="again"))
    assert (again.events_new, again.events_already_held) == (0, 100_000)


def test_the_same_extract_ingested_twice_at_once_is_stored_once(store: Store) -> None:
    """Two ingests of one agency at the same moment take turns: on PostgreSQL the second
    waits for the first's lock on the agency, then finds its files already held."""
    extract = factories.children_extract(people=5, events_each=3)
    with write_transaction(store) as conn:
        writes.insert_agency(conn, COUNCIL, AgencyKind.CHILDRENS_SERVICES.value, NOW)
    reports: list[Any] = []
    attempts = [lambda: reports.append(ingest_extract(store, COUNCIL, extract)) for _ in "ab"]
    assert race(store, agencies.c.name, COUNCIL, attempts) == ["done", "done"]
    assert sorted(r.already_ingested for r in reports) == [False, True]
    assert len(factories.dump(store)["events"]) == 15


def test_a_new_agency_registered_by_another_ingest_meanwhile_is_ingested_into(
    store: Store,
) -> None:
    """PostgreSQL: the second ingest cannot see the first's uncommitted agency; it waits for
    it rather than failing on the agency's unique name."""
    extract = factories.children_extract(people=2, events_each=1)

    def register(conn: Connection) -> None:
        writes.insert_agency(conn, COUNCIL, AgencyKind.CHILDRENS_SERVICES.value, NOW)

    def ingest() -> None:
        ingest_extract(store, COUNCIL, extract)

    assert while_added_uncommitted(store, register, ingest) == "done"
    assert len(factories.dump(store)["records"]) == 2
