"""Audit entries and logs for the audit tests: every value is a pseudonymous id or a term,
as the policy code will write them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from seen.audit import AuditEntry, EntryKind, NoteSigner, Outcome, PendingOn, Preference
from seen.audit.keys import write_log_key
from seen.settings import Settings

AT = dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC)
ORIGIN = "seen.example/northshire/audit"


def decision(n: int = 0, outcome: Outcome = Outcome.ALLOW) -> AuditEntry:
    return AuditEntry(
        kind=EntryKind.DECISION,
        at=AT + dt.timedelta(seconds=n),
        actor=f"pr-{n % 97:04d}",
        actor_agency="northshire-police",
        person="PABCDEFGHJKLM",
        request=f"req-{n}",
        record_agency="northshire-council",
        record_ref=f"CIN-{n:06d}",
        category="cin_assessment",
        purpose="dpv:ProtectionOfVitalInterests",
        lawful_basis="uk-dpa2018:sch1-para18",
        decision=outcome,
        pending_on=PendingOn.ORIGINATOR if outcome == Outcome.PENDING else None,
        policies=("permit-agreement-share", "forbid-restricted"),
        reasons=("agreement_in_force", "legitimate_relationship"),
    )


def one_of_each_kind() -> list[AuditEntry]:
    return [
        decision(1),
        decision(2, Outcome.DENY),
        decision(3, Outcome.PENDING),
        AuditEntry(
            kind=EntryKind.BREAK_GLASS,
            at=AT,
            actor="pr-0007",
            actor_agency="northshire-police",
            request="req-3",
            record_agency="northshire-council",
            record_ref="CIN-000003",
            purpose="seen:safeguarding",
            lawful_basis="uk-dpa2018:sch8-para4",
            justification_sha256="ab" * 32,
        ),
        AuditEntry(kind=EntryKind.APPROVAL, at=AT, actor="pr-0100", request="req-3"),
        AuditEntry(
            kind=EntryKind.REFUSAL, at=AT, actor="PABCDEFGHJKLM", request="req-4",
            reasons=("young_person_refused",),
        ),
        AuditEntry(
            kind=EntryKind.PREFERENCE_CHANGE, at=AT, actor="PABCDEFGHJKLM",
            person="PABCDEFGHJKLM", category="health", recipient_kind="school",
            preference=Preference.ASK_FIRST,
        ),
    ]  # fmt: skip


def log_key(settings: Settings) -> NoteSigner:
    """A fresh log key where the settings look for it."""
    signer = NoteSigner.generate(ORIGIN)
    write_log_key(settings.resolved_audit_key(), signer)
    return signer


def env(settings: Settings) -> dict[str, str]:
    return {
        "SEEN_DATA_DIR": str(settings.data_dir),
        "SEEN_DATABASE_URL": settings.resolved_database_url(),
        "SEEN_AUDIT_KEY": str(Path(settings.resolved_audit_key())),
    }
