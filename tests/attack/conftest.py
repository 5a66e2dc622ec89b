"""One small synthetic partnership per session, its schools package encoded as Seen does and as
the weakened controls, and every attack's result on each, computed once and shared."""

from __future__ import annotations

from pathlib import Path

import pytest

from attack.experiment import CHILDREN, PUBLIC_CHILDREN, SEED, Results
from seen.attack import Scenario, synthetic_scenario


@pytest.fixture(scope="session")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("attack")


@pytest.fixture(scope="session")
def scenario(workdir: Path) -> Scenario:
    return synthetic_scenario(
        workdir, children=CHILDREN, seed=SEED, public_children=PUBLIC_CHILDREN
    )


@pytest.fixture(scope="session")
def results(workdir: Path, scenario: Scenario) -> Results:
    # The worst case for frequency attacks: the exact name counts of the partnership itself.
    exact = synthetic_scenario(workdir, children=CHILDREN, seed=SEED, public="partnership")
    return Results(scenario, exact.public)
