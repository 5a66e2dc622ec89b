"""The engine keeps Cedar's answers (seen.policy.engine): asking again asks Cedar nothing, and
a kept answer is never given where the world or the time would change it. The world is a
snapshot, so a changed world is a new engine; within one, a wish recorded or an agreement
window opening or closing between two requests gives the later one its own answer."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import cedarpy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy import reference
from policy.test_rules import NOW, WHY, agreement, ask, wish, world
from policy.worlds import requests_in, worlds
from seen.domain.sharing import AgreementStatus, Choice, Sensitivity
from seen.policy import AccessRequest, PolicyEngine, World
from seen.policy import engine as engine_module
from seen.policy.engine import _schema
from seen.policy.world import Child, Record

HOUR = dt.timedelta(hours=1)


class Spy:
    """Counts what the engine asks Cedar, passing every question on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.real = cedarpy.is_authorized_batch
        self.batches: list[list[dict[str, Any]]] = []
        monkeypatch.setattr(cedarpy, "is_authorized_batch", self)

    def __call__(self, requests: list[dict[str, Any]], *args: Any, **kwargs: Any) -> list[Any]:
        self.batches.append(requests)
        return self.real(requests, *args, **kwargs)

    @property
    def questions(self) -> list[str]:
        return [q["action"]["id"] for batch in self.batches for q in batch]


def at(moment: dt.datetime, **changes: Any) -> AccessRequest:
    return dataclasses.replace(ask(**changes), at=moment)


def outcome(engine: PolicyEngine, request: AccessRequest) -> tuple[str, str | None]:
    decision = engine.decide(request)
    return decision.decision, decision.pending_on


def test_asking_again_asks_cedar_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    records = dict(world().records)
    records["pol2"] = dataclasses.replace(records["pol"], id="pol2")
    engine = PolicyEngine(world(records=records))
    spy = Spy(monkeypatch)
    first = engine.decide(ask())
    assert first.decision == "allow" and spy.questions == [
        "read",
        "release_without_asking",
        "release_without_approval",
    ]
    # The same question a second later, and about a record alike in all the policies read.
    assert engine.decide(at(NOW + dt.timedelta(seconds=1))) == first
    assert engine.decide(ask(record="pol2")).decision == "allow"
    assert len(spy.questions) == 3
    # A different purpose is a different question.
    assert engine.decide(ask(purpose="early_help")).decision == "deny"
    assert len(spy.questions) == 4


def test_a_denied_read_is_the_whole_question(monkeypatch: pytest.MonkeyPatch) -> None:
    spy = Spy(monkeypatch)
    assert PolicyEngine(world()).decide(ask(record="secret")).decision == "deny"
    assert spy.questions == ["read"]


def test_reasons_are_worded_for_each_request_not_kept() -> None:
    engine = PolicyEngine(world())
    engine.decide(ask(justification=WHY + " first"))
    decision = engine.decide(ask(justification="now"))  # not written: another question
    assert decision.decision == "deny"
    assert any("justification" in reason for reason in decision.reasons)


def test_a_wish_recorded_between_two_requests_holds_for_the_later_one() -> None:
    later = dataclasses.replace(wish(Choice.DO_NOT_SHARE), recorded_at=NOW + HOUR)
    engine = PolicyEngine(world(preferences=(later,)))
    assert outcome(engine, at(NOW)) == ("allow", None)
    assert outcome(engine, at(NOW + HOUR)) == ("deny", None)  # recorded at or before: holds
    assert outcome(engine, at(NOW + 2 * HOUR)) == ("deny", None)
    assert outcome(engine, at(NOW + HOUR - dt.timedelta(seconds=1))) == ("allow", None)


def test_a_changed_wish_holds_from_when_it_was_recorded() -> None:
    first = dataclasses.replace(wish(Choice.ASK_FIRST), recorded_at=NOW - HOUR)
    changed = dataclasses.replace(wish(Choice.SHARE), recorded_at=NOW + HOUR)
    engine = PolicyEngine(world(preferences=(first, changed)))
    assert outcome(engine, at(NOW)) == ("pending", "young_person")
    assert outcome(engine, at(NOW + 2 * HOUR)) == ("allow", None)
    assert outcome(engine, at(NOW)) == ("pending", "young_person")


def test_an_agreement_window_closing_and_opening_is_seen() -> None:
    engine = PolicyEngine(world(agreements=agreement(start=NOW, end=NOW + HOUR)))
    assert outcome(engine, at(NOW + dt.timedelta(minutes=30))) == ("allow", None)
    assert outcome(engine, at(NOW + HOUR)) == ("deny", None)  # the end is exclusive
    assert outcome(engine, at(NOW - dt.timedelta(seconds=1))) == ("deny", None)
    assert outcome(engine, at(NOW)) == ("allow", None)
    assert outcome(engine, at(NOW + HOUR - dt.timedelta(seconds=1))) == ("allow", None)


def test_a_suspended_agreement_is_a_new_world_and_its_engine_denies() -> None:
    before = world()
    assert PolicyEngine(before).decide(ask()).decision == "allow"
    suspended = dataclasses.replace(before, agreements=agreement(status=AgreementStatus.SUSPENDED))
    assert PolicyEngine(suspended).decide(ask()).decision == "deny"


def test_a_world_does_not_change_under_its_engine() -> None:
    children = {"c1": Child("c1", frozenset({"sw"}))}
    records = dict(world().records)
    snapshot = world(children=children, records=records)
    engine = PolicyEngine(snapshot)
    assert engine.decide(ask()).decision == "allow"
    # The caller's own mappings are not the world's: changing them changes nothing.
    children["c1"] = Child("c1", frozenset())
    records["pol"] = dataclasses.replace(records["pol"], sensitivity=Sensitivity.RESTRICTED)
    assert engine.decide(ask()).decision == "allow"
    assert snapshot.children["c1"].relationships == {"sw"}
    with pytest.raises(TypeError):
        snapshot.records["new"] = Record("new", "c1", "police", "x", Sensitivity.NORMAL)  # type: ignore[index]


def test_an_error_is_never_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = PolicyEngine(world())
    real = cedarpy.is_authorized_batch
    calls = []

    def fails_once(*args: Any, **kwargs: Any) -> list[Any]:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the policy engine failed")
        return real(*args, **kwargs)

    monkeypatch.setattr(cedarpy, "is_authorized_batch", fails_once)
    assert engine.decide(ask()).policies == ("evaluation-error",)
    assert engine.decide(ask()).decision == "allow"


def test_an_error_in_a_release_question_denies_and_is_not_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = PolicyEngine(world())
    real = cedarpy.is_authorized_batch
    broken = [True]

    def release_error(requests: list[dict[str, Any]], *args: Any, **kwargs: Any) -> list[Any]:
        results = real(requests, *args, **kwargs)
        if broken[0] and requests[0]["action"]["id"] != "read":
            results[-1]._diagnostics._diagnostics["errors"] = ["while evaluating policy4: error"]
        return results

    monkeypatch.setattr(cedarpy, "is_authorized_batch", release_error)
    assert engine.decide(ask()).policies == ("evaluation-error",)
    broken[0] = False
    assert engine.decide(ask()).decision == "allow"


def test_answers_are_bounded_and_still_right(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "KEPT_ANSWERS", 2)
    engine = PolicyEngine(world())
    asked = [ask(), ask(record="mine"), ask(record="secret"), ask(purpose="early_help")]
    expected = ["allow", "allow", "deny", "deny"]
    for _ in range(3):
        assert [engine.decide(r).decision for r in asked] == expected
        assert [d.decision for d in engine.decide_many(asked)] == expected
    assert len(engine._answers) <= 4


@settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(world=worlds(), data=st.data())
def test_kept_answers_agree_with_the_reference(world: World, data: st.DataObject) -> None:
    """One engine, asked one request at a time and then again in the other order: every
    answer, kept or not, is the reference's for that request."""
    asked = data.draw(st.lists(requests_in(world), min_size=6, max_size=6))
    engine = PolicyEngine(world)
    for request in [*asked, *reversed(asked)]:
        decision = engine.decide(request)
        assert (decision.decision, decision.pending_on) == reference.decide(world, request)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=worlds(), data=st.data())
def test_every_request_sent_to_cedar_matches_the_schema(world: World, data: st.DataObject) -> None:
    """The engine does not have Cedar check each request against the schema (it costs as much
    as the answer); this checks that what it sends would pass, and gets the same answers."""
    asked = data.draw(st.lists(requests_in(world), min_size=4, max_size=4))
    sent: list[tuple[list[dict[str, Any]], tuple[Any, ...], list[Any]]] = []
    real = cedarpy.is_authorized_batch

    def checked(requests: list[dict[str, Any]], *args: Any) -> list[Any]:
        results = real(requests, *args)
        sent.append((requests, args, results))
        return results

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cedarpy, "is_authorized_batch", checked)
        PolicyEngine(world).decide_many(asked)
    for requests, (policies, known), results in sent:
        validated = real(requests, policies, known, _schema())
        assert not any(result.diagnostics.errors for result in validated), requests
        assert [r.allowed for r in validated] == [r.allowed for r in results]
