"""One table row per rule of docs/policy.md, each named for the rule it shows, over a small
world built here; and the engine failing closed."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import cedarpy
import pytest

from seen.domain.agencies import AgencyKind
from seen.domain.sharing import (
    AgreementStatus,
    Choice,
    LawfulBasis,
    Purpose,
    Release,
    Role,
    Sensitivity,
)
from seen.policy import AccessRequest, PolicyEngine, PolicyError, World
from seen.policy import engine as engine_module
from seen.policy.world import (
    Agreement,
    Child,
    Flow,
    Practitioner,
    Preference,
    Principal,
    Record,
)

NOW = dt.datetime(2026, 11, 22, 10, tzinfo=dt.UTC)
WHY = "Disclosed harm at school this morning; at risk of going home tonight."


def world(**changes: Any) -> World:
    base = World(
        agencies={"council": AgencyKind.CHILDRENS_SERVICES, "police": AgencyKind.POLICE},
        practitioners={
            "sw": Practitioner("sw", "council", frozenset({Role.SOCIAL_WORKER})),
            "analyst": Practitioner("analyst", "council", frozenset({Role.ANALYST})),
            "pc": Practitioner("pc", "police", frozenset({Role.POLICE_OFFICER})),
        },
        children={"c1": Child("c1", frozenset({"sw", "analyst", "pc"}))},
        records={
            "pol": Record("pol", "c1", "police", "police_contact", Sensitivity.NORMAL),
            "secret": Record("secret", "c1", "police", "adoption", Sensitivity.RESTRICTED),
            "mine": Record("mine", "c1", "council", "social_care", Sensitivity.NORMAL, True),
        },
        agreements=(
            Agreement(
                "ISA",
                AgreementStatus.ACTIVE,
                NOW - dt.timedelta(days=30),
                NOW + dt.timedelta(days=30),
                frozenset({Purpose.SAFEGUARDING}),
                frozenset(LawfulBasis),
                Release.AUTOMATIC,
                (Flow("police", "council", frozenset({"*"})),),
            ),
        ),
    )
    return dataclasses.replace(base, **changes)


def ask(
    who: str = "sw",
    record: str = "pol",
    purpose: str = "safeguarding",
    basis: str = "uk-gdpr-6-1-e",
    kind: str = "practitioner",
    justification: str | None = None,
) -> AccessRequest:
    return AccessRequest(Principal(kind, who), record, purpose, basis, NOW, justification)


def wish(choice: Choice, category: str = "police_contact") -> Preference:
    return Preference(
        "c1", category, "childrens_services", choice, NOW - dt.timedelta(days=1), "c1"
    )


def agreement(**changes: Any) -> tuple[Agreement, ...]:
    return (dataclasses.replace(world().agreements[0], **changes),)


BREAK_GLASS = {"basis": "dpa-2018-sch1-para18", "justification": WHY}

RULES: list[tuple[str, dict[str, Any], AccessRequest, tuple[str, str | None]]] = [
    ("unknown practitioner: deny", {}, ask(who="nobody"), ("deny", None)),
    ("unknown record: deny", {}, ask(record="nothing"), ("deny", None)),
    ("unknown child principal: deny", {}, ask(kind="child", who="c9"), ("deny", None)),
    (
        "record of an unknown agency: deny",
        {"agencies": {"council": AgencyKind.CHILDRENS_SERVICES}},
        ask(),
        ("deny", None),
    ),
    ("own agency's record: allow", {}, ask(record="mine"), ("allow", None)),
    ("another agency's record under an agreement in force: allow", {}, ask(), ("allow", None)),
    (
        "no legitimate relationship: deny",
        {"children": {"c1": Child("c1", frozenset({"pc"}))}},
        ask(),
        ("deny", None),
    ),
    ("agreement does not name the purpose: deny", {}, ask(purpose="early_help"), ("deny", None)),
    (
        "agreement does not name the lawful basis: deny",
        {"agreements": agreement(lawful_bases=frozenset({"uk-gdpr-9-2-h"}))},
        ask(),
        ("deny", None),
    ),
    (
        "agreement suspended: deny",
        {"agreements": agreement(status=AgreementStatus.SUSPENDED)},
        ask(),
        ("deny", None),
    ),
    (
        "agreement ended: deny",
        {"agreements": agreement(end=NOW)},
        ask(),
        ("deny", None),
    ),
    (
        "flow the other way: deny",
        {"agreements": agreement(flows=(Flow("council", "police", frozenset({"*"})),))},
        ask(),
        ("deny", None),
    ),
    ("unknown purpose: deny", {}, ask(purpose="marketing"), ("deny", None)),
    (
        "do not share: deny",
        {"preferences": (wish(Choice.DO_NOT_SHARE),)},
        ask(),
        ("deny", None),
    ),
    (
        "do not share, overridden by break-glass: allow",
        {"preferences": (wish(Choice.DO_NOT_SHARE),)},
        ask(basis=BREAK_GLASS["basis"], justification=WHY),
        ("allow", None),
    ),
    (
        "ask me first: pending on the young person",
        {"preferences": (wish(Choice.ASK_FIRST),)},
        ask(),
        ("pending", "young_person"),
    ),
    (
        "ask me first about a record withheld from them: pending on the originator",
        {
            "preferences": (wish(Choice.ASK_FIRST),),
            "records": {
                "pol": Record("pol", "c1", "police", "police_contact", Sensitivity.NORMAL, True)
            },
        },
        ask(),
        ("pending", "originator"),
    ),
    (
        "ask me first, overridden by break-glass: allow",
        {"preferences": (wish(Choice.ASK_FIRST),)},
        ask(basis=BREAK_GLASS["basis"], justification=WHY),
        ("allow", None),
    ),
    (
        "a later wish replaces an earlier one",
        {
            "preferences": (
                wish(Choice.DO_NOT_SHARE),
                dataclasses.replace(wish(Choice.SHARE), recorded_at=NOW - dt.timedelta(hours=1)),
            )
        },
        ask(),
        ("allow", None),
    ),
    (
        "a wish recorded after the request does not apply yet",
        {
            "preferences": (
                dataclasses.replace(wish(Choice.DO_NOT_SHARE), recorded_at=NOW + dt.timedelta(1)),
            )
        },
        ask(),
        ("allow", None),
    ),
    (
        "originator approval: pending on the originator",
        {"agreements": agreement(release=Release.ORIGINATOR_APPROVAL)},
        ask(),
        ("pending", "originator"),
    ),
    (
        "break-glass does not skip the originator",
        {"agreements": agreement(release=Release.ORIGINATOR_APPROVAL)},
        ask(basis=BREAK_GLASS["basis"], justification=WHY),
        ("pending", "originator"),
    ),
    (
        "break-glass for early help: deny",
        {},
        ask(purpose="early_help", basis=BREAK_GLASS["basis"], justification=WHY),
        ("deny", None),
    ),
    (
        "break-glass under public task: deny",
        {},
        ask(justification=WHY),
        ("deny", None),
    ),
    (
        "break-glass without a written justification: deny",
        {},
        ask(basis=BREAK_GLASS["basis"], justification="now"),
        ("deny", None),
    ),
    (
        "break-glass by a role that cannot use it: deny",
        {},
        ask(who="analyst", basis=BREAK_GLASS["basis"], justification=WHY),
        ("deny", None),
    ),
    (
        "break-glass under Schedule 8 by police: allow",
        {
            "agreements": agreement(flows=(Flow("council", "police", frozenset({"*"})),)),
        },
        ask(who="pc", record="mine", basis="dpa-2018-sch8-para4", justification=WHY),
        ("allow", None),
    ),
    (
        "break-glass under Schedule 8 by a social worker: deny",
        {},
        ask(basis="dpa-2018-sch8-para4", justification=WHY),
        ("deny", None),
    ),
    ("restricted record under '*': deny", {}, ask(record="secret"), ("deny", None)),
    (
        "restricted record under an agreement naming its category: allow",
        {"agreements": agreement(flows=(Flow("police", "council", frozenset({"adoption"})),))},
        ask(record="secret"),
        ("allow", None),
    ),
    (
        "break-glass never opens a restricted record",
        {
            "agreements": agreement(flows=(Flow("police", "council", frozenset({"adoption"})),)),
            "preferences": (wish(Choice.DO_NOT_SHARE, "adoption"),),
        },
        ask(record="secret", basis=BREAK_GLASS["basis"], justification=WHY),
        ("deny", None),
    ),
    ("young person sees their own record", {}, ask(kind="child", who="c1"), ("allow", None)),
    (
        "young person does not see a record withheld from them",
        {},
        ask(kind="child", who="c1", record="mine"),
        ("deny", None),
    ),
    (
        "young person cannot use break-glass",
        {},
        ask(kind="child", who="c1", justification=WHY),
        ("deny", None),
    ),
]


@pytest.mark.parametrize(
    ("changes", "request_", "expected"), [r[1:] for r in RULES], ids=[r[0] for r in RULES]
)
def test_rule(
    changes: dict[str, Any], request_: AccessRequest, expected: tuple[str, str | None]
) -> None:
    decision = PolicyEngine(world(**changes)).decide(request_)
    assert (decision.decision, decision.pending_on) == expected
    assert decision.reasons and all(reason.strip() for reason in decision.reasons)


def test_an_evaluation_error_denies(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = PolicyEngine(world())

    def broken(*args: object, **kwargs: object) -> list[Any]:
        raise RuntimeError("the policy engine failed")

    monkeypatch.setattr(cedarpy, "is_authorized_batch", broken)
    decision = engine.decide(ask())
    assert decision.decision == "deny" and decision.policies == ("evaluation-error",)


def test_a_diagnostic_error_denies_though_cedar_allows(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = PolicyEngine(world())
    real = cedarpy.is_authorized_batch

    def with_error(*args: Any, **kwargs: Any) -> list[Any]:
        results = real(*args, **kwargs)
        results[0]._diagnostics._diagnostics["errors"] = ["while evaluating policy4: error"]
        return results

    monkeypatch.setattr(cedarpy, "is_authorized_batch", with_error)
    assert engine.decide(ask()).decision == "deny"


def test_an_invalid_policy_set_refuses_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = engine_module.static_policies() + (
        '\n@id("typo") permit (principal, action, resource) when { resource.no_such_attr };\n'
    )
    monkeypatch.setattr(engine_module, "static_policies", lambda: broken)
    with pytest.raises(PolicyError, match="do not match their schema"):
        PolicyEngine(world())


def test_the_policies_name_exactly_the_vocabulary() -> None:
    text = engine_module.static_policies()
    for term in [*Purpose, *LawfulBasis]:
        assert f'"{term}"' in text, term
    from seen.domain.sharing import BREAK_GLASS_ROLES

    for role in Role:
        assert (f'"{role}"' in text) == (role in BREAK_GLASS_ROLES), role


def test_a_chronology_is_decided_in_one_batch() -> None:
    engine = PolicyEngine(world())
    requests = [ask(), ask(record="mine"), ask(record="secret"), ask(who="nobody")]
    assert [d.decision for d in engine.decide_many(requests)] == ["allow", "allow", "deny", "deny"]
