"""Configuration: YAML files and overrides, and problems reported with the file and key named."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seen.errors import InvalidInput
from seen.synth import IdentifierErrors, SynthConfig, load_config

DOCS = Path(__file__).resolve().parents[2] / "docs" / "synthetic.md"
PROBABILITIES = [f.name for f in dataclasses.fields(SynthConfig) if f.metadata.get("max") == 1.0]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "synth.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_gives_the_defaults() -> None:
    assert load_config(None) == SynthConfig()


def test_yaml_overrides_a_rate_and_a_nested_identifier_error_rate(tmp_path: Path) -> None:
    path = _write(tmp_path, "young_carer_rate: 0.15\npolice_errors:\n  typo_rate: 0.2\n")
    config = load_config(path)
    assert config.young_carer_rate == 0.15
    assert config.police_errors.typo_rate == 0.2
    # The rest of the police group keeps its own defaults, not the generic ones.
    assert config.police_errors.nickname_rate == SynthConfig().police_errors.nickname_rate


def test_keyword_overrides_win_over_the_file_and_none_is_ignored(tmp_path: Path) -> None:
    path = _write(tmp_path, "children: 100\nseed: 4\nreference_date: 2025-03-31\n")
    config = load_config(path, children=250, seed=None)
    assert (config.children, config.seed) == (250, 4)
    assert config.reference_date == dt.date(2025, 3, 31)


def test_unknown_key_raises_invalid_input_naming_the_file_and_key(tmp_path: Path) -> None:
    path = _write(tmp_path, "young_carer_rat: 0.2\n")
    with pytest.raises(InvalidInput) as caught:
        load_config(path)
    assert str(path) in caught.value.message
    assert "young_carer_rat" in caught.value.message
    assert [p.field for p in caught.value.problems] == ["young_carer_rat"]


def test_unknown_nested_key_is_named_with_its_group(tmp_path: Path) -> None:
    path = _write(tmp_path, "health_errors:\n  typo: 0.1\n")
    with pytest.raises(InvalidInput) as caught:
        load_config(path)
    assert [p.field for p in caught.value.problems] == ["health_errors.typo"]


def test_every_problem_in_a_file_is_reported_at_once(tmp_path: Path) -> None:
    path = _write(tmp_path, "cin_rate: 2\nchildren: many\nschool_errors:\n  typo_rate: -1\n")
    with pytest.raises(InvalidInput) as caught:
        load_config(path)
    fields = sorted(p.field for p in caught.value.problems)
    assert fields == ["children", "cin_rate", "school_errors.typo_rate"]
    assert all(p.file == str(path) for p in caught.value.problems)


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(PROBABILITIES),
    value=st.one_of(
        st.floats(max_value=-1e-9, allow_nan=False, allow_infinity=False),
        st.floats(min_value=1.000001, allow_nan=False, allow_infinity=False),
    ),
)
def test_a_probability_out_of_range_is_rejected_naming_its_key(name: str, value: float) -> None:
    with pytest.raises(InvalidInput) as caught:
        load_config(None, **{name: value})
    assert [p.field for p in caught.value.problems] == [name]
    assert name in caught.value.message


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        ("children: 0\n", "children", "between 1 and"),
        ("children: 2.5\n", "children", "whole number"),
        ("cin_rate: true\n", "cin_rate", "not true/false"),
        ("reference_date: 31/03/2026\n", "reference_date", "YYYY-MM-DD"),
        ("areas: 11\n", "areas", "between 2 and 10"),
        ("police_errors: 0.1\n", "police_errors", "mapping"),
        ("lac_rate: 0.05\n", "lac_rate", "cin_rate"),
    ],
)
def test_bad_values_are_rejected_with_the_key_and_reason(
    tmp_path: Path, text: str, key: str, fragment: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InvalidInput) as caught:
        load_config(path)
    [problem] = caught.value.problems
    assert problem.field == key and fragment in problem.message
    assert problem.file == str(path)


def test_a_file_that_is_not_a_mapping_or_not_yaml_is_rejected(tmp_path: Path) -> None:
    for text in ("- 1\n- 2\n", "children: [1, 2\n"):
        with pytest.raises(InvalidInput, match=r"synth\.yaml"):
            load_config(_write(tmp_path, text))
    with pytest.raises(InvalidInput, match="cannot read"):
        load_config(tmp_path / "absent.yaml")


def test_constructing_a_bad_config_directly_raises_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="young_carer_rate"):
        SynthConfig(young_carer_rate=1.5)
    with pytest.raises(InvalidInput, match=r"police_errors\.typo_rate"):
        SynthConfig(police_errors=IdentifierErrors(typo_rate=2.0))


def test_every_parameter_is_documented_with_its_default() -> None:
    text = DOCS.read_text(encoding="utf-8")
    config = SynthConfig()
    for f in dataclasses.fields(SynthConfig):
        value = getattr(config, f.name)
        assert f.metadata.get("doc"), f.name
        if dataclasses.is_dataclass(value):
            assert f"`{f.name}`" in text, f.name
            continue
        row = re.search(rf"^\| `{f.name}` \| ([^|]+) \|", text, flags=re.MULTILINE)
        assert row is not None, f"{f.name} is not in docs/synthetic.md"
        assert row.group(1).strip() == str(value), f.name
    groups = [
        getattr(config, name)
        for name in ("council_errors", "school_errors", "police_errors", "health_errors")
    ]
    for f in dataclasses.fields(IdentifierErrors):
        row = re.search(rf"^\| `{f.name}` \| (.+) \|$", text, flags=re.MULTILINE)
        assert row is not None, f"{f.name} is not in docs/synthetic.md"
        cells = [c.strip() for c in row.group(1).split("|")][:4]
        assert cells == [str(getattr(g, f.name)) for g in groups], f.name
