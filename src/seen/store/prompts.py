"""Stored identification prompts (`identify_prompts`): save, list those open on a date,
renew. Nothing here decides anything: `seen.identify.lifecycle` does, and a prompt is open
only until its expiry date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update

from seen.store.engine import Store, write_transaction
from seen.store.tables import identify_prompts


@dataclass(frozen=True)
class StoredPrompt:
    id: int
    person_id: str
    need: str
    acting_agency: str
    raised_on: dt.date
    renewed_on: dt.date | None
    expires_on: dt.date
    probability: float
    evidence: list[dict[str, Any]]

    @property
    def last_evidence_on(self) -> dt.date:
        """The day its evidence was last looked at: raised, or last renewed."""
        return self.renewed_on or self.raised_on


def open_prompts(store: Store, need: str, on: dt.date) -> list[StoredPrompt]:
    """The need's prompts open on `on`: raised by then and not yet expired."""
    query = (
        select(identify_prompts)
        .where(
            identify_prompts.c.need == need,
            identify_prompts.c.raised_on <= on,
            identify_prompts.c.expires_on > on,
        )
        .order_by(identify_prompts.c.id)
    )
    with store.engine.connect() as conn:
        return [
            StoredPrompt(
                r.id,
                r.person_id,
                r.need,
                r.acting_agency,
                r.raised_on,
                r.renewed_on,
                r.expires_on,
                r.probability,
                r.evidence,
            )
            for r in conn.execute(query)
        ]


def save_prompts(
    store: Store,
    new: Sequence[Mapping[str, Any]],
    renewals: Sequence[Mapping[str, Any]],
    now: dt.datetime,
) -> None:
    """Insert `new` prompts (column values) and apply `renewals` (id, renewed_on,
    expires_on, probability, evidence, model) in one transaction."""
    with write_transaction(store) as conn:
        if new:
            conn.execute(insert(identify_prompts), [{**row, "created_at": now} for row in new])
        for row in renewals:
            conn.execute(
                update(identify_prompts)
                .where(identify_prompts.c.id == row["id"])
                .values({k: v for k, v in row.items() if k != "id"})
            )
