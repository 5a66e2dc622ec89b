"""The governance register on both backends: agreements imported whole and never edited,
status moves kept with who and why, relationships in time, and the young person's choices
kept as a history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Connection, insert, select

from concurrency import race, while_added_uncommitted
from seen.domain.agreements import agreements_from_document
from seen.domain.sharing import AgreementStatus, Choice
from seen.errors import InvalidInput, NotFound
from seen.store import Store
from seen.store.engine import write_transaction
from seen.store.governance import (
    PreferenceRecord,
    _row,
    add_practitioner,
    add_relationship,
    change_status,
    end_relationship,
    import_agreements,
    list_agreements,
    preference_history,
    record_preference,
    related_practitioners,
)
from seen.store.tables import agencies, agreements, practitioners
from seen.store.writes import insert_agency

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "agreements.yaml"
NOW = dt.datetime(2026, 11, 22, 10, tzinfo=dt.UTC)


def imported(store: Store) -> None:
    found, problems = agreements_from_document(yaml.safe_load(EXAMPLE.read_text()), "x.yaml")
    assert problems == []
    import_agreements(store, found, "x.yaml", "partnership manager", NOW)


def test_imported_agreements_read_back_with_every_term(store: Store) -> None:
    found, _ = agreements_from_document(yaml.safe_load(EXAMPLE.read_text()), "x.yaml")
    import_agreements(store, found, "x.yaml", "partnership manager", NOW)
    registered = list_agreements(store)
    assert {r.agreement.ref: r.agreement for r in registered} == {a.ref: a for a in found}
    assert all(r.in_force(NOW) for r in registered)
    assert registered[0].history[0].reason == "imported from x.yaml"


def test_a_registered_reference_is_refused_and_nothing_is_imported(store: Store) -> None:
    imported(store)
    found, _ = agreements_from_document(yaml.safe_load(EXAMPLE.read_text()), "again.yaml")
    with pytest.raises(InvalidInput, match="already registered"):
        import_agreements(store, found, "again.yaml", "someone", NOW)
    assert len(list_agreements(store)) == 2


def test_an_agreement_registered_by_someone_else_meanwhile_is_refused_with_its_reference(
    store: Store,
) -> None:
    """On PostgreSQL the check for a registered reference cannot see another import's
    uncommitted agreement; the unique key's refusal then reads as the check's would."""
    found, _ = agreements_from_document(yaml.safe_load(EXAMPLE.read_text()), "x.yaml")
    first = found[0]

    def register_first(conn: Connection) -> None:
        conn.execute(insert(agreements).values(**_row(first), imported_at=NOW))

    def import_all() -> None:
        try:
            import_agreements(store, found, "x.yaml", "partnership manager", NOW)
        except InvalidInput as refused:
            assert [p.message for p in refused.problems] == [f"{first.ref!r} is already registered"]
            raise

    assert while_added_uncommitted(store, register_first, import_all) == "InvalidInput"
    assert [r.agreement.ref for r in list_agreements(store)] == [first.ref]  # none of the file


def test_a_practitioner_added_twice_at_once_is_refused_the_second_time(store: Store) -> None:
    with write_transaction(store) as conn:
        insert_agency(conn, "northshire-council", "childrens_services", NOW)
        agency_id = conn.execute(select(agencies.c.id)).scalar_one()

    def add_first(conn: Connection) -> None:
        conn.execute(
            insert(practitioners).values(
                ref="sw-0042", agency_id=agency_id, roles=["social_worker"], active=True
            )
        )

    def add_again() -> None:
        add_practitioner(store, "sw-0042", "northshire-council", ["social_worker"])

    assert while_added_uncommitted(store, add_first, add_again) == "InvalidInput"


def test_status_moves_are_kept_with_who_and_why(store: Store) -> None:
    imported(store)
    change_status(store, "ISA-NS-POLICE-SCHOOLS", AgreementStatus.SUSPENDED, "breach", "dpo", NOW)
    later = NOW + dt.timedelta(days=1)
    change_status(store, "ISA-NS-POLICE-SCHOOLS", AgreementStatus.ACTIVE, "resolved", "dpo", later)
    change_status(store, "ISA-NS-POLICE-SCHOOLS", AgreementStatus.EXPIRED, "replaced", "dpo", later)
    entry = next(r for r in list_agreements(store) if r.agreement.ref == "ISA-NS-POLICE-SCHOOLS")
    assert [(c.status, c.reason) for c in entry.history] == [
        (AgreementStatus.ACTIVE, "imported from x.yaml"),
        (AgreementStatus.SUSPENDED, "breach"),
        (AgreementStatus.ACTIVE, "resolved"),
        (AgreementStatus.EXPIRED, "replaced"),
    ]
    assert not entry.in_force(later)


@pytest.mark.parametrize(
    ("status", "reason", "error"),
    [
        (AgreementStatus.EXPIRED, " ", InvalidInput),
        (AgreementStatus.DRAFT, "back to draft", InvalidInput),
        (AgreementStatus.ACTIVE, "already active", InvalidInput),
    ],
)
def test_moves_the_register_does_not_allow_are_refused(
    store: Store, status: AgreementStatus, reason: str, error: type[Exception]
) -> None:
    imported(store)
    with pytest.raises(error):
        change_status(store, "ISA-NS-SAFEGUARDING", status, reason, "dpo", NOW)
    assert list_agreements(store)[1].agreement.status is AgreementStatus.ACTIVE


def test_an_expired_agreement_stays_expired(store: Store) -> None:
    imported(store)
    change_status(store, "ISA-NS-SAFEGUARDING", AgreementStatus.EXPIRED, "ended", "dpo", NOW)
    with pytest.raises(InvalidInput, match="cannot become active"):
        change_status(store, "ISA-NS-SAFEGUARDING", AgreementStatus.ACTIVE, "again", "dpo", NOW)


def test_two_moves_of_one_agreement_at_the_same_moment_apply_only_the_first(
    store: Store,
) -> None:
    imported(store)
    ref = "ISA-NS-SAFEGUARDING"
    moves = [
        lambda why=why: change_status(store, ref, AgreementStatus.SUSPENDED, why, "dpo", NOW)
        for why in ("breach", "audit")
    ]
    assert race(store, agreements.c.ref, ref, moves) == ["InvalidInput", "done"]
    (entry,) = list_agreements(store, ref)
    assert [c.status for c in entry.history] == [
        AgreementStatus.ACTIVE,
        AgreementStatus.SUSPENDED,
    ]


def test_an_unknown_agreement_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        change_status(store, "ISA-NONE", AgreementStatus.EXPIRED, "why", "dpo", NOW)


def test_relationships_hold_from_their_start_until_they_end(store: Store) -> None:
    with write_transaction(store) as conn:
        insert_agency(conn, "northshire-council", "childrens_services", NOW)
    add_practitioner(store, "sw-0042", "northshire-council", ["social_worker"])
    add_relationship(store, "sw-0042", "P000123", "allocated social worker", NOW)
    assert related_practitioners(store, "P000123", NOW - dt.timedelta(seconds=1)) == set()
    assert related_practitioners(store, "P000123", NOW) == {"sw-0042"}
    end_relationship(store, "sw-0042", "P000123", NOW + dt.timedelta(days=5))
    assert related_practitioners(store, "P000123", NOW + dt.timedelta(days=6)) == set()
    with pytest.raises(NotFound):
        end_relationship(store, "sw-0042", "P000123", NOW + dt.timedelta(days=7))
    with pytest.raises(NotFound):
        add_practitioner(store, "pc-1", "no-such-agency", ["police_officer"])


def test_choices_are_kept_as_a_history(store: Store) -> None:
    first = PreferenceRecord(
        "P000123", "health", "police", Choice.DO_NOT_SHARE, NOW, "P000123", "self_service", "v1"
    )
    second = PreferenceRecord(
        "P000123",
        "health",
        "police",
        Choice.ASK_FIRST,
        NOW + dt.timedelta(days=1),
        "sw-0042",
        "in_person",
        "v1",
    )
    record_preference(store, second)
    record_preference(store, first)
    assert preference_history(store, "P000123") == [first, second]
    assert preference_history(store, "P999999") == []


@pytest.mark.parametrize(
    "day", [dt.date(2025, 12, 31), dt.date(2026, 1, 1), dt.date(2028, 12, 31), dt.date(2029, 1, 1)]
)
def test_the_policy_sees_a_registered_agreement_in_force_exactly_when_the_register_does(
    store: Store, day: dt.date
) -> None:
    from seen.policy.world import agreement_from_register

    imported(store)
    entry = next(r for r in list_agreements(store) if r.agreement.ref == "ISA-NS-SAFEGUARDING")
    for moment in (dt.time(0, 0), dt.time(23, 59, 59)):
        at = dt.datetime.combine(day, moment, dt.UTC)
        assert agreement_from_register(entry.agreement).in_force(at) == entry.in_force(at)


def test_each_choice_is_also_an_entry_in_the_audit_log(store: Store) -> None:
    import json

    from seen.audit.log import stream_entries

    record_preference(
        store,
        PreferenceRecord(
            "P000123", "*", "police", Choice.ASK_FIRST, NOW, "P000123", "self_service", "v1"
        ),
    )
    [(_, entry, _)] = list(stream_entries(store))
    logged = json.loads(entry)
    assert logged["kind"] == "preference_change" and logged["preference"] == "ask_first"
    assert (logged["person"], logged["category"], logged["recipient_kind"]) == (
        "P000123",
        "all",
        "police",
    )


def test_a_choice_the_log_cannot_hold_is_not_kept(store: Store) -> None:
    from seen.errors import InvalidInput

    with pytest.raises(InvalidInput):
        record_preference(
            store,
            PreferenceRecord(
                "P000123", "health", "police", Choice.SHARE, NOW, "Jo Bloggs", "in_person", "v1"
            ),
        )
    assert preference_history(store, "P000123") == []
