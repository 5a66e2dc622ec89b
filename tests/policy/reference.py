"""docs/policy.md in plain Python, written from the document and not from the Cedar policies,
for the differential test. It answers only the decision and whom it is pending on."""

from __future__ import annotations

from seen.domain.sharing import (
    ANY,
    BREAK_GLASS_ROLES,
    MIN_JUSTIFICATION_LETTERS,
    Choice,
    LawfulBasis,
    Purpose,
    Release,
    Sensitivity,
)
from seen.policy.world import AccessRequest, World


def decide(world: World, request: AccessRequest) -> tuple[str, str | None]:
    principal = request.principal
    record = world.records.get(request.record)
    # Deny by default: anything unknown.
    if principal.kind == "practitioner":
        practitioner = world.practitioners.get(principal.id)
        if practitioner is None or practitioner.agency not in world.agencies:
            return "deny", None
    elif principal.kind != "child" or principal.id not in world.children:
        return "deny", None
    if record is None or record.child not in world.children or record.agency not in world.agencies:
        return "deny", None
    # A young person sees their own records, except those withheld from them.
    if principal.kind == "child":
        if request.break_glass:
            return "deny", None
        mine = record.child == principal.id and not record.withheld_from_subject
        return ("allow", None) if mine else ("deny", None)
    assert practitioner is not None
    if request.purpose not in set(Purpose) or request.lawful_basis not in set(LawfulBasis):
        return "deny", None
    if request.break_glass and not _valid_break_glass(world, request):
        return "deny", None
    # A practitioner sees their own agency's records.
    if record.agency == practitioner.agency:
        return "allow", None
    # The young person's wishes, as of the request time; the most restrictive that applies.
    kind = str(world.agencies[practitioner.agency])
    wishes = world.wishes(record.child, request.at)
    choices = {
        wishes[(category, recipient)]
        for category in (record.category, ANY)
        for recipient in (kind, ANY)
        if (category, recipient) in wishes
    }
    overridden = request.break_glass and record.sensitivity is not Sensitivity.RESTRICTED
    if Choice.DO_NOT_SHARE in choices and not overridden:
        return "deny", None
    # An agreement in force for this flow, category, purpose and basis; and a relationship.
    covering = [
        agreement
        for agreement in world.agreements
        if agreement.status == "active"
        and agreement.start <= request.at
        and (agreement.end is None or request.at < agreement.end)
        and request.purpose in agreement.purposes
        and request.lawful_basis in agreement.lawful_bases
        and any(
            flow.source == record.agency
            and flow.recipient == practitioner.agency
            and (
                record.category in flow.categories
                or (ANY in flow.categories and record.sensitivity is Sensitivity.NORMAL)
            )
            for flow in agreement.flows
        )
    ]
    if not covering or practitioner.id not in world.children[record.child].relationships:
        return "deny", None
    if Choice.ASK_FIRST in choices and not overridden:
        # Never asked about a record withheld from them: the holding agency answers instead.
        return "pending", "originator" if record.withheld_from_subject else "young_person"
    if not any(agreement.release is Release.AUTOMATIC for agreement in covering):
        return "pending", "originator"
    return "allow", None


def _valid_break_glass(world: World, request: AccessRequest) -> bool:
    practitioner = world.practitioners[request.principal.id]
    police = world.agencies[practitioner.agency] == "police"
    bases = {LawfulBasis.SAFEGUARDING_CHILDREN}
    if police:
        bases.add(LawfulBasis.LAW_ENFORCEMENT_SAFEGUARDING)
    letters = sum(c.isalpha() for c in request.justification or "")
    return (
        request.purpose == Purpose.SAFEGUARDING
        and request.lawful_basis in bases
        and letters >= MIN_JUSTIFICATION_LETTERS
        and bool(practitioner.roles & BREAK_GLASS_ROLES)
    )
