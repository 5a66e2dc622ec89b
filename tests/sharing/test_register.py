"""Changing the register from the pages and the API (seen.sharing.register)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select, update

from seen.domain.agreements import agreements_from_document
from seen.domain.sharing import AgreementStatus
from seen.errors import InvalidInput
from seen.sharing.register import move_agreement
from seen.store import Store, write_transaction
from seen.store.governance import import_agreements, list_agreements
from seen.store.tables import agreements

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "agreements.yaml"
NOW = dt.datetime(2026, 11, 22, 10, tzinfo=dt.UTC)
REF = "ISA-NS-SAFEGUARDING"


@pytest.fixture
def registered(store: Store) -> Store:
    found, problems = agreements_from_document(yaml.safe_load(EXAMPLE.read_text()), "x.yaml")
    assert problems == []
    import_agreements(store, found, "x.yaml", "partnership manager", NOW)
    return store


def test_a_move_refused_for_a_reason_of_the_form_names_the_field(registered: Store) -> None:
    with pytest.raises(InvalidInput) as refused:
        move_agreement(registered, REF, "reinstate", " ", by="dpo", now=NOW)
    assert {problem.field for problem in refused.value.problems} == {"action", "reason"}


def test_a_move_overtaken_by_another_says_what_the_agreement_now_is(registered: Store) -> None:
    """The form's check passes on the status read first; the write, which checks again with
    the row locked, finds another administrator's move committed meanwhile."""
    refusal: list[InvalidInput] = []

    def suspend() -> None:
        try:
            move_agreement(registered, REF, "suspend", "breach", by="dpo", now=NOW)
        except InvalidInput as error:
            refusal.append(error)

    mover = threading.Thread(target=suspend)
    with write_transaction(registered) as conn:
        conn.execute(select(agreements.c.id).where(agreements.c.ref == REF).with_for_update())
        conn.execute(update(agreements).where(agreements.c.ref == REF).values(status="expired"))
        mover.start()
        time.sleep(0.5)  # time to read the status before this commits, and wait for the row
    mover.join(30)
    (error,) = refusal
    (problem,) = error.problems
    assert problem.field == "action"
    assert problem.message.endswith("it is expired")
    (entry,) = list_agreements(registered, REF)
    assert entry.agreement.status is AgreementStatus.EXPIRED
