from __future__ import annotations

import json

import pytest

from link.factories import FebrlSample, person_of
from seen.errors import InvalidInput
from seen.link import LinkModel, LinkResult, default_model, link
from seen.link.backend import DuckDBBackend
from seen.link.model import COMPARISONS, explain


def test_the_model_round_trips_through_json(model: LinkModel) -> None:
    text = model.to_json()
    again = LinkModel.from_json(text)
    assert again == model
    assert again.to_json() == text
    data = json.loads(text)
    assert data["format"] == "seen-link-model" and data["encoding"] == "seen-encoding-3"


def test_a_model_read_back_from_json_links_the_same_way(
    febrl: FebrlSample, febrl_run: LinkResult, model: LinkModel
) -> None:
    again = link([febrl.a, febrl.b], model=LinkModel.from_json(model.to_json()))
    assert person_of(again.people) == person_of(febrl_run.people)
    assert again.pairs.equals(febrl_run.pairs)


def test_a_model_for_another_version_or_structure_is_refused(model: LinkModel) -> None:
    data = json.loads(model.to_json())
    with pytest.raises(InvalidInput, match="version"):
        LinkModel.from_json(json.dumps({**data, "version": 99}))
    data["comparisons"]["postcode"] = data["comparisons"]["postcode"][:2]
    with pytest.raises(InvalidInput, match="postcode"):
        LinkModel.from_json(json.dumps(data))
    with pytest.raises(InvalidInput):
        LinkModel.from_json("not json")


def test_training_learns_that_agreement_is_evidence_of_a_match(model: LinkModel) -> None:
    weights = explain(model)
    for name in ("given_name", "family_name", "date_of_birth", "postcode", "nhs_number"):
        assert weights[name]["exact"] > 3 > 0 > weights[name]["else"]
    assert weights["given_name"]["dice_0"] > weights["given_name"]["dice_2"]
    # The sample has no sex, middle names or UK postcodes: those levels carry no weight.
    assert weights["sex"] == {"exact": 0.0, "else": 0.0}
    assert weights["postcode"]["sector"] == 0.0
    assert 0 < model.probability_two_random_records_match < 0.01
    assert model.training["u_pairs"].startswith("known non-matches")


def test_the_default_model_is_a_complete_starting_point() -> None:
    start = default_model()
    for comparison in COMPARISONS:
        levels = start.comparisons[comparison.name]
        assert [p.key for p in levels] == [lv.key for lv in comparison.scored_levels]
        assert sum(p.u for p in levels) == pytest.approx(1.0)
        assert sum(p.m for p in levels) == pytest.approx(1.0)


def test_similarity_of_fixed_weight_filters_is_their_dice_coefficient() -> None:
    backend = DuckDBBackend()
    try:
        # 1 - differing / 256 >= 0.9: at most 25.6 bits differ.
        assert backend.similarity_at_least("a", "b", 0.9) == "bit_count(xor(a, b)) <= 25"
        same = "1" * 128 + "0" * 896
        quarter = "1" * 32 + "0" * 96 + "1" * 96 + "0" * 800  # 32 of its 128 bits shared
        row = backend.query(
            f"SELECT 1 - bit_count(xor('{same}'::BIT, '{same}'::BIT)) / 256 AS equal, "
            f"1 - bit_count(xor('{same}'::BIT, '{quarter}'::BIT)) / 256 AS similarity, "
            f"bit_count('{same}'::BIT & '{quarter}'::BIT) / 128 AS dice, "
            f"bit_count(xor('{same}'::BIT, '{quarter}'::BIT)) <= 192 AS at_least_quarter, "
            f"{backend.similarity_at_least(repr(same) + '::BIT', repr(quarter) + '::BIT', 0.25)}"
            " AS bound"
        ).to_pylist()[0]
        assert row == {
            "equal": 1.0,
            "similarity": 0.25,
            "dice": 0.25,
            "at_least_quarter": True,
            "bound": True,
        }
    finally:
        backend.close()


def test_gamma_values_name_the_levels(febrl_run: LinkResult) -> None:
    from seen.link.model import gamma_levels

    levels = gamma_levels("date_of_birth")
    assert levels[-1] == "null" and levels[0] == "else" and levels[max(levels)] == "exact"
    for row in febrl_run.pairs.to_pylist():
        if row["gamma_date_of_birth"] == max(levels):
            expected = febrl_run.model.level("date_of_birth", "exact").match_weight
            assert row["weight_date_of_birth"] == pytest.approx(expected)
            break
    else:
        pytest.fail("no pair agrees exactly on date of birth")
