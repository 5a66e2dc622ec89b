"""The young person's voice and young carer statements, as practitioner pages will read them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Connection

from concurrency import while_added_uncommitted
from seen.domain.agencies import AgencyKind
from seen.errors import InvalidInput, NotFound
from seen.sharing import voice
from seen.sharing.subject import latest_choices, my_records
from seen.store import Store
from sharing.factories import NOW, linked_partnership


@pytest.fixture(autouse=True)
def partnership(store: Store) -> None:
    linked_partnership(store)


def test_voice_entries_are_kept_in_order_and_only_about_their_own_records(store: Store) -> None:
    mine = my_records(store, "P0001", NOW)[0].event_id
    theirs = my_records(store, "P0002", NOW)[0].event_id
    voice.add_voice(store, "P0001", "  First.  ", None, NOW)
    voice.add_voice(store, "P0001", "About that.", mine, NOW)
    with pytest.raises(NotFound):
        voice.add_voice(store, "P0001", "Not mine.", theirs, NOW)
    with pytest.raises(InvalidInput):
        voice.add_voice(store, "P0001", "", None, NOW)
    with pytest.raises(InvalidInput):
        voice.add_voice(store, "P0001", "x" * 2001, None, NOW)
    said = voice.voice_entries(store, "P0001")
    assert [(e.text, e.about_event_id) for e in said] == [("First.", None), ("About that.", mine)]
    assert voice.voice_entries(store, "P0002") == []


def test_a_young_carer_statement_sets_who_may_know_and_can_be_taken_back(store: Store) -> None:
    assert voice.young_carer_statement(store, "P0001") is None
    voice.state_young_carer(store, "P0001", True, ["school", "health"], NOW)
    statement = voice.young_carer_statement(store, "P0001")
    assert statement is not None and statement.looks_after
    assert [k.value for k in statement.who_may_know] == ["school", "health"]
    latest = latest_choices(store, "P0001")
    assert {kind: latest[("young_carer", kind)].choice for kind in ("school", "police")} == {
        "school": "share",
        "police": "do_not_share",
    }
    voice.state_young_carer(store, "P0001", False, [], NOW)
    assert voice.young_carer_statement(store, "P0001").looks_after is False  # type: ignore[union-attr]
    assert latest_choices(store, "P0001")[("young_carer", "school")].choice == "do_not_share"


def test_saying_no_the_first_time_sets_no_choices(store: Store) -> None:
    voice.state_young_carer(store, "P0002", False, [], NOW)
    assert latest_choices(store, "P0002") == {}


def test_an_unknown_kind_of_agency_is_refused(store: Store) -> None:
    with pytest.raises(InvalidInput):
        voice.state_young_carer(store, "P0001", True, ["newspapers"], NOW)


def test_a_no_said_while_a_yes_is_being_saved_takes_the_yes_sharing_back(store: Store) -> None:
    """Two tabs: a "no" sent while a "yes" is being saved waits for it (on PostgreSQL it could
    not see it), so the "no" takes back the sharing the "yes" set."""

    def say_yes(conn: Connection) -> None:
        voice._state_young_carer_in(conn, "P0001", True, (AgencyKind.SCHOOL,), NOW)

    def say_no() -> None:
        voice.state_young_carer(store, "P0001", False, [], NOW + dt.timedelta(seconds=1))

    assert while_added_uncommitted(store, say_yes, say_no) == "done"
    assert voice.young_carer_statement(store, "P0001").looks_after is False  # type: ignore[union-attr]
    assert latest_choices(store, "P0001")[("young_carer", "school")].choice == "do_not_share"
