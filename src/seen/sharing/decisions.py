"""Decision tracking: the decision a practitioner took after reading a chronology and why,
and later what came of it (docs/web.md, "A practitioner's journeys").

The practitioner's reason and note are their own words, so they stay in `case_decisions`;
the audit log records who decided what, for which request and child, by code only
(`case_decision` and `case_outcome` entries), in the same transaction as the row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from seen.audit.entry import AuditEntry, EntryKind
from seen.audit.log import append_in
from seen.domain.decisions import CaseDecision, CaseOutcome, written_problems
from seen.domain.records import Problem
from seen.errors import InvalidInput, NotFound
from seen.sharing.chronology import SharingRequest
from seen.store import Store, write_transaction
from seen.store.tables import case_decisions, practitioners

NO_SUCH_DECISION = "no such decision waiting for its outcome"


@dataclass(frozen=True, slots=True)
class TrackedDecision:
    id: int
    request_id: str
    practitioner: str
    person_id: str
    decision: CaseDecision
    reason: str
    decided_at: dt.datetime
    outcome: CaseOutcome | None
    outcome_note: str | None
    outcome_on: dt.date | None
    outcome_recorded_at: dt.datetime | None


def record_decision(
    store: Store,
    request: SharingRequest,
    *,
    agency: str,
    decision: str,
    reason: str,
    now: dt.datetime,
) -> TrackedDecision:
    """Record the decision the practitioner who made `request` took, with their reason;
    every problem is reported at once (InvalidInput)."""
    problems = []
    if decision not in {d.value for d in CaseDecision}:
        problems.append(_problem("decision", "Choose the decision you took"))
    problems.extend(
        written_problems("decision", "reason", reason, "Write the reason for your decision")
    )
    if problems:
        raise InvalidInput("the decision is not complete", problems)
    code = CaseDecision(decision)
    with write_transaction(store) as conn:
        practitioner_id = _practitioner_id(conn, request.practitioner)
        decision_id = conn.execute(
            insert(case_decisions)
            .values(
                request_id=request.id,
                practitioner_id=practitioner_id,
                person_id=request.person_id,
                decision=code.value,
                reason=reason.strip(),
                decided_at=now,
            )
            .returning(case_decisions.c.id)
        ).scalar_one()
        append_in(
            conn,
            [
                AuditEntry(
                    kind=EntryKind.CASE_DECISION,
                    at=now,
                    actor=request.practitioner,
                    actor_agency=agency,
                    person=request.person_id,
                    request=request.id,
                    reasons=(code.value,),
                )
            ],
        )
    return load_decision(store, int(decision_id), request.practitioner)


def record_outcome(
    store: Store,
    decision_id: int,
    *,
    practitioner: str,
    agency: str,
    outcome: str,
    note: str,
    on: dt.date | None,
    now: dt.datetime,
) -> TrackedDecision:
    """Record what came of the practitioner's own decision, once. Another's decision, or
    one whose outcome is already recorded, is not found."""
    found = load_decision(store, decision_id, practitioner)
    if found.outcome is not None:
        raise NotFound(NO_SUCH_DECISION)
    problems = []
    if outcome not in {o.value for o in CaseOutcome}:
        problems.append(_problem("outcome", "Choose the outcome"))
    if outcome == CaseOutcome.OTHER and not note.strip():
        problems.append(_problem("note", "Write what the outcome was"))
    problems.extend(written_problems("decision", "note", note, None))
    if on is None:
        problems.append(_problem("outcome_on", "Enter the date of the outcome as a real date"))
    elif on > now.date():
        problems.append(_problem("outcome_on", "The date of the outcome must be today or before"))
    elif on < found.decided_at.date():
        problems.append(
            _problem("outcome_on", "The date of the outcome must be on or after the decision")
        )
    if problems:
        raise InvalidInput("the outcome is not complete", problems)
    code = CaseOutcome(outcome)
    with write_transaction(store) as conn:
        changed = conn.execute(
            update(case_decisions)
            .where(case_decisions.c.id == decision_id, case_decisions.c.outcome.is_(None))
            .values(
                outcome=code.value,
                outcome_note=note.strip() or None,
                outcome_on=on,
                outcome_recorded_at=now,
            )
        ).rowcount
        if changed != 1:  # recorded meanwhile by another tab
            raise NotFound(NO_SUCH_DECISION)
        append_in(
            conn,
            [
                AuditEntry(
                    kind=EntryKind.CASE_OUTCOME,
                    at=now,
                    actor=practitioner,
                    actor_agency=agency,
                    person=found.person_id,
                    request=found.request_id,
                    reasons=(code.value,),
                )
            ],
        )
    return load_decision(store, decision_id, practitioner)


def load_decision(store: Store, decision_id: int, practitioner: str) -> TrackedDecision:
    """The practitioner's own decision; another's, or none, is not found."""
    found = _select(store, practitioner, case_decisions.c.id == decision_id)
    if not found:
        raise NotFound(NO_SUCH_DECISION)
    return found[0]


def decisions_for(
    store: Store,
    practitioner: str,
    *,
    person_id: str | None = None,
    request_id: str | None = None,
) -> list[TrackedDecision]:
    """The practitioner's own decisions about a child or on a request, newest first."""
    conditions = []
    if person_id is not None:
        conditions.append(case_decisions.c.person_id == person_id)
    if request_id is not None:
        conditions.append(case_decisions.c.request_id == request_id)
    return _select(store, practitioner, *conditions)


def parse_day(day: str, month: str, year: str) -> dt.date | None:
    """A date from the three boxes of a GOV.UK date input, or None if it is not one."""
    try:
        parts = [int(part.strip()) for part in (year, month, day)]
        if parts[0] < 1000:
            return None
        return dt.date(*parts)
    except ValueError:
        return None


def _select(store: Store, practitioner: str, *conditions: Any) -> list[TrackedDecision]:
    query = (
        select(case_decisions, practitioners.c.ref)
        .join(practitioners, practitioners.c.id == case_decisions.c.practitioner_id)
        .where(practitioners.c.ref == practitioner, *conditions)
        .order_by(case_decisions.c.decided_at.desc(), case_decisions.c.id.desc())
    )
    with store.engine.connect() as conn:
        return [
            TrackedDecision(
                id=row.id,
                request_id=row.request_id,
                practitioner=row.ref,
                person_id=row.person_id,
                decision=CaseDecision(row.decision),
                reason=row.reason,
                decided_at=row.decided_at,
                outcome=None if row.outcome is None else CaseOutcome(row.outcome),
                outcome_note=row.outcome_note,
                outcome_on=row.outcome_on,
                outcome_recorded_at=row.outcome_recorded_at,
            )
            for row in conn.execute(query)
        ]


def _problem(field: str, message: str) -> Problem:
    return Problem("decision", "form", field, message)


def _practitioner_id(conn: Connection, ref: str) -> int:
    found = conn.execute(select(practitioners.c.id).where(practitioners.c.ref == ref)).scalar()
    if found is None:
        raise NotFound(f"no practitioner {ref!r}")
    return int(found)
