"""Scoring in chunks gives exactly the pairs that scoring in one go gives."""

from __future__ import annotations

import itertools

import pyarrow as pa

from link.factories import FebrlSample
from seen.link import LinkModel
from seen.link.backend import RECORDS, DuckDBBackend
from seen.link.candidates import generate_candidates
from seen.link.score import chunk_bounds, score_candidates, term_frequency_tables


def _scored(febrl: FebrlSample, model: LinkModel, chunk_pairs: int) -> tuple[pa.Table, list]:
    backend = DuckDBBackend()
    try:
        backend.load(RECORDS, [febrl.a, febrl.b])
        generate_candidates(backend, "candidates", RECORDS)
        bounds = chunk_bounds(backend, "candidates", chunk_pairs)
        score_candidates(
            backend,
            model,
            RECORDS,
            "candidates",
            "scored",
            keep_at_least=0.01,
            tf_tables=term_frequency_tables(backend, RECORDS),
            chunk_pairs=chunk_pairs,
        )
        return backend.query("SELECT * FROM scored ORDER BY rid_l, rid_r"), bounds
    finally:
        backend.close()


def test_scoring_in_chunks_gives_identical_pairs(febrl: FebrlSample, model: LinkModel) -> None:
    whole, one = _scored(febrl, model, 10**9)
    chunked, bounds = _scored(febrl, model, 37)
    assert one == [(None, None)]
    assert len(bounds) > 5
    assert whole.num_rows > 100
    assert chunked.equals(whole)


def test_chunk_bounds_cover_every_candidate_once() -> None:
    backend = DuckDBBackend()
    try:
        # rid_l 0 holds 10 pairs, 1..5 hold 1 each, 9 holds 3.
        rids = [0] * 10 + [1, 2, 3, 4, 5] + [9] * 3
        backend.register(
            "candidates", pa.table({"rid_l": rids, "rid_r": range(100, 100 + len(rids))})
        )
        bounds = chunk_bounds(backend, "candidates", 4)
        assert bounds[0][0] == 0 and bounds[-1][1] == 10
        assert all(high == low for (_, high), (low, _) in itertools.pairwise(bounds))
        assert all(low < high for low, high in bounds)
        assert len(bounds) > 1
        assert chunk_bounds(backend, "candidates", len(rids)) == [(None, None)]
    finally:
        backend.close()


def test_the_levels_computed_for_kept_pairs_are_splinks_own(
    febrl: FebrlSample, model: LinkModel
) -> None:
    from splink import Linker

    from seen.link.model import COMPARISON_NAMES
    from seen.link.settings import splink_settings

    ours, _ = _scored(febrl, model, 10**9)
    backend = DuckDBBackend()
    try:
        backend.load(RECORDS, [febrl.a, febrl.b])
        generate_candidates(backend, "candidates", RECORDS)
        api = backend.splink_api()
        settings = splink_settings(model, backend)
        settings.retain_matching_columns = True  # Splink's gamma columns come with these
        linker = Linker(api.register(RECORDS), settings, log_level=None)
        backend.execute(
            "CREATE TABLE blocked AS SELECT match_key::STRING AS match_key, "
            "rid_l AS join_key_l, rid_r AS join_key_r FROM candidates"
        )
        linker.table_management.register_blocked_pairs_for_predict(api.register("blocked"))
        predictions = linker.inference.predict(threshold_match_probability=0.01)
        gammas = ", ".join(f"gamma_{n}" for n in COMPARISON_NAMES)
        splinks = backend.query(
            f"SELECT rid_l, rid_r, {gammas} FROM {predictions.physical_name} "  # noqa: S608
            "ORDER BY rid_l, rid_r"
        )
    finally:
        backend.close()
    assert splinks.num_rows == ours.num_rows > 100
    for name in ("rid_l", "rid_r", *(f"gamma_{n}" for n in COMPARISON_NAMES)):
        assert ours.column(name).to_pylist() == splinks.column(name).to_pylist(), name
