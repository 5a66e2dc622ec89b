"""Who else is involved with a child: agencies and current contacts, never content; only for
an agency that holds a record of the child; recorded before it is returned."""

from __future__ import annotations

import datetime as dt

import pytest

from seen.audit.log import AuditWriteError, tree_size
from seen.domain.sharing import Role
from seen.errors import NotFound
from seen.sharing.involvement import Contact, find_child, open_child
from seen.store import Store
from seen.store.governance import end_relationship
from sharing.factories import NOW, linked_partnership


@pytest.fixture(autouse=True)
def partnership(store: Store) -> None:
    linked_partnership(store)


def test_contacts_are_those_working_with_the_child_now(store: Store) -> None:
    end_relationship(store, "pc-cara", "P0001", NOW - dt.timedelta(days=1))
    page = open_child(
        store, practitioner="dsl-ben", agency="northshire-schools", person_id="P0001", now=NOW
    )
    assert page.references == ("S-2001",)
    contacts = {other.name: other.contacts for other in page.others}
    assert contacts == {
        "northshire-council": (Contact("sw-amara", (Role.SOCIAL_WORKER,)),),
        "northshire-health": (),
        "northshire-police": (),  # her relationship has ended: ask for the safeguarding lead
    }


def test_only_an_agency_holding_a_record_finds_or_opens_the_child(store: Store) -> None:
    assert find_child(store, "northshire-schools", "S-2002") == "P0002"
    assert find_child(store, "northshire-council", "S-2002") is None
    assert find_child(store, "northshire-council", "x" * 500) is None
    before = tree_size(store)
    with pytest.raises(NotFound):
        open_child(
            store, practitioner="sw-amara", agency="northshire-council", person_id="P0002", now=NOW
        )
    assert tree_size(store) == before


def test_nothing_is_returned_when_the_log_cannot_record_the_view(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise AuditWriteError("the log is unavailable")

    monkeypatch.setattr("seen.sharing.involvement.append", broken)
    with pytest.raises(AuditWriteError):
        open_child(
            store, practitioner="sw-amara", agency="northshire-council", person_id="P0001", now=NOW
        )
