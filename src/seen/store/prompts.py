"""Stored identification prompts (`identify_prompts`): save, list those open on a date (for a
need, or for a kind of agency's review queue), find one, renew. Nothing here decides anything:
`seen.identify.lifecycle` and `seen.identify.review` do, and a prompt is open only until its
expiry date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from seen.errors import StoreError
from seen.store.engine import Store, one_at_a_time, write_transaction
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

    def is_open(self, on: dt.date) -> bool:
        return self.raised_on <= on < self.expires_on


def open_prompts(store: Store, need: str, on: dt.date) -> list[StoredPrompt]:
    """The need's prompts open on `on`: raised by then and not yet expired."""
    query = (
        select(identify_prompts)
        .where(identify_prompts.c.need == need, *_open_on(on))
        .order_by(identify_prompts.c.id)
    )
    with store.engine.connect() as conn:
        return [_prompt(r) for r in conn.execute(query)]


def newest_prompt_id(store: Store, need: str) -> int | None:
    """The need's most recently saved prompt, or None: read before a run plans, so that its
    save can tell whether another run saved prompts meanwhile (save_prompts)."""
    with store.engine.connect() as conn:
        return _newest(conn, need)


def _newest(conn: Connection, need: str) -> int | None:
    found = conn.scalar(
        select(func.max(identify_prompts.c.id)).where(identify_prompts.c.need == need)
    )
    return None if found is None else int(found)


def open_prompts_for(store: Store, acting_agency: str, on: dt.date) -> list[StoredPrompt]:
    """The prompts open on `on` for the review queue of a kind of agency, by id."""
    query = (
        select(identify_prompts)
        .where(identify_prompts.c.acting_agency == acting_agency, *_open_on(on))
        .order_by(identify_prompts.c.id)
    )
    with store.engine.connect() as conn:
        return [_prompt(r) for r in conn.execute(query)]


def prompt_by_id(conn: Connection, prompt_id: int) -> StoredPrompt | None:
    """One prompt, open or not (the caller decides what the reader may see)."""
    row = conn.execute(select(identify_prompts).where(identify_prompts.c.id == prompt_id)).first()
    return None if row is None else _prompt(row)


def prompts_by_id(conn: Connection, prompt_ids: Collection[int]) -> dict[int, StoredPrompt]:
    if not prompt_ids:
        return {}
    query = select(identify_prompts).where(identify_prompts.c.id.in_(list(prompt_ids)))
    return {row.id: _prompt(row) for row in conn.execute(query)}


def _open_on(on: dt.date) -> tuple[Any, ...]:
    return (identify_prompts.c.raised_on <= on, identify_prompts.c.expires_on > on)


def _prompt(r: Any) -> StoredPrompt:
    return StoredPrompt(
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


def save_prompts(
    store: Store,
    new: Sequence[Mapping[str, Any]],
    renewals: Sequence[Mapping[str, Any]],
    now: dt.datetime,
    *,
    started_from: int | None,
) -> None:
    """Insert `new` prompts (column values) and apply `renewals` (id, renewed_on,
    expires_on, probability, evidence, model) in one transaction.

    `started_from` is newest_prompt_id for the need when the run read the open prompts it
    planned against. If another run saved prompts for the need since, the two planned
    without seeing each other, and saving both would prompt a child twice and take twice
    the review capacity: the save is refused (StoreError) and nothing changes."""
    with write_transaction(store) as conn:
        if new:
            (need,) = {row["need"] for row in new}  # a run plans for one need
            one_at_a_time(conn, f"identify prompts {need}")  # PostgreSQL: one check at a time
            if _newest(conn, need) != started_from:
                raise StoreError(
                    f"prompts for {need} were saved by another run while this one planned, "
                    "so nothing was saved: run it again"
                )
            conn.execute(insert(identify_prompts), [{**row, "created_at": now} for row in new])
        for row in renewals:
            conn.execute(
                update(identify_prompts)
                .where(identify_prompts.c.id == row["id"])
                .values({k: v for k, v in row.items() if k != "id"})
            )
