"""`PolicyEngine.decide`: may this principal see this record, for this purpose, now?

Cedar answers three questions per request (docs/policy.md, "How Cedar answers"): may the
principal read the record at all; may it be released without asking the young person; and
without the originating agency's approval. Deny if the first is no; pending on the young
person if the second is; pending on the originator if the third is; otherwise allow.

Fail closed: the policy set (static.cedar and the agreements' policies) is validated against
the schema when the engine is built, and an engine is never built from an invalid one; at
decision time any Cedar error or diagnostic, for any of the three questions, is a deny.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Final

import cedarpy

from seen.domain.sharing import MIN_JUSTIFICATION_LETTERS
from seen.errors import ConfigurationError
from seen.policy import explain
from seen.policy.entities import (
    ACTIONS,
    agreement_policies,
    entities,
    preference_keys,
    seconds,
)
from seen.policy.world import AccessRequest, World

log = logging.getLogger(__name__)

ALLOW: Final = "allow"
DENY: Final = "deny"
PENDING: Final = "pending"


@dataclass(frozen=True, slots=True)
class Decision:
    decision: str  # allow, deny or pending
    pending_on: str | None  # young_person or originator, when pending
    reasons: tuple[str, ...]  # plain English, for the person asking
    policies: tuple[str, ...]  # the ids of the policies that determined it
    urgent: bool = False  # pending on the originator under break-glass

    def as_json(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "pending_on": self.pending_on,
            "urgent": self.urgent,
            "reasons": list(self.reasons),
            "policies": list(self.policies),
        }


class PolicyError(ConfigurationError):
    """The policy set is invalid: nothing may be decided with it."""


@cache
def _static() -> tuple[str, str]:
    folder = resources.files("seen.policy") / "cedar"
    return (folder / "seen.cedarschema").read_text("utf-8"), (folder / "static.cedar").read_text(
        "utf-8"
    )


def static_policies() -> str:
    return _static()[1]


@cache
def _schema() -> Any:
    return cedarpy.Schema.from_str(_static()[0])


@dataclass
class PolicyEngine:
    """Decisions over one world. Build a new engine when the world changes."""

    world: World
    _schema: Any = field(init=False, repr=False)
    _policies: Any = field(init=False, repr=False)
    _entities: dict[int, Any] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        text = static_policies() + "\n" + agreement_policies(self.world)
        try:
            self._schema = _schema()
            checked = cedarpy.validate_policies(text, self._schema)
            self._policies = cedarpy.PolicySet.from_str(text)
        except ValueError as error:
            raise PolicyError(f"the sharing policies cannot be read: {error}") from None
        if not checked.validation_passed:
            problems = "; ".join(str(e) for e in checked.errors[:5])
            raise PolicyError(f"the sharing policies do not match their schema: {problems}")

    def decide(self, request: AccessRequest) -> Decision:
        return self.decide_many([request])[0]

    def decide_many(self, requests: Sequence[AccessRequest]) -> list[Decision]:
        """A decision per request, in order, asking Cedar about them all in one batch.

        The policies read a record only through its attributes, never its id, so requests
        that differ only in which record they name, among records alike in child, agency,
        category, sensitivity and withholding, get one answer: a chronology of hundreds of
        records asks Cedar about a few dozen."""
        decisions: list[Decision | None] = [self._unknown(request) for request in requests]
        asked: dict[tuple[object, ...], list[int]] = {}
        for i, found in enumerate(decisions):
            if found is None:
                asked.setdefault(self._alike(requests[i]), []).append(i)
        # Ordered by time: a child's wishes are resolved as of the request time, so the
        # entities differ from one time to the next and each time is its own Cedar batch.
        groups = sorted(asked.values(), key=lambda rows: requests[rows[0]].at)
        try:
            results = self._authorise([requests[rows[0]] for rows in groups])
        except Exception:  # any failure on the way to an answer is a deny
            log.exception("policy evaluation failed: every request in the batch is denied")
            results = [[] for _ in groups]
        for rows, three in zip(groups, results, strict=True):
            for i in rows:
                decisions[i] = self._combine(requests[i], three) if len(three) == 3 else _failed()
        return [d for d in decisions if d is not None]

    def _alike(self, request: AccessRequest) -> tuple[object, ...]:
        """What Cedar's answer depends on: the request, less the record's id."""
        record = self.world.records[request.record]
        return (
            request.principal,
            record.child,
            record.agency,
            record.category,
            record.sensitivity,
            record.withheld_from_subject,
            request.purpose,
            request.lawful_basis,
            request.at,
            request.break_glass,
            justified(request.justification),
        )

    def _authorise(self, representatives: list[AccessRequest]) -> list[list[Any]]:
        """Cedar's three answers for each request (in time order), a batch per time."""
        answers: list[list[Any]] = []
        start = 0
        while start < len(representatives):
            moment = representatives[start].at
            stop = start
            while stop < len(representatives) and representatives[stop].at == moment:
                stop += 1
            batch = [
                q for request in representatives[start:stop] for q in self._cedar_requests(request)
            ]
            results = cedarpy.is_authorized_batch(
                batch, self._policies, self._entities_at(moment), self._schema
            )
            answers.extend(results[3 * n : 3 * n + 3] for n in range(stop - start))
            start = stop
        return answers

    def _entities_at(self, at: dt.datetime) -> Any:
        key = seconds(at)
        found = self._entities.get(key)
        if found is None:
            if len(self._entities) > 64:
                self._entities.clear()
            document = json.dumps(entities(self.world, at))
            found = self._entities[key] = cedarpy.Entities.from_json_str(document, self._schema)
        return found

    def _unknown(self, request: AccessRequest) -> Decision | None:
        """Deny at once what names something the world does not hold."""
        missing = explain.unknown(self.world, request)
        if missing is None:
            return None
        return Decision(DENY, None, (missing,), ("unknown-entity",))

    def _cedar_requests(self, request: AccessRequest) -> list[dict[str, Any]]:
        world = self.world
        record = world.records[request.record]
        if request.principal.kind == "practitioner":
            principal = {"type": "Practitioner", "id": request.principal.id}
            agency = world.practitioners[request.principal.id].agency
            keys = preference_keys(record.category, str(world.agencies[agency]))
        else:
            principal = {"type": "Child", "id": request.principal.id}
            keys = []
        context = {
            "purpose": request.purpose,
            "lawful_basis": request.lawful_basis,
            "at": seconds(request.at),
            "break_glass": request.break_glass,
            "justified": justified(request.justification),
            "preference_keys": keys,
        }
        resource = {"type": "Record", "id": request.record}
        return [
            {
                "principal": principal,
                "action": {"type": "Action", "id": action},
                "resource": resource,
                "context": context,
            }
            for action in ACTIONS
        ]

    def _combine(self, request: AccessRequest, results: Sequence[Any]) -> Decision:
        if any(result.diagnostics.errors for result in results):
            return _failed()
        read, unasked, unapproved = results
        if not read.allowed:
            ids = _policy_ids(read)
            return Decision(DENY, None, explain.denied(self.world, request, ids), ids)
        ids = _policy_ids(read)
        if not unasked.allowed:
            return Decision(
                PENDING, "young_person", explain.asking_young_person(self.world, request), ids
            )
        if not unapproved.allowed:
            return Decision(
                PENDING,
                "originator",
                explain.awaiting_originator(self.world, request),
                ids,
                urgent=request.break_glass,
            )
        return Decision(ALLOW, None, explain.allowed(self.world, request, ids), ids)


def justified(justification: str | None) -> bool:
    """A written justification: at least MIN_JUSTIFICATION_LETTERS letters."""
    return justification is not None and (
        sum(c.isalpha() for c in justification) >= MIN_JUSTIFICATION_LETTERS
    )


def _policy_ids(result: Any) -> tuple[str, ...]:
    named = result.diagnostics.id_annotations_by_reason
    return tuple(sorted(named.get(reason, reason) for reason in result.diagnostics.reasons))


def _failed() -> Decision:
    return Decision(
        DENY,
        None,
        ("The sharing rules could not be checked, so nothing is shown. Please try again.",),
        ("evaluation-error",),
    )
