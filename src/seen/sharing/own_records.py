"""An agency reading its own records: its inbox of releases asked of it, and of records young
people say are wrong. It holds them anyway, but the hub shows them, so each read is decided by
the policy like any other (docs/policy.md: the practitioner's own agency's record, rule 5,
`own-agency`) and every decision is appended to the audit log before anything is returned.
If the log cannot record them, this raises (AuditWriteError) and nothing is shown; a record
the policy does not allow is not returned.

Each read names the request it is for, so its decision entry sits beside the rest of that
request in the log: a release's sharing request (with its purpose and lawful basis), or a
contest (`contest-<id>`, as its `contest_opened` and `contest_answered` entries are).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from seen.policy.audited import decide_and_record
from seen.policy.engine import ALLOW, PolicyEngine
from seen.policy.world import AccessRequest, Principal
from seen.sharing.world_slice import HeldEvent, Reader, own_records_slice, policy_id
from seen.store import Store


@dataclass(frozen=True, slots=True)
class OwnRead:
    """One record to show the reader, and what for."""

    event_id: int
    request: str  # the audit log's request id the decision entry names
    purpose: str
    lawful_basis: str


def read_own_records(
    store: Store, reader: Reader, reads: Sequence[OwnRead], now: dt.datetime
) -> list[HeldEvent | None]:
    """Decide each read as `reader`, now, and record every decision; for each read, the
    record when the policy allows it, else None. Raises AuditWriteError when the log cannot
    record the decisions: then nothing may be shown."""
    if not reads:
        return []
    piece = own_records_slice(store, reader, {read.event_id for read in reads}, now)
    asked = [
        AccessRequest(
            principal=Principal("practitioner", reader.id),
            record=policy_id(read.event_id),
            purpose=read.purpose,
            lawful_basis=read.lawful_basis,
            at=now,
        )
        for read in reads
    ]
    decisions = decide_and_record(
        PolicyEngine(piece.world), store, asked, [read.request for read in reads], now
    )
    return [
        piece.events.get(read.event_id) if decision.decision == ALLOW else None
        for read, decision in zip(reads, decisions, strict=True)
    ]
