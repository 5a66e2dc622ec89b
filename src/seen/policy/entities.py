"""A World in Cedar's terms: its entities (JSON), and one permit policy per flow of every
active agreement.

Agreements become policies rather than entities because Cedar has no "there exists" over a
set of records: a policy per flow states the whole condition, and its id (`agreement:ISA-1/
flow-1`) is the reason a decision can give. Everything here is a translation, not a
decision: what is allowed is said by the policies (static.cedar and these).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from seen.domain.sharing import ANY, Choice, Release, Sensitivity
from seen.policy.world import Agreement, World


def seconds(moment: dt.datetime) -> int:
    """Whole seconds since the epoch: Cedar compares times as Longs."""
    return int(moment.timestamp())


def preference_key(category: str, kind: str) -> str:
    return f"{category}|{kind}"


def preference_keys(category: str, kind: str) -> list[str]:
    """The keys of every wish that applies to a record of `category` going to `kind`."""
    return [preference_key(c, k) for c in (category, ANY) for k in (kind, ANY)]


def entities(world: World, at: dt.datetime) -> list[dict[str, Any]]:
    """Cedar JSON entities of the world, with each child's wishes as of `at`."""
    made: list[dict[str, Any]] = []
    for name, kind in world.agencies.items():
        made.append(_entity("Agency", name, {"kind": str(kind)}))
    for practitioner in world.practitioners.values():
        made.append(
            _entity(
                "Practitioner",
                practitioner.id,
                {
                    "agency": _ref("Agency", practitioner.agency),
                    "roles": sorted(str(role) for role in practitioner.roles),
                },
            )
        )
    for child in world.children.values():
        wishes = world.wishes(child.id, at)
        made.append(
            _entity(
                "Child",
                child.id,
                {
                    "practitioners": [_ref("Practitioner", p) for p in sorted(child.relationships)],
                    "do_not_share": _keys(wishes, Choice.DO_NOT_SHARE),
                    "ask_first": _keys(wishes, Choice.ASK_FIRST),
                },
            )
        )
    for record in world.records.values():
        made.append(
            _entity(
                "Record",
                record.id,
                {
                    "child": _ref("Child", record.child),
                    "agency": _ref("Agency", record.agency),
                    "category": record.category,
                    "restricted": record.sensitivity is Sensitivity.RESTRICTED,
                    "withheld_from_subject": record.withheld_from_subject,
                },
            )
        )
    return made


def agreement_policies(agreements: Sequence[Agreement]) -> str:
    """Cedar permit policies for every flow of every active agreement (the time window is
    checked in the policy, against the request's time)."""
    return "\n".join(text for texts in flow_policies(agreements).values() for text in texts)


def flow_policies(agreements: Sequence[Agreement]) -> dict[tuple[str, str], list[str]]:
    """The permit policy of every flow of every active agreement, by the (recipient, source)
    agencies it runs between. Each such policy begins by testing the principal's agency and
    the record's, so it can apply to no request between other agencies: a request needs
    only its own pair's policies (seen.policy.engine)."""
    found: dict[tuple[str, str], list[str]] = {}
    for agreement in agreements:
        # An agreement with no purpose or no lawful basis allows nothing.
        if agreement.status != "active" or not agreement.purposes or not agreement.lawful_bases:
            continue
        for index, flow in enumerate(agreement.flows):
            if flow.categories:
                found.setdefault((flow.recipient, flow.source), []).append(
                    _flow_policy(agreement, index)
                )
    return found


def policy_windows(agreements: Sequence[Agreement]) -> list[int]:
    """Every time (whole seconds) at which some agreement policy's window opens or closes:
    between two of them, `context.at` passes or fails every window test alike."""
    return sorted(
        {seconds(a.start) for a in agreements}
        | {seconds(a.end) for a in agreements if a.end is not None}
    )


def policy_id(agreement: Agreement, index: int) -> str:
    return f"agreement:{agreement.id}/flow-{index + 1}"


def _flow_policy(agreement: Agreement, index: int) -> str:
    flow = agreement.flows[index]
    named = sorted(flow.categories - {ANY})
    # Cedar forbids empty set literals: "*" alone is every record that is not restricted.
    tests = [f"{_set(named)}.contains(resource.category)"] if named else []
    if ANY in flow.categories:
        tests.append("!resource.restricted")
    category = f"({' || '.join(tests)})"
    window = [f"context.at >= {seconds(agreement.start)}"]
    if agreement.end is not None:
        window.append(f"context.at < {seconds(agreement.end)}")
    actions = ["read"]
    if agreement.release is Release.AUTOMATIC:
        actions.append("release_without_approval")
    conditions = [
        f"principal.agency == Agency::{_string(flow.recipient)}",
        f"resource.agency == Agency::{_string(flow.source)}",
        category,
        f"{_set(sorted(agreement.purposes))}.contains(context.purpose)",
        f"{_set(sorted(agreement.lawful_bases))}.contains(context.lawful_basis)",
        *window,
        "resource.child.practitioners.contains(principal)",
    ]
    action_list = ", ".join(f"Action::{_string(a)}" for a in actions)
    body = " &&\n  ".join(conditions)
    return (
        f"@id({_string(policy_id(agreement, index))})\n"
        f"permit (principal is Practitioner, action in [{action_list}], resource is Record)\n"
        f"when {{\n  {body}\n}};\n"
    )


def _keys(wishes: dict[tuple[str, str], Choice], choice: Choice) -> list[str]:
    return sorted(preference_key(*key) for key, wish in wishes.items() if wish is choice)


def _entity(kind: str, name: str, attrs: dict[str, Any]) -> dict[str, Any]:
    return {"uid": {"type": kind, "id": name}, "attrs": attrs, "parents": []}


def _ref(kind: str, name: str) -> dict[str, Any]:
    return {"__entity": {"type": kind, "id": name}}


def _string(value: str) -> str:
    """A Cedar string literal (Cedar escapes a character as \\u{hex}, not JSON's \\uXXXX)."""
    escaped = "".join(
        f"\\u{{{ord(c):x}}}" if c in '"\\' or not c.isprintable() else c for c in value
    )
    return f'"{escaped}"'


def _set(values: list[str]) -> str:
    return "[" + ", ".join(_string(v) for v in values) + "]"
