"""An agency's inbox in the store: only its own releases, and a reason to decline."""

from __future__ import annotations

import pytest

from seen.errors import InvalidInput, NotFound
from seen.sharing.chronology import ask, view
from seen.sharing.inbox import inbox, respond
from seen.store import Store
from sharing.factories import NOW, linked_partnership


@pytest.fixture(autouse=True)
def partnership(store: Store) -> None:
    linked_partnership(store)
    request = ask(
        store,
        practitioner="dsl-ben",
        agency="northshire-schools",
        person_id="P0001",
        purpose="safeguarding",
        lawful_basis="uk-gdpr-6-1-e",
        justification=None,
        now=NOW,
    )
    view(store, request, NOW)


def test_the_inbox_holds_the_agencys_own_waiting_records_only(store: Store) -> None:
    (item,) = inbox(store, "northshire-police").waiting
    assert item.event.description == "Police incident: Domestic incident"
    assert (item.release.asked_by, item.asked_by_agency) == ("dsl-ben", "northshire-schools")
    assert inbox(store, "northshire-health").waiting == ()


def test_a_stranger_is_told_not_found_before_anything_about_the_answer(store: Store) -> None:
    (item,) = inbox(store, "northshire-police").waiting
    with pytest.raises(NotFound):
        respond(
            store, "northshire-health", item.release.id, approve=False, reason="", by="hv-dev",
            now=NOW,
        )  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        respond(
            store, "northshire-police", item.release.id, approve=False, reason=" ", by="pc-cara",
            now=NOW,
        )  # fmt: skip
    assert [p.field for p in caught.value.problems] == ["reason"]
    done = respond(
        store, "northshire-police", item.release.id, approve=False, reason="Investigation",
        by="pc-cara", now=NOW,
    )  # fmt: skip
    assert (done.release.status, done.release.reason) == ("declined", "Investigation")
    assert inbox(store, "northshire-police").answered == (done,)
