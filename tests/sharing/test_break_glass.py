"""The break-glass review queue's rules, below the pages: who sees which requests, how many
records each showed, and a review kept with its audit entry or not at all."""

from __future__ import annotations

import pytest

from seen.audit.log import AuditWriteError, tree_size
from seen.errors import NotFound
from seen.sharing.break_glass import break_glass_request, break_glass_requests, review_break_glass
from seen.sharing.chronology import ask, view
from seen.store import Store
from sharing.factories import NOW, linked_partnership


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
    queued = {r.id for r in break_glass_requests(store, agency=None)}
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
    found = {r.id for r in break_glass_requests(store, agency=agency)}
    assert found == {ids[name] for name in sees}
    for name in set(ids) - sees:
        with pytest.raises(NotFound):
            break_glass_request(store, ids[name], agency=agency)


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
    assert break_glass_request(store, ids["council"], agency=None).review is None
    assert tree_size(store) == before
