from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pytest

from link.factories import FebrlSample, person_of
from seen.errors import InvalidInput
from seen.link import LinkModel, LinkResult, default_model, link
from seen.link.backend import DuckDBBackend, filter_struct
from seen.link.model import COMPARISONS, explain


def test_the_model_round_trips_through_json(model: LinkModel) -> None:
    text = model.to_json()
    again = LinkModel.from_json(text)
    assert again == model
    assert again.to_json() == text
    data = json.loads(text)
    assert data["format"] == "seen-link-model" and data["encoding"] == "seen-encoding-5"


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
        # A level standing in for others (its m is theirs) is not one of the shares.
        shares = [
            p.m for p, lv in zip(levels, comparison.scored_levels, strict=True) if not lv.m_of
        ]
        assert sum(shares) == pytest.approx(1.0)


def test_similarity_of_fixed_weight_filters_is_their_dice_coefficient() -> None:
    rng = np.random.default_rng(5)
    bits = np.zeros((12, 1024), dtype=bool)
    for row in bits:
        row[rng.choice(1024, 128, replace=False)] = True  # seen-encoding-3: weight 128
    bits[1] = bits[0]  # an equal pair
    bits[2, :] = bits[0]
    bits[2, np.flatnonzero(bits[0])[:7]] = False  # seven bits moved: a near pair
    bits[2, np.flatnonzero(~bits[0])[:7]] = True
    blobs = [np.packbits(row).tobytes() for row in bits]
    filters = pa.chunked_array([pa.array([*blobs, None], pa.binary(128))])
    i, j = np.triu_indices(len(bits), k=1)
    dice = (bits[i] & bits[j]).sum(axis=1) / 128
    similarity = 1 - (bits[i] != bits[j]).sum(axis=1) / 256
    assert similarity == pytest.approx(dice)  # fixed weight: the same number
    thresholds = sorted({0.5, 0.62, 0.72, 0.9, 1.0, *similarity[:20]})
    backend = DuckDBBackend()
    try:
        backend.register(
            "f", pa.table({"n": np.arange(len(blobs) + 1), "w": filter_struct(filters)})
        )
        conditions = ", ".join(
            f"{backend.similarity_at_least('a.w', 'b.w', t)} AS c{k}"
            for k, t in enumerate(thresholds)
        )
        got = backend.query(
            f"SELECT a.n AS i, b.n AS j, a.w = b.w AS equal, {conditions} "  # noqa: S608
            "FROM f a JOIN f b ON a.n < b.n ORDER BY i, j"
        )
    finally:
        backend.close()
    known = np.asarray(got.column("j").to_pylist()) < len(blobs)  # pairs with the null filter
    assert got.column("i").to_numpy()[known].tolist() == i.tolist()
    equal = got.column("equal").to_numpy(zero_copy_only=False)
    assert equal[known].tolist() == (similarity == 1.0).tolist()
    unknown = got.filter(pa.array(~known))
    assert unknown.num_rows == len(blobs)
    assert set(unknown.column("equal").to_pylist()) == {None}
    assert set(unknown.column("c0").to_pylist()) == {None}
    for k, threshold in enumerate(thresholds):
        expected = similarity >= threshold - 1e-9
        assert got.column(f"c{k}").to_numpy(zero_copy_only=False)[known].tolist() == (
            expected.tolist()
        ), threshold


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
