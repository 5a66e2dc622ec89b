"""One small FEBRL linkage per test session, shared by the tests that only read it."""

from __future__ import annotations

import pytest

from link.factories import FebrlSample, febrl_sample
from seen.link import LinkModel, LinkResult, link


@pytest.fixture(scope="session")
def febrl() -> FebrlSample:
    return febrl_sample()


@pytest.fixture(scope="session")
def febrl_run(febrl: FebrlSample) -> LinkResult:
    return link([febrl.a, febrl.b])


@pytest.fixture(scope="session")
def model(febrl_run: LinkResult) -> LinkModel:
    return febrl_run.model
