"""Every worked example in docs/policy.md gives exactly the decision the page shows."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from seen.policy import PolicyEngine, request_from_json, world_from_json

DOC = Path(__file__).resolve().parents[2] / "docs" / "policy.md"
BLOCK = re.compile(r"```json (world|request|decision)\n(.*?)\n```", re.DOTALL)


def blocks() -> list[tuple[str, Any]]:
    return [(kind, json.loads(text)) for kind, text in BLOCK.findall(DOC.read_text("utf-8"))]


def examples() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    found = blocks()
    requests = [body for kind, body in found if kind == "request"]
    decisions = [body for kind, body in found if kind == "decision"]
    return list(zip(requests, decisions, strict=True))


def test_the_page_has_one_world_and_at_least_ten_examples() -> None:
    assert [kind for kind, _ in blocks()].count("world") == 1
    assert len(examples()) >= 10


@pytest.fixture(scope="module")
def engine() -> PolicyEngine:
    world = next(body for kind, body in blocks() if kind == "world")
    return PolicyEngine(world_from_json(world, "docs/policy.md"))


@pytest.mark.parametrize(
    ("request_", "decision"),
    examples(),
    ids=[f"example {n}" for n in range(1, 1 + len(examples()))],
)
def test_worked_example(
    engine: PolicyEngine, request_: dict[str, Any], decision: dict[str, Any]
) -> None:
    assert engine.decide(request_from_json(request_)).as_json() == decision


def test_the_example_files_hold_the_page_world() -> None:
    shipped = json.loads((DOC.parents[1] / "examples" / "policy-world.json").read_text("utf-8"))
    assert shipped == next(body for kind, body in blocks() if kind == "world")
    request = json.loads((DOC.parents[1] / "examples" / "policy-request.json").read_text("utf-8"))
    assert request_from_json(request).break_glass
