"""The attacker never receives the key: by construction (what the attacks accept) and by
inspection (what the attack modules import)."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pyarrow as pa
import pytest

import seen.attack
from seen.attack import ATTACKS, HubView, Scenario
from seen.attack.harness import Attack

# The modules an attack runs in. `control` (weakened encodings) and `scenario` (the experiment)
# are the agency's and the evaluator's side: they hold the key, and no attack module imports them.
ATTACK_MODULES = (
    "dob",
    "frequency",
    "guesses",
    "harness",
    "knowledge",
    "matching",
    "mining",
    "patterns",
    "score",
    "view",
)
AGENCY_SIDE = {
    "seen.attack.balanced",
    "seen.attack.control",
    "seen.attack.scenario",
    "seen.encode.keys",
    "hmac",
}
ALLOWED_PARAMETERS = {"HubView", "PublicNames", "bool"}


def _imports(module: str) -> set[str]:
    path = Path(seen.attack.__file__).parent / f"{module}.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("module", ATTACK_MODULES)
def test_attack_modules_import_nothing_that_holds_the_key(module: str) -> None:
    imported = _imports(module)
    assert not imported & AGENCY_SIDE
    assert not any(name.endswith(".PartnershipKey") for name in imported)
    assert "seen.encode.encode_records" not in imported


def _attacks() -> list[tuple[str, Attack]]:
    exported = [
        (name, getattr(seen.attack, name))
        for name in seen.attack.__all__
        if name.endswith("_attack")
    ]
    return [*exported, *ATTACKS.items()]


# Named by the attack alone: a function's repr holds its address, which differs between the
# processes of a parallel run, and each must collect the same tests.
@pytest.mark.parametrize(("name", "attack"), [pytest.param(*a, id=a[0]) for a in _attacks()])
def test_every_attack_takes_only_the_view_and_the_public_list(name: str, attack: Attack) -> None:
    parameters = inspect.signature(attack).parameters.values()
    annotations = {str(p.annotation) for p in parameters}
    assert annotations <= ALLOWED_PARAMETERS, name
    assert "HubView" in annotations, name


def test_a_view_keeps_only_the_package_columns(scenario: Scenario) -> None:
    records = seen.attack.encode_variant(scenario.records[:3], scenario.key, seen.attack.SEEN)
    smuggled = records.append_column("key", pa.array(["secret"] * records.num_rows))
    view = HubView([smuggled])
    with pytest.raises(KeyError):
        view.column("key")
    with pytest.raises(KeyError):
        view.column("bf_given")  # filters through .filters / .filter_values only


def test_a_view_is_built_from_records_tables_only(scenario: Scenario) -> None:
    with pytest.raises(TypeError):
        HubView([scenario.key])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="lacks"):
        HubView([pa.table({"record_id": ["a"]})])
    with pytest.raises(ValueError):
        HubView([])


def test_the_key_never_shows_in_the_scenario_repr(scenario: Scenario) -> None:
    # The scenario holds the key for the agency side; printing it must not reveal it.
    assert scenario.key.fingerprint in repr(scenario.key)
    assert "key=PartnershipKey(fingerprint=" in repr(scenario)
