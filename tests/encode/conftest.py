"""Shared fixtures: a fixed partnership key, and one small synthetic partnership read once."""

from __future__ import annotations

from pathlib import Path

import pytest

from seen.encode import PartnershipKey
from seen.formats import Extract, read_extract
from seen.synth import SynthConfig, generate

AGENCIES = ("northshire-council", "northshire-schools", "northshire-police", "northshire-health")


@pytest.fixture(scope="session")
def key() -> PartnershipKey:
    return PartnershipKey(bytes(range(32)))


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("encode-synth")
    generate(SynthConfig(children=600, seed=23), root)
    return root


@pytest.fixture(scope="session")
def extracts(synthetic: Path) -> dict[str, Extract]:
    """Each agency's extract of the synthetic partnership."""
    return {name: read_extract([synthetic / "agencies" / name]) for name in AGENCIES}
