"""`seen policy check`: the simulator prints the decision as JSON, and reports every problem
of a bad file with its place."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from policy.test_worked_examples import blocks
from seen.cli import app

WORLD = next(body for kind, body in blocks() if kind == "world")


def check(tmp_path: Path, world: object, request: object) -> tuple[int, str, str]:
    (tmp_path / "world.json").write_text(json.dumps(world))
    (tmp_path / "request.json").write_text(json.dumps(request))
    args = ["policy", "check", "--world", str(tmp_path / "world.json")]
    result = CliRunner().invoke(app, [*args, "--request", str(tmp_path / "request.json")])
    # Rich wraps long messages: compare words, not lines.
    return result.exit_code, result.stdout, " ".join(result.stderr.split())


def test_the_simulator_prints_a_pending_decision_as_json(tmp_path: Path) -> None:
    request = {
        "principal": {"type": "practitioner", "id": "dsl-ben"},
        "record": "police-1",
        "purpose": "safeguarding",
        "lawful_basis": "uk-gdpr-6-1-e",
        "at": "2026-11-22T10:00:00+01:00",
    }
    code, out, _ = check(tmp_path, WORLD, request)
    assert code == 0
    decision = json.loads(out)
    assert decision["decision"] == "pending" and decision["pending_on"] == "originator"
    assert decision["policies"] == ["agreement:ISA-POLICE-SCHOOLS/flow-1"]


def test_a_bad_world_names_each_entry_and_field(tmp_path: Path) -> None:
    world = dict(WORLD)
    world["records"] = [{"id": "r1", "child": "c1", "agency": "a", "category": "x"}]
    world["practitioners"] = [{"id": "p1", "agency": "a", "roles": ["wizard"]}]
    code, _, err = check(tmp_path, world, {"principal": {"type": "child", "id": "c1"}})
    assert code == 2
    assert "world.json, records[0], sensitivity" in err
    assert "world.json, practitioners[0], roles: 'wizard'" in err


def test_a_request_without_a_time_zone_is_refused(tmp_path: Path) -> None:
    request = {
        "principal": {"type": "child", "id": "child-1"},
        "record": "police-1",
        "purpose": "safeguarding",
        "lawful_basis": "uk-gdpr-6-1-e",
        "at": "2026-11-22T10:00:00",
    }
    code, _, err = check(tmp_path, WORLD, request)
    assert code == 2 and "request.json, top level, at" in err and "time zone" in err


def test_a_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    (tmp_path / "world.json").write_text("{not json")
    (tmp_path / "request.json").write_text("{}")
    args = ["policy", "check", "--world", str(tmp_path / "world.json")]
    result = CliRunner().invoke(app, [*args, "--request", str(tmp_path / "request.json")])
    assert result.exit_code == 2 and "not a JSON document" in " ".join(result.stderr.split())
