"""Synthetic partnerships built once per session: small ones for exactness, a moderate one for
rates. Each is generated into its own folder and only read by the tests."""

from __future__ import annotations

import pytest

from seen.synth import SynthConfig, generate
from synth.built import MODERATE, SMALL, Build, Built


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Generate a partnership for the given config values (cached per set of values)."""
    cache: dict[tuple[tuple[str, object], ...], Built] = {}

    def make(**values: object) -> Built:
        key = tuple(sorted(values.items(), key=lambda kv: kv[0]))
        if key not in cache:
            root = tmp_path_factory.mktemp("synth")
            summary = generate(SynthConfig(**values), root)  # type: ignore[arg-type]
            cache[key] = Built(root, summary)
        return cache[key]

    return make


@pytest.fixture(scope="session")
def small(build: Build) -> Built:
    return build(children=SMALL, seed=11)


@pytest.fixture(scope="session")
def moderate(build: Build) -> Built:
    return build(children=MODERATE, seed=3)
