"""Plain-English reasons for a decision, for the person who asked.

Cedar decides; this module only words the answer. For a deny with no determining forbid (no
permit applied), it says which condition of docs/policy.md was not met, so that a
practitioner knows what would change the answer.
"""

from __future__ import annotations

from seen.domain.sharing import (
    ANY,
    BREAK_GLASS_ROLES,
    MIN_JUSTIFICATION_LETTERS,
    LawfulBasis,
    Purpose,
    Sensitivity,
)
from seen.policy.world import AccessRequest, World


def unknown(world: World, request: AccessRequest) -> str | None:
    """Why the request names something unknown, or None when everything is known."""
    principal = request.principal
    if principal.kind == "practitioner" and principal.id not in world.practitioners:
        return f"Practitioner {principal.id!r} is not known, so nothing is shown."
    if principal.kind == "child" and principal.id not in world.children:
        return f"Child {principal.id!r} is not known, so nothing is shown."
    if principal.kind not in ("practitioner", "child"):
        return "Only a practitioner or a young person can ask to see a record."
    if principal.kind == "practitioner":
        agency = world.practitioners[principal.id].agency
        if agency not in world.agencies:
            return f"Your agency {agency!r} is not known, so nothing is shown."
    record = world.records.get(request.record)
    if record is None:
        return f"Record {request.record!r} is not known, so nothing is shown."
    if record.child not in world.children:
        return f"The child of record {record.id!r} is not known, so nothing is shown."
    if record.agency not in world.agencies:
        return f"The agency of record {record.id!r} is not known, so nothing is shown."
    return None


def denied(world: World, request: AccessRequest, policies: tuple[str, ...]) -> tuple[str, ...]:
    record = world.records[request.record]
    reasons: list[str] = []
    if "break-glass-invalid" in policies:
        reasons.extend(break_glass_problems(world, request))
    if "unknown-purpose-or-basis" in policies:
        reasons.append(
            f"{request.purpose!r} under {request.lawful_basis!r} is not a known purpose and "
            "lawful basis."
        )
    if "do-not-share" in policies:
        kind = _recipient_kind(world, request)
        reasons.append(
            f"The young person asked that their {record.category.replace('_', ' ')} records "
            f"are not shared with {kind}."
        )
        if request.break_glass and record.sensitivity is Sensitivity.RESTRICTED:
            reasons.append("Break-glass never opens a restricted record.")
    if request.principal.kind == "child" and not reasons:
        if record.child != request.principal.id:
            reasons.append("This record is about someone else.")
        elif record.withheld_from_subject:
            reasons.append("A practitioner has withheld this record from you, with a reason.")
    if not reasons:
        reasons.extend(_no_permit(world, request))
    return tuple(reasons) or ("No rule allows this request.",)


def _no_permit(world: World, request: AccessRequest) -> list[str]:
    record = world.records[request.record]
    practitioner = world.practitioners[request.principal.id]
    reasons = []
    covering = [
        agreement
        for agreement in world.agreements
        if agreement.in_force(request.at)
        and any(
            flow.source == record.agency
            and flow.recipient == practitioner.agency
            and (
                record.category in flow.categories
                or (ANY in flow.categories and record.sensitivity is not Sensitivity.RESTRICTED)
            )
            for flow in agreement.flows
        )
        and request.purpose in agreement.purposes
        and request.lawful_basis in agreement.lawful_bases
    ]
    if not covering:
        restricted = " (a restricted record needs an agreement naming its category)"
        reasons.append(
            f"No agreement in force lets {record.agency} share {record.category} records with "
            f"{practitioner.agency} for {request.purpose} under {request.lawful_basis}"
            f"{restricted if record.sensitivity is Sensitivity.RESTRICTED else ''}."
        )
    child = world.children[record.child]
    if practitioner.id not in child.relationships:
        reasons.append("You have no recorded legitimate relationship with this child.")
    return reasons


def break_glass_problems(world: World, request: AccessRequest) -> list[str]:
    from seen.policy.engine import justified

    problems = []
    if request.principal.kind != "practitioner":
        return ["Only a practitioner can use break-glass."]
    practitioner = world.practitioners[request.principal.id]
    if request.purpose != Purpose.SAFEGUARDING:
        problems.append("Break-glass is only for safeguarding, not early help or planning.")
    police = world.agencies.get(practitioner.agency) == "police"
    bases = {LawfulBasis.SAFEGUARDING_CHILDREN} | (
        {LawfulBasis.LAW_ENFORCEMENT_SAFEGUARDING} if police else set()
    )
    if request.lawful_basis not in bases:
        problems.append(
            "Break-glass needs DPA 2018 Schedule 1 paragraph 18"
            + (" or Schedule 8 paragraph 4." if police else ".")
        )
    if not justified(request.justification):
        problems.append(
            f"Break-glass needs a written justification ({MIN_JUSTIFICATION_LETTERS} letters "
            "or more)."
        )
    if not practitioner.roles & BREAK_GLASS_ROLES:
        problems.append("Your role cannot use break-glass.")
    return problems


def asking_young_person(world: World, request: AccessRequest) -> tuple[str, ...]:
    record = world.records[request.record]
    reasons = ["The young person asked to be asked first: a request has been sent to them."]
    if request.break_glass and record.sensitivity is Sensitivity.RESTRICTED:
        reasons.append("Break-glass never opens a restricted record.")
    return tuple(reasons)


def awaiting_originator(world: World, request: AccessRequest) -> tuple[str, ...]:
    record = world.records[request.record]
    reasons = [f"Waiting for {record.agency} to approve the release."]
    if request.break_glass:
        reasons.append("The request is marked urgent (break-glass).")
    return tuple(reasons)


def allowed(world: World, request: AccessRequest, policies: tuple[str, ...]) -> tuple[str, ...]:
    record = world.records[request.record]
    if "subject-access" in policies:
        return ("This is a record about you.",)
    if "own-agency" in policies:
        return ("This is your own agency's record.",)
    agreements = sorted({p.removeprefix("agreement:").rsplit("/flow-", 1)[0] for p in policies})
    reasons = [
        f"Agreement {', '.join(agreements)} lets {record.agency} share {record.category} "
        f"records for {request.purpose} under {request.lawful_basis}, and you work with "
        "this child."
    ]
    if request.break_glass:
        reasons.append("Break-glass was used: the partnership will review it.")
    return tuple(reasons)


def _recipient_kind(world: World, request: AccessRequest) -> str:
    agency = world.practitioners[request.principal.id].agency
    return world.agencies[agency].label.lower()
