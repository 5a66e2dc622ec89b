"""`PolicyEngine.decide`: may this principal see this record, for this purpose, now?

Cedar answers three questions per request (docs/policy.md, "How Cedar answers"): may the
principal read the record at all; may it be released without asking the young person; and
without the originating agency's approval. Deny if the first is no; pending on the young
person if the second is; pending on the originator if the third is; otherwise allow.

Fail closed: the policy set (static.cedar and the agreements' policies) is validated against
the schema when the engine is built, and an engine is never built from an invalid one; at
decision time any Cedar error or diagnostic, for any of the questions asked, is a deny.

A Cedar request through cedarpy costs tens of microseconds to build and a few more for each
policy it evaluates, so the engine asks as little as gives the same answers
(docs/benchmarks.md, "Sharing decisions"):
- a request is evaluated against the static policies and only the agreement policies of its
  own (practitioner's agency, record's agency) pair: every other agreement policy begins by
  testing those agencies, so it could neither apply nor fail;
- the two release questions are asked only when `read` is allowed (a denied read is a deny
  whatever they would say);
- Cedar is not asked to check each request against the schema (see _batch);
- the answers are kept for the engine's life, keyed by everything they depend on. The world
  is a read-only snapshot (seen.policy.world.World), so they depend on the request time only
  through the wishes recorded by then and the agreement windows open then: the key holds
  which interval between those change points the time falls in, not the time itself. Errors
  are never kept.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Final

import cedarpy

from seen.domain.sharing import MIN_JUSTIFICATION_LETTERS
from seen.errors import ConfigurationError
from seen.policy import explain
from seen.policy.entities import (
    agreement_policies,
    entities,
    flow_policies,
    policy_windows,
    preference_keys,
    seconds,
)
from seen.policy.world import AccessRequest, Agreement, World

log = logging.getLogger(__name__)

ALLOW: Final = "allow"
DENY: Final = "deny"
PENDING: Final = "pending"

RELEASES: Final = ("release_without_asking", "release_without_approval")
# Bounds on what an engine keeps; past them it starts again (answers are cheap to re-ask).
KEPT_ANSWERS: Final = 8192
KEPT_ENTITY_SETS: Final = 64


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


@dataclass(frozen=True, slots=True)
class Answer:
    """Cedar's answers for one request: read, and when read is allowed the two releases."""

    read: bool
    policies: tuple[str, ...]  # the policies that determined the read answer
    without_asking: bool = False
    without_approval: bool = False


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


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A register's policies, validated: static.cedar alone, and with each (recipient,
    source) pair's agreement policies; and the times their windows open and close."""

    static: Any
    pairs: dict[tuple[str, str], Any]
    windows: list[int]


@lru_cache(maxsize=16)
def _compiled(static_text: str, agreements: tuple[Agreement, ...]) -> _Compiled:
    """Validate and parse the policies of these agreements, once: every chronology builds an
    engine over its own child's world, and the register is the same for all of them until
    it changes (an Agreement is frozen, so a changed one is a new key). A policy set that
    fails raises PolicyError and is not kept."""
    text = static_text + "\n" + agreement_policies(agreements)
    try:
        checked = cedarpy.validate_policies(text, _schema())
        # Subsets of a valid set are valid: each pair's set is checked by checking them all.
        static = cedarpy.PolicySet.from_str(static_text)
        pairs = {
            pair: static.with_added_str("\n".join(texts))
            for pair, texts in flow_policies(agreements).items()
        }
    except ValueError as error:
        raise PolicyError(f"the sharing policies cannot be read: {error}") from None
    if not checked.validation_passed:
        problems = "; ".join(str(e) for e in checked.errors[:5])
        raise PolicyError(f"the sharing policies do not match their schema: {problems}")
    return _Compiled(static, pairs, policy_windows(agreements))


# The policies a request is evaluated against: its (practitioner's agency, record's agency)
# pair, or None for a young person (agreement policies apply to practitioners only).
Pair = tuple[str, str] | None


@dataclass
class PolicyEngine:
    """Decisions over one world. Build a new engine when the world changes."""

    world: World
    _schema: Any = field(init=False, repr=False)
    _static: Any = field(init=False, repr=False)  # static.cedar alone
    _pairs: dict[tuple[str, str], Any] = field(init=False, repr=False)  # static + the pair's
    _wish_times: list[dt.datetime] = field(init=False, repr=False)
    _windows: list[int] = field(init=False, repr=False)
    _entities: dict[int, Any] = field(init=False, repr=False, default_factory=dict)
    _answers: dict[tuple[object, ...], Answer] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        compiled = _compiled(static_policies(), self.world.agreements)
        self._schema = _schema()
        self._static = compiled.static
        self._pairs = compiled.pairs
        self._windows = compiled.windows
        self._wish_times = sorted({p.recorded_at for p in self.world.preferences})

    def decide(self, request: AccessRequest) -> Decision:
        return self.decide_many([request])[0]

    def decide_many(self, requests: Sequence[AccessRequest]) -> list[Decision]:
        """A decision per request, in order, asking Cedar only what it has not answered.

        The policies read a record only through its attributes, never its id, so requests
        that differ only in which record they name, among records alike in child, agency,
        category, sensitivity and withholding, get one answer: a chronology of hundreds of
        records asks Cedar about a few dozen, and asking again asks nothing."""
        decisions: list[Decision | None] = [self._unknown(request) for request in requests]
        keys: dict[int, tuple[object, ...]] = {}
        answers: dict[tuple[object, ...], Answer] = {}
        unanswered: dict[tuple[object, ...], AccessRequest] = {}
        for i, found in enumerate(decisions):
            if found is None:
                key = keys[i] = self._key(requests[i])
                kept = self._answers.get(key)
                if kept is not None:
                    answers[key] = kept
                else:
                    unanswered.setdefault(key, requests[i])
        if unanswered:
            try:
                new = self._ask(unanswered)
            except Exception:  # any failure on the way to an answer is a deny
                log.exception("policy evaluation failed: every request in the batch is denied")
                new = {}
            if len(self._answers) + len(new) > KEPT_ANSWERS:
                self._answers.clear()
            self._answers.update(new)
            answers.update(new)
        for i, key in keys.items():
            answer = answers.get(key)
            decisions[i] = self._combine(requests[i], answer) if answer is not None else _failed()
        return [d for d in decisions if d is not None]

    def _key(self, request: AccessRequest) -> tuple[object, ...]:
        """What Cedar's answer depends on: the request, less the record's id, and of its
        time only the wishes recorded by then and the agreement windows open then."""
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
            request.break_glass,
            justified(request.justification),
            self._wishes_epoch(request.at),
            bisect.bisect_right(self._windows, seconds(request.at)),
        )

    def _wishes_epoch(self, at: dt.datetime) -> int:
        """How many distinct times wishes were recorded at, at or before `at`: the wishes in
        force (World.wishes) are the same for every time with the same count."""
        return bisect.bisect_right(self._wish_times, at)

    def _pair(self, request: AccessRequest) -> Pair:
        if request.principal.kind != "practitioner":
            return None
        agency = self.world.practitioners[request.principal.id].agency
        return agency, self.world.records[request.record].agency

    def _ask(self, unanswered: dict[tuple[object, ...], AccessRequest]) -> dict[Any, Answer]:
        """Cedar's answers, one Cedar batch per set of entities and of policies; a request
        whose answers carry an error has none (and is denied)."""
        groups: dict[tuple[int, Pair], list[tuple[object, ...]]] = {}
        for key, request in unanswered.items():
            groups.setdefault((self._wishes_epoch(request.at), self._pair(request)), []).append(key)
        answers: dict[Any, Answer] = {}
        for (epoch, pair), keys in groups.items():
            policies = self._static if pair is None else self._pairs.get(pair, self._static)
            known = self._entities_at(epoch, unanswered[keys[0]].at)
            asked = [self._cedar_request(unanswered[key]) for key in keys]
            reads = self._batch(asked, ("read",), policies, known)
            readable = []
            for key, question, read in zip(keys, asked, reads, strict=True):
                if read.diagnostics.errors:
                    continue
                if read.allowed:
                    readable.append((key, question, read))
                else:
                    answers[key] = Answer(False, _policy_ids(read))
            releases = self._batch([q for _, q, _ in readable], RELEASES, policies, known)
            for n, (key, _, read) in enumerate(readable):
                unasked, unapproved = releases[2 * n : 2 * n + 2]
                if not (unasked.diagnostics.errors or unapproved.diagnostics.errors):
                    answers[key] = Answer(
                        True, _policy_ids(read), unasked.allowed, unapproved.allowed
                    )
        return answers

    def _batch(
        self,
        questions: list[dict[str, Any]],
        actions: Sequence[str],
        policies: Any,
        known: Any,
    ) -> list[Any]:
        """Cedar's results for each question and each action, in that order."""
        if not questions:
            return []
        batch = [
            dict(question, action={"type": "Action", "id": action})
            for question in questions
            for action in actions
        ]
        # No schema here: validating each request against it doubles the cost of building it
        # in Cedar, and buys nothing over what is checked once. The policies were validated
        # against the schema when the engine was built and the entities when they were
        # parsed, and every request is made by _cedar_request, whose shape a test checks
        # against the schema (tests/policy/test_kept_answers.py). Errors still deny.
        return cedarpy.is_authorized_batch(batch, policies, known)

    def _entities_at(self, epoch: int, at: dt.datetime) -> Any:
        """The world's entities with the wishes of `epoch` (`at` is a time in it)."""
        found = self._entities.get(epoch)
        if found is None:
            if len(self._entities) >= KEPT_ENTITY_SETS:
                self._entities.clear()
            document = json.dumps(entities(self.world, at))
            found = self._entities[epoch] = cedarpy.Entities.from_json_str(document, self._schema)
        return found

    def _unknown(self, request: AccessRequest) -> Decision | None:
        """Deny at once what names something the world does not hold."""
        missing = explain.unknown(self.world, request)
        if missing is None:
            return None
        return Decision(DENY, None, (missing,), ("unknown-entity",))

    def _cedar_request(self, request: AccessRequest) -> dict[str, Any]:
        """The request to Cedar, less its action."""
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
        return {
            "principal": principal,
            "resource": {"type": "Record", "id": request.record},
            # As JSON once, not once per question (cedarpy takes either).
            "context": json.dumps(context),
        }

    def _combine(self, request: AccessRequest, answer: Answer) -> Decision:
        ids = answer.policies
        if not answer.read:
            return Decision(DENY, None, explain.denied(self.world, request, ids), ids)
        if not answer.without_asking:
            if self.world.records[request.record].withheld_from_subject:
                # Asking the young person about a record withheld from them would tell them
                # of it: the holding agency answers in their place (docs/policy.md, rule 8).
                return Decision(
                    PENDING,
                    "originator",
                    explain.awaiting_originator(self.world, request),
                    ids,
                    urgent=request.break_glass,
                )
            return Decision(
                PENDING, "young_person", explain.asking_young_person(self.world, request), ids
            )
        if not answer.without_approval:
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
