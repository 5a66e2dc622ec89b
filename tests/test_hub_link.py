"""Linking at the hub, end to end on a small synthetic partnership: encode at the agencies,
ingest the packages, link, review, link again. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from partnerships import encoded_partnership
from seen.encode import PartnershipKey
from seen.errors import InvalidInput, StoreError
from seen.hub_link import link_packages, link_store, link_store_incremental
from seen.package_ingest import ingest_package
from seen.store import Store
from seen.store.linkage import (
    current_people,
    latest_run_id,
    open_review_pairs,
    record_decision,
)
from seen.store.tables import link_runs

NOW = dt.datetime(2026, 3, 31, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("partnership")
    return encoded_partnership(root, PartnershipKey.generate(), children=300, seed=11).packages


@pytest.fixture
def loaded(store: Store, packages: list[Path]) -> Store:
    for path in packages:
        ingest_package(store, path)
    return store


def test_linking_the_hub_puts_every_record_in_a_person_and_saves_the_run(loaded: Store) -> None:
    summary = link_store(loaded)
    people = current_people(loaded)
    assert summary.run_id is not None and len(people) == summary.records > 0
    assert summary.people < summary.records  # records of one child at several agencies joined
    assert len({agency for agency, _, _ in people}) == 4


def test_linking_again_keeps_every_person_id(loaded: Store) -> None:
    link_store(loaded)
    first = current_people(loaded)
    link_store(loaded)
    assert current_people(loaded) == first


def test_a_run_saved_while_another_links_is_not_undone_by_it(loaded: Store) -> None:
    # The first run's people are about to be read when a second run is saved: the first
    # would put back people worked out before the second, so its save is refused.
    link_store(loaded)
    saved_meanwhile: list[int | None] = []

    def another_run_saves(_stage: str, _step: int, _steps: int) -> None:
        if not saved_meanwhile:
            saved_meanwhile.append(link_store(loaded).run_id)

    with pytest.raises(StoreError, match=r"saved while this run was linking.*link` again"):
        link_store(loaded, progress=another_run_saves)
    assert latest_run_id(loaded) == saved_meanwhile[0]
    people = current_people(loaded)
    assert link_store(loaded).run_id == saved_meanwhile[0] + 1  # linking again is accepted
    assert current_people(loaded) == people


def test_a_reviewers_non_match_separates_two_records_in_later_runs(loaded: Store) -> None:
    link_store(loaded)
    by_person: dict[str, list[tuple[str, str]]] = {}
    for agency, ref, person in current_people(loaded):
        by_person.setdefault(person, []).append((agency, ref))
    left, right = next(records for records in by_person.values() if len(records) == 2)
    record_decision(loaded, left, right, "non_match", "reviewer-1", "different children", NOW)
    link_store(loaded)
    person = {(a, r): p for a, r, p in current_people(loaded)}
    assert person[left] != person[right]
    # The decision is honoured again on the run after.
    link_store(loaded)
    person = {(a, r): p for a, r, p in current_people(loaded)}
    assert person[left] != person[right]


@pytest.fixture
def all_but_the_last(store: Store, packages: list[Path]) -> Store:
    for path in packages[:-1]:
        ingest_package(store, path)
    return store


def _partition(people: list[tuple[str, str, str]]) -> dict[tuple[str, str], frozenset[Any]]:
    """Each record's fellow records (its person's records, itself included)."""
    members: dict[str, set[tuple[str, str]]] = {}
    for agency, ref, person in people:
        members.setdefault(person, set()).add((agency, ref))
    return {(a, r): frozenset(members[p]) for a, r, p in people}


def test_an_incremental_run_links_new_records_and_leaves_untouched_people_as_they_were(
    all_but_the_last: Store, packages: list[Path]
) -> None:
    store = all_but_the_last
    link_store(store)
    before = {(a, r): p for a, r, p in current_people(store)}
    ingest_package(store, packages[-1])

    summary = link_store_incremental(store)

    after = {(a, r): p for a, r, p in current_people(store)}
    added = set(after) - set(before)
    assert summary.run_id is not None and summary.records == len(after)
    assert added and set(before) < set(after)  # every record, old and new, has a person
    joined = {after[key] for key in added}
    assert joined & {after[key] for key in before}  # new records joined existing people
    for key, person in before.items():  # people no new record joined: records and ids kept
        if after[key] not in joined:
            assert after[key] == person
    with store.engine.connect() as conn:
        kinds = conn.execute(select(link_runs.c.kind).order_by(link_runs.c.id)).scalars()
        assert list(kinds) == ["full", "incremental"]
    # A full run groups the new records much as the incremental one did.
    incremental = _partition(current_people(store))
    link_store(store)
    full = _partition(current_people(store))
    alike = sum(incremental[key] == full[key] for key in added)
    assert alike >= 0.95 * len(added)


def test_an_incremental_run_keeps_the_review_queue_of_the_run_before(
    all_but_the_last: Store, packages: list[Path]
) -> None:
    store = all_but_the_last
    link_store(store)
    queued = open_review_pairs(store)
    assert queued is not None and queued.pairs, "the partnership should leave pairs for review"
    ingest_package(store, packages[-1])
    link_store_incremental(store)
    after = open_review_pairs(store)
    assert after is not None and after.run_id == queued.run_id + 1
    assert {p.pair_id for p in queued.pairs} <= {p.pair_id for p in after.pairs}


def test_an_incremental_run_with_nothing_new_saves_nothing(loaded: Store) -> None:
    first = link_store(loaded)
    summary = link_store_incremental(loaded)
    assert summary.run_id is None and summary.pairs == 0
    assert summary.records == first.records and summary.people == first.people
    assert latest_run_id(loaded) == first.run_id


def test_an_incremental_run_needs_a_link_run_to_start_from(loaded: Store) -> None:
    with pytest.raises(InvalidInput, match=r"no link run yet.*run `seen link` first"):
        link_store_incremental(loaded)
    assert current_people(loaded) == []


def test_linking_packages_standalone_writes_pairs_and_people(
    packages: list[Path], tmp_path: Path
) -> None:
    summary = link_packages(packages, tmp_path / "linked")
    people = pq.read_table(tmp_path / "linked" / "people.parquet")
    pairs = pq.read_table(tmp_path / "linked" / "pairs.parquet")
    assert people.num_rows == summary.records
    assert {"match_probability", "match_weight", "needs_review"} <= set(pairs.column_names)
    assert not [c for c in pairs.column_names if c.startswith(("tok_", "bf_"))]


def test_a_damaged_package_among_those_linked_standalone_writes_nothing(
    packages: list[Path], tmp_path: Path
) -> None:
    """Packages are read one at a time as the run loads them; one that fails its checks,
    even the last, stops the run with its own message and no output."""
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(packages[-1].read_bytes()[:-200])
    with pytest.raises(InvalidInput, match=r"damaged\.zip"):
        link_packages([*packages[:-1], damaged], tmp_path / "linked")
    assert not (tmp_path / "linked").exists()
