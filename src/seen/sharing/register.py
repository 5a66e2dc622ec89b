"""Changing the agreements register from the web pages and the API, through the same checks as
`seen agreements import` (docs/policy.md, "The agreements register"). The policy reads the
register at every decision, so a change takes effect at the next one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Final

from seen.domain.agreements import agreements_from_document
from seen.domain.records import Problem
from seen.domain.sharing import AgreementStatus
from seen.errors import InvalidInput
from seen.store import Store
from seen.store.governance import (
    MOVES,
    STATUS_REASON_LENGTH,
    RegisteredAgreement,
    change_status,
    get_agreement,
    import_agreements,
    review_agreement,
)

# What an administrator can do to an agreement, and the status each leads to.
ACTIONS: Final = {
    "suspend": AgreementStatus.SUSPENDED,
    "reinstate": AgreementStatus.ACTIVE,
    "expire": AgreementStatus.EXPIRED,
}


def create_agreement(
    store: Store,
    document: Mapping[str, Any],
    *,
    by: str,
    now: dt.datetime,
    source: str,
    problems: Sequence[Problem] = (),
) -> RegisteredAgreement:
    """Add one agreement, given as the importer's document for one agreement, to the
    register; InvalidInput with every problem (those given, found reading the form, first)."""
    found, more = agreements_from_document(document, source)
    every = [*problems, *more]
    if not every and len(found) != 1:
        every.append(Problem(source, "agreements", "-", "give exactly one agreement"))
    if every:
        raise InvalidInput("the agreement was not added", every)
    try:
        import_agreements(store, found, source, by, now)
    except InvalidInput as error:
        raise InvalidInput(
            "the agreement was not added",
            [Problem(source, "form", "ref", "An agreement with this reference is registered")]
            if error.problems
            else [],
        ) from None
    return get_agreement(store, found[0].ref)


def actions_for(status: AgreementStatus) -> list[str]:
    """The actions an agreement of this status allows (none for an expired one)."""
    return [action for action, target in ACTIONS.items() if status in MOVES[target]]


def move_agreement(
    store: Store, ref: str, action: str, reason: str, *, by: str, now: dt.datetime
) -> RegisteredAgreement:
    """Suspend, reinstate or expire an agreement, with a required reason kept in its history.
    NotFound for no such agreement; InvalidInput, a Problem per field, otherwise."""
    current = get_agreement(store, ref)
    problems = []
    target = ACTIONS.get(action)
    if target is None or action not in actions_for(current.agreement.status):
        allowed = actions_for(current.agreement.status)
        problems.append(
            Problem(
                "status",
                "form",
                "action",
                f"Choose what to do: {' or '.join(allowed)}"
                if allowed
                else "An expired agreement cannot change",
            )
        )
    if not reason.strip():
        problems.append(Problem("status", "form", "reason", "Write why the agreement changes"))
    elif len(reason.strip()) > STATUS_REASON_LENGTH:
        problems.append(
            Problem(
                "status",
                "form",
                "reason",
                f"The reason must be {STATUS_REASON_LENGTH} characters or fewer",
            )
        )
    if problems or target is None:
        raise InvalidInput("the agreement did not change", problems)
    try:
        change_status(store, ref, target, reason, by, now)
    except InvalidInput:
        # Someone else moved it since it was read above (change_status checks again, locked).
        now_status = get_agreement(store, ref).agreement.status
        raise InvalidInput(
            "the agreement did not change",
            [
                Problem(
                    "status",
                    "form",
                    "action",
                    f"Someone else changed the agreement just now: it is {now_status}",
                )
            ],
        ) from None
    return get_agreement(store, ref)


def record_review(
    store: Store, ref: str, next_review: str, notes: str, *, by: str, now: dt.datetime
) -> RegisteredAgreement:
    """Record that an agreement was reviewed and set its next review date (YYYY-MM-DD)."""
    get_agreement(store, ref)  # NotFound first, before any problem with the form
    try:
        when = dt.date.fromisoformat(next_review.strip())
    except ValueError:
        raise InvalidInput(
            "the review was not recorded",
            [Problem("review", "form", "next_review", "Enter the next review date as a real date")],
        ) from None
    review_agreement(store, ref, when, notes, by, now)
    return get_agreement(store, ref)
