"""Reviewers' decisions on identification prompts and their outcomes (`identify_decisions`),
and when each reviewer first opened a prompt for its current evidence
(`identify_prompt_views`). Reads, and writes inside the caller's transaction: the rules and
the audit entries that go with each write are `seen.identify.review`'s."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.orm import aliased

from seen.store.engine import Store
from seen.store.tables import (
    agencies,
    identify_decisions,
    identify_prompt_views,
    identify_prompts,
    practitioners,
)


@dataclass(frozen=True, slots=True)
class StoredDecision:
    id: int
    prompt_id: int
    evidence_on: dt.date  # the prompt's evidence it answered: raised or last renewed on
    decision: str
    reason: str
    practitioner: str  # the reviewer's pseudonymous ref
    agency: str  # the reviewer's agency
    first_viewed_at: dt.datetime | None
    decided_at: dt.datetime
    outcome: str | None
    outcome_note: str | None
    outcome_on: dt.date | None
    outcome_by: str | None
    outcome_recorded_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class DecisionFacts:
    """One decision as monitoring counts it: codes and times, no words and no child."""

    need: str
    agency: str
    decision: str
    evidence_on: dt.date
    first_viewed_at: dt.datetime | None
    decided_at: dt.datetime
    outcome: str | None


_recorder = aliased(practitioners)


def _decisions() -> Any:
    return (
        select(
            identify_decisions,
            practitioners.c.ref.label("practitioner_ref"),
            agencies.c.name.label("agency_name"),
            _recorder.c.ref.label("outcome_by_ref"),
        )
        .join(practitioners, practitioners.c.id == identify_decisions.c.practitioner_id)
        .join(agencies, agencies.c.id == identify_decisions.c.agency_id)
        .outerjoin(_recorder, _recorder.c.id == identify_decisions.c.outcome_by)
    )


def _decision(row: Any) -> StoredDecision:
    return StoredDecision(
        id=row.id,
        prompt_id=row.prompt_id,
        evidence_on=row.evidence_on,
        decision=row.decision,
        reason=row.reason,
        practitioner=row.practitioner_ref,
        agency=row.agency_name,
        first_viewed_at=row.first_viewed_at,
        decided_at=row.decided_at,
        outcome=row.outcome,
        outcome_note=row.outcome_note,
        outcome_on=row.outcome_on,
        outcome_by=row.outcome_by_ref,
        outcome_recorded_at=row.outcome_recorded_at,
    )


def decisions_on(conn: Connection, prompt_ids: Collection[int]) -> dict[int, list[StoredDecision]]:
    """Every decision on each of the prompts, oldest first (prompts with none are absent)."""
    if not prompt_ids:
        return {}
    query = (
        _decisions()
        .where(identify_decisions.c.prompt_id.in_(list(prompt_ids)))
        .order_by(identify_decisions.c.decided_at, identify_decisions.c.id)
    )
    found: dict[int, list[StoredDecision]] = {}
    for row in conn.execute(query):
        found.setdefault(row.prompt_id, []).append(_decision(row))
    return found


def decision_by_id(conn: Connection, decision_id: int) -> StoredDecision | None:
    row = conn.execute(_decisions().where(identify_decisions.c.id == decision_id)).first()
    return None if row is None else _decision(row)


def waiting_for_outcome(
    conn: Connection, acting_agency: str, decided_since: dt.datetime
) -> list[StoredDecision]:
    """Decisions on a kind of agency's prompts with no outcome yet, taken since
    `decided_since`, oldest first."""
    query = (
        _decisions()
        .join(identify_prompts, identify_prompts.c.id == identify_decisions.c.prompt_id)
        .where(
            identify_prompts.c.acting_agency == acting_agency,
            identify_decisions.c.outcome.is_(None),
            identify_decisions.c.decided_at >= decided_since,
        )
        .order_by(identify_decisions.c.decided_at, identify_decisions.c.id)
    )
    return [_decision(row) for row in conn.execute(query)]


def decision_facts(store: Store) -> list[DecisionFacts]:
    """Every decision, as monitoring reads it."""
    query = (
        select(
            identify_prompts.c.need,
            agencies.c.name,
            identify_decisions.c.decision,
            identify_decisions.c.evidence_on,
            identify_decisions.c.first_viewed_at,
            identify_decisions.c.decided_at,
            identify_decisions.c.outcome,
        )
        .join(identify_prompts, identify_prompts.c.id == identify_decisions.c.prompt_id)
        .join(agencies, agencies.c.id == identify_decisions.c.agency_id)
        .order_by(identify_decisions.c.id)
    )
    with store.engine.connect() as conn:
        return [DecisionFacts(*row) for row in conn.execute(query)]


# Writes, inside the caller's transaction -------------------------------------------------


def practitioner_ids(conn: Connection, ref: str, agency: str) -> tuple[int, int] | None:
    """The practitioner's id and their agency's id, or None if the ref is not a practitioner
    of that agency."""
    row = conn.execute(
        select(practitioners.c.id, agencies.c.id)
        .join(agencies, agencies.c.id == practitioners.c.agency_id)
        .where(practitioners.c.ref == ref, agencies.c.name == agency)
    ).first()
    return None if row is None else (int(row[0]), int(row[1]))


def note_first_view(
    conn: Connection, prompt_id: int, practitioner_id: int, evidence_on: dt.date, at: dt.datetime
) -> None:
    """Remember when the practitioner first opened the prompt for this evidence. Call it
    after appending the view's audit entry, whose lock makes check-then-insert safe."""
    key = (
        identify_prompt_views.c.prompt_id == prompt_id,
        identify_prompt_views.c.practitioner_id == practitioner_id,
        identify_prompt_views.c.evidence_on == evidence_on,
    )
    if conn.execute(select(identify_prompt_views.c.first_viewed_at).where(*key)).first():
        return
    conn.execute(
        insert(identify_prompt_views).values(
            prompt_id=prompt_id,
            practitioner_id=practitioner_id,
            evidence_on=evidence_on,
            first_viewed_at=at,
        )
    )


def first_view(
    conn: Connection, prompt_id: int, practitioner_id: int, evidence_on: dt.date
) -> dt.datetime | None:
    found = conn.execute(
        select(identify_prompt_views.c.first_viewed_at).where(
            identify_prompt_views.c.prompt_id == prompt_id,
            identify_prompt_views.c.practitioner_id == practitioner_id,
            identify_prompt_views.c.evidence_on == evidence_on,
        )
    ).scalar()
    return found if isinstance(found, dt.datetime) else None


def insert_decision(conn: Connection, **values: Any) -> int:
    decision_id = conn.execute(
        insert(identify_decisions).values(**values).returning(identify_decisions.c.id)
    ).scalar_one()
    return int(decision_id)


def set_outcome(conn: Connection, decision_id: int, **values: Any) -> bool:
    """Record the decision's outcome, only if it has none yet; whether it did."""
    changed = conn.execute(
        update(identify_decisions)
        .where(identify_decisions.c.id == decision_id, identify_decisions.c.outcome.is_(None))
        .values(**values)
    ).rowcount
    return changed == 1
