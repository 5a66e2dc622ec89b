"""Differential test: for thousands of generated worlds and requests, Cedar's decisions equal
those of a plain-Python reading of docs/policy.md (tests/policy/reference.py)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy import reference
from policy.worlds import requests_in, worlds
from seen.policy import PolicyEngine, World

WORLDS = 2_000  # each with eight requests: 16,000 decisions a run


@settings(
    max_examples=WORLDS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(world=worlds(), data=st.data())
def test_cedar_decides_as_the_reference_does(world: World, data: st.DataObject) -> None:
    asked = data.draw(st.lists(requests_in(world), min_size=8, max_size=8))
    decisions = PolicyEngine(world).decide_many(asked)
    for request, decision in zip(asked, decisions, strict=True):
        expected = reference.decide(world, request)
        assert (decision.decision, decision.pending_on) == expected, (request, decision)
