"""The break-glass review queue's rules, below the pages: who sees which requests, how many
records each showed, and a review kept with its audit entry or not at all."""

from __future__ import annotations

import json
from typing import Any

import pytest

from concurrency import race
from seen.audit.log import AuditWriteError, stream_entries, tree_size
from seen.errors import NotFound
from seen.sharing.break_glass import (
    break_glass_request,
    break_glass_requests,
    review_break_glass,
)
from seen.sharing.chronology import ask, view
from seen.store import Store
from seen.store.tables import sharing_requests
from sharing.factories import NOW, linked_partnership

ADMIN: dict[str, Any] = {"agency": None, "viewer": "admin-rosa", "now": NOW}


@pytest.fixture
def ids(store: Store) -> dict[str, str]:
    linked_partnership(store)
    made = {}
    missing, disclosure = "Child missing overnight, police searching", "Disclosure of harm today"
    for name, practitioner, agency, person, justification in [
        ("council", "sw-amara", "northshire-council", "P0001", missing),
        ("school", "dsl-ben", "northshire-schools", "P0002", disclosure),
        ("ordinary", "sw-amara", "northshire-council", "P0001", None),
    ]:  # fmt: skip
        request = ask(
            store,
            practitioner=practitioner,
            agency=agency,
            person_id=person,
            purpose="safeguarding",
            lawful_basis="dpa-2018-sch1-para18",
            justification=justification,
            now=NOW,
        )
        view(store, request, NOW)
        made[name] = request.id
    return made


def test_only_requests_with_a_justification_are_queued(store: Store, ids: dict[str, str]) -> None:
    queued = {r.id for r in break_glass_requests(store, agency=None, viewer="admin-rosa", now=NOW)}
    assert queued == {ids["council"], ids["school"]}


@pytest.mark.parametrize(
    ("agency", "sees"),
    [
        ("northshire-council", {"council"}),  # its own practitioner's
        ("northshire-schools", {"council", "school"}),  # its own, and a child it holds
        ("northshire-health", {"council"}),  # health holds a record of P0001 only
    ],
)
def test_a_dpo_sees_their_agencys_requests_and_those_about_children_it_holds(
    store: Store, ids: dict[str, str], agency: str, sees: set[str]
) -> None:
    found = {r.id for r in break_glass_requests(store, agency=agency, viewer="dpo", now=NOW)}
    assert found == {ids[name] for name in sees}
    for name in set(ids) - sees:
        with pytest.raises(NotFound):
            break_glass_request(store, ids[name], agency=agency, viewer="dpo", now=NOW)


def test_a_review_the_log_cannot_record_is_not_kept(
    store: Store, ids: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise AuditWriteError("the log is unavailable")

    monkeypatch.setattr("seen.sharing.break_glass.append_in", broken)
    before = tree_size(store)
    with pytest.raises(AuditWriteError):
        review_break_glass(
            store,
            ids["council"],
            agency=None,
            reviewer="admin-rosa",
            outcome="appropriate",
            notes="Fine",
            now=NOW,
        )
    assert tree_size(store) == before
    monkeypatch.undo()
    assert break_glass_request(store, ids["council"], **ADMIN).review is None


def test_two_reviews_of_one_request_at_the_same_moment_keep_only_the_first(
    store: Store, ids: dict[str, str]
) -> None:
    reviews = [
        lambda o=o: review_break_glass(
            store,
            ids["council"],
            agency=None,
            reviewer="admin-rosa",
            outcome=o,
            notes="Checked",
            now=NOW,
        )
        for o in ("appropriate", "not_appropriate")
    ]
    assert race(store, sharing_requests.c.id, ids["council"], reviews) == ["InvalidInput", "done"]
    kinds = [json.loads(entry)["kind"] for _, entry, _ in stream_entries(store)]
    assert kinds.count("break_glass_review") == 1


def looks(store: Store) -> list[dict[str, Any]]:
    found = [json.loads(entry) for _, entry, _ in stream_entries(store)]
    return [e for e in found if e["kind"] == "review_view"]


def test_every_request_shown_is_recorded_first_by_ids_and_codes(
    store: Store, ids: dict[str, str]
) -> None:
    queue = break_glass_requests(store, agency="northshire-schools", viewer="dpo-s", now=NOW)
    recorded = looks(store)
    assert {(e["request"], e["person"]) for e in recorded} == {(r.id, r.person_id) for r in queue}
    assert {(e["actor"], e["actor_agency"]) for e in recorded} == {("dpo-s", "northshire-schools")}
    assert {tuple(e["reasons"]) for e in recorded} == {("break_glass_queue",)}
    one = break_glass_request(store, ids["school"], **ADMIN)
    (last,) = looks(store)[len(recorded) :]
    assert (last["actor"], last["request"], last["person"]) == ("admin-rosa", one.id, "P0002")
    assert "actor_agency" not in last and last["reasons"] == ["break_glass_request"]
    text = b"".join(entry for _, entry, _ in stream_entries(store))
    assert b"Disclosure" not in text and b"overnight" not in text


def test_a_request_not_theirs_is_not_recorded_as_looked_at(
    store: Store, ids: dict[str, str]
) -> None:
    before = tree_size(store)
    with pytest.raises(NotFound):
        break_glass_request(store, ids["school"], agency="northshire-council", viewer="d", now=NOW)
    assert tree_size(store) == before


def test_nothing_is_returned_when_the_log_cannot_record_the_look(
    store: Store, ids: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise AuditWriteError("the log is unavailable")

    monkeypatch.setattr("seen.sharing.break_glass.append", broken)
    with pytest.raises(AuditWriteError):
        break_glass_requests(store, **ADMIN)
    with pytest.raises(AuditWriteError):
        break_glass_request(store, ids["council"], **ADMIN)
