"""Decisions that are recorded before they are used: `decide_and_record` decides a batch of
requests and appends an audit entry for every decision (and one for every break-glass) in one
durable write. If the entries cannot be written, it raises and returns nothing, so nothing
is shown: a decision nobody can account for is not acted on.

Audit entries hold ids, terms, policy ids and reason codes only (seen.audit.entry); a
break-glass justification is free text, so the entry keeps its SHA-256 digest and the text
stays with the request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Sequence

from seen.audit import AuditEntry, EntryKind, Outcome, PendingOn, append
from seen.audit.entry import personal_data_shape
from seen.policy.engine import Decision, PolicyEngine
from seen.policy.world import AccessRequest
from seen.store import Store

# Reason codes for the log, from the policies that decided (plain-English reasons are for
# the person asking; the log keeps codes, which cannot carry personal data).
_CODES = {
    "own-agency": "own_agency",
    "subject-access": "subject_access",
    "do-not-share": "young_person_do_not_share",
    "unknown-purpose-or-basis": "unknown_purpose_or_basis",
    "break-glass-invalid": "break_glass_invalid",
    "unknown-entity": "unknown_entity",
    "evaluation-error": "evaluation_error",
}


def decide_and_record(
    engine: PolicyEngine,
    store: Store,
    requests: Sequence[AccessRequest],
    request_ids: Sequence[str] | None = None,
    now: dt.datetime | None = None,
) -> list[Decision]:
    """Decide every request and record every decision; raises AuditWriteError (and returns
    nothing) when the log cannot record them."""
    ids = list(request_ids) if request_ids is not None else [new_request_id() for _ in requests]
    if len(ids) != len(requests):
        raise ValueError("one request id per request")
    decisions = engine.decide_many(requests)
    when = now or dt.datetime.now(dt.UTC)
    entries: list[AuditEntry] = []
    for request, decision, request_id in zip(requests, decisions, ids, strict=True):
        entries.extend(entries_for(engine, request, decision, request_id, when))
    append(store, entries, when)
    return decisions


def new_request_id() -> str:
    """A random request id the audit log will take. About one random hex id in 200 holds a
    run of digits the log's personal-data screen reads as a date or an NHS number and
    refuses, and one refused entry refuses the whole batch (a chronology of 500 would almost
    always fail): such an id is drawn again."""
    while True:
        candidate = uuid.uuid4().hex
        if personal_data_shape(candidate) is None:
            return candidate


def entries_for(
    engine: PolicyEngine,
    request: AccessRequest,
    decision: Decision,
    request_id: str,
    at: dt.datetime,
) -> list[AuditEntry]:
    world = engine.world
    record = world.records.get(request.record)
    practitioner = world.practitioners.get(request.principal.id)
    by_practitioner = request.principal.kind == "practitioner" and practitioner is not None
    actor_agency = practitioner.agency if by_practitioner and practitioner else None
    # An unknown record is logged by the reference asked for, under no agency.
    record_agency = record.agency if record else "unknown"
    entries = []
    if request.break_glass:
        digest = hashlib.sha256((request.justification or "").encode("utf-8")).hexdigest()
        entries.append(
            AuditEntry(
                kind=EntryKind.BREAK_GLASS,
                at=at,
                actor=request.principal.id,
                actor_agency=actor_agency or "none",
                request=request_id,
                record_agency=record_agency,
                record_ref=request.record,
                purpose=request.purpose,
                lawful_basis=request.lawful_basis,
                justification_sha256=digest,
            )
        )
    entries.append(
        AuditEntry(
            kind=EntryKind.DECISION,
            at=at,
            actor=request.principal.id,
            actor_agency=actor_agency,
            person=record.child if record else None,
            request=request_id,
            record_agency=record_agency,
            record_ref=request.record,
            category=record.category if record else None,
            purpose=request.purpose,
            lawful_basis=request.lawful_basis,
            decision=Outcome(decision.decision),
            pending_on=PendingOn(decision.pending_on) if decision.pending_on else None,
            break_glass=request.break_glass,
            policies=decision.policies,
            reasons=reason_codes(decision),
        )
    )
    return entries


def reason_codes(decision: Decision) -> tuple[str, ...]:
    codes = [
        _CODES.get(policy, "agreement" if policy.startswith("agreement:") else "policy")
        for policy in decision.policies
    ]
    if decision.pending_on is not None:
        codes.append(f"pending_{decision.pending_on}")
    if not codes:
        codes.append("no_rule_allows" if decision.decision == "deny" else "allowed")
    return tuple(dict.fromkeys(codes))
