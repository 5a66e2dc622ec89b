"""Small synthetic partnerships, linked as the hub links them, shared by the identification
tests: 3,000 children, with needs recorded a little more often than by default so that a
partnership this small still has enough agency-proxy labels to train on; and the same with a
strong recording bias by deprivation (police, social care and emergency department contact
recorded far more in the most deprived areas), for the fairness report."""

from __future__ import annotations

from pathlib import Path

import pytest

from seen.encode import PartnershipKey
from seen.identify.evaluate import NeedEvaluation, evaluate_need, window_before
from seen.identify.labels import Need
from seen.identify.partnership import LinkedPartnership, load_partnership
from seen.identify.truth import Truth, read_truth
from seen.synth import generate, load_config

CONFIG = """\
seed: 5
cs118_school_share: 0.6
young_carer_7a_rate: 0.3
exploitation_emerging_rate: 0.08
exploitation_referral_rate_emerging: 0.5
exploitation_factor_rate: 0.9
"""
# Police and children's social care record contact in the most deprived decile twelve times
# as often as in the least, emergency departments six times (the defaults: 3, 4 and 1.5).
STRONG_BIAS = """\
police_deprivation_ratio: 12.0
cin_deprivation_ratio: 12.0
ed_deprivation_ratio: 6.0
"""
CHILDREN = 3000
KEY = PartnershipKey(bytes(range(32)))


@pytest.fixture(scope="session")
def partnership_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("identify")
    config_file = root / "config.yaml"
    config_file.write_text(CONFIG, encoding="utf-8")
    out = root / "partnership"
    generate(load_config(config_file, children=CHILDREN), out)
    return out


@pytest.fixture(scope="session")
def linked(partnership_dir: Path) -> LinkedPartnership:
    return load_partnership(partnership_dir, key=KEY)


@pytest.fixture(scope="session")
def strong_bias_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("identify-strong-bias")
    config_file = root / "config.yaml"
    config_file.write_text(CONFIG + STRONG_BIAS, encoding="utf-8")
    out = root / "partnership"
    generate(load_config(config_file, children=CHILDREN), out)
    return out


@pytest.fixture(scope="session")
def strong_bias(strong_bias_dir: Path) -> LinkedPartnership:
    return load_partnership(strong_bias_dir, key=KEY)


@pytest.fixture(scope="session")
def strong_bias_truth(strong_bias_dir: Path, strong_bias: LinkedPartnership) -> Truth:
    return read_truth(strong_bias_dir, strong_bias.history, strong_bias.person_of)


@pytest.fixture(scope="session")
def strong_bias_young_carers(
    strong_bias: LinkedPartnership, strong_bias_truth: Truth
) -> NeedEvaluation:
    """Young carers on the strong-bias partnership: 24 months (2024-03-01 to 2026-03-01),
    1% of people prompted a month."""
    window = window_before(strong_bias.reference_date, 24)
    return evaluate_need(
        strong_bias.history,
        strong_bias_truth,
        Need.YOUNG_CARER,
        window,
        capacity_share=0.01,
        bootstrap=100,
    )
