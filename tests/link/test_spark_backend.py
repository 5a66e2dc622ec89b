"""Linkage on Apache Spark (PySpark, local mode) gives what DuckDB gives: the same people and
the same pair probabilities on the same input, trained or with a given model.

Spark takes tens of seconds to start and about a second per query on a small machine, so
one session serves the module and the inputs are small: a few hundred records, three
sources (two duplicate-free, one not), and reviewers' decisions. `make test` installs
PySpark and Java and sets SEEN_REQUIRE_SPARK, so there a missing one fails rather than
skips."""

# ruff: noqa: S608 - table and column names are the test's own

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from link.factories import FebrlSample, encode, febrl_sample, groups
from partnerships import encoded_partnership
from seen.cli import app
from seen.errors import ConfigurationError, InvalidInput
from seen.link import LinkModel, LinkResult, Source, link
from seen.link.backend import DuckDBBackend
from seen.link.schema import bloom_words
from seen.link.spark_backend import (
    check_java,
    filter_words,
    java_major_version,
    records_table,
    spark_session,
)
from seen.store import open_store
from seen.store.linkage import current_people
from seen.store.tables import link_runs
from store.factories import make_settings

TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """One local Spark session for the module, stopped at its end."""
    try:
        session = spark_session()
    except ConfigurationError as error:
        if os.environ.get("SEEN_REQUIRE_SPARK"):
            pytest.fail(f"Spark is required here: {error.message}")
        pytest.skip(f"Spark is not available: {error.message}")
    # The inputs here are a few hundred records: one partition per shuffle, and no code
    # compiled per query, take a third off the module's time (the answers are the same).
    session.conf.set("spark.sql.shuffle.partitions", "1")
    session.conf.set("spark.sql.codegen.wholeStage", "false")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def sample() -> FebrlSample:
    return febrl_sample(pairs=80, extra=25)


@pytest.fixture(scope="module")
def sources(sample: FebrlSample) -> list[Source]:
    """FEBRL's two duplicate-free sides, and a third source holding 40 of side B's people
    again, ten of them twice (so it is deduplicated as well as linked)."""
    again = [dataclasses.replace(p, record_id=f"P{i}") for i, p in enumerate(sample.people_b[:40])]
    twice = [dataclasses.replace(p, record_id=f"P{i}b") for i, p in enumerate(sample.people_b[:10])]
    return [sample.a, sample.b, Source("police", encode(again + twice))]


@pytest.fixture(scope="module")
def model(sources: list[Source]) -> LinkModel:
    return link(sources).model


@pytest.fixture(scope="module")
def decisions(sample: FebrlSample, sources: list[Source], model: LinkModel) -> pa.Table:
    """A reviewer splits two true links and joins two records of different people."""
    a, b = sorted(sample.truth)[:2]
    loners_a = sorted(
        set(sample.a.records.column("record_id").to_pylist()) - {x for x, _ in sample.truth}
    )
    loners_b = sorted(
        set(sample.b.records.column("record_id").to_pylist()) - {y for _, y in sample.truth}
    )
    rows = [
        ("febrl-a", a[0], "febrl-b", a[1], "non_match"),
        ("febrl-b", b[1], "febrl-a", b[0], "non_match"),
        ("febrl-a", loners_a[0], "febrl-b", loners_b[0], "match"),
        ("febrl-a", loners_a[1], "police", "P3", "match"),
        ("febrl-a", loners_a[1], "police", "P3", "non_match"),  # the later row wins
    ]
    names = ["source_l", "record_id_l", "source_r", "record_id_r", "decision"]
    return pa.table({name: [row[i] for row in rows] for i, name in enumerate(names)})


@pytest.fixture(scope="module")
def runs(
    spark: Any, sources: list[Source], model: LinkModel, decisions: pa.Table
) -> tuple[LinkResult, LinkResult]:
    """The same run, with the same model and decisions, on DuckDB and on Spark."""
    options: dict[str, Any] = {"model": model, "decisions": decisions, "review_band": (0.3, 0.9)}
    return link(sources, **options), link(sources, backend="spark", **options)


# ------------------------------------------------------------------------ same results


@pytest.mark.spark
@pytest.mark.slow
def test_spark_finds_the_same_people_as_duckdb(runs: tuple[LinkResult, LinkResult]) -> None:
    duckdb, spark = runs
    assert spark.people.equals(duckdb.people)  # the same clusters, and so the same ids
    people = groups(duckdb.people)
    assert any(len(members) >= 3 for members in people.values())  # linked and deduplicated


@pytest.mark.spark
@pytest.mark.slow
def test_spark_scores_every_pair_as_duckdb_does(runs: tuple[LinkResult, LinkResult]) -> None:
    duckdb, spark = runs
    assert spark.pairs.schema == duckdb.pairs.schema
    assert spark.pairs.num_rows == duckdb.pairs.num_rows > 0
    floats = [
        name
        for name, kind in zip(duckdb.pairs.column_names, duckdb.pairs.schema.types, strict=True)
        if pa.types.is_floating(kind)
    ]
    for name in floats:
        left = duckdb.pairs.column(name).to_numpy(zero_copy_only=False)
        right = spark.pairs.column(name).to_numpy(zero_copy_only=False)
        np.testing.assert_allclose(right, left, rtol=0, atol=TOLERANCE, err_msg=name)
    assert spark.pairs.drop_columns(floats).equals(duckdb.pairs.drop_columns(floats))


@pytest.mark.spark
@pytest.mark.slow
def test_reviewers_decisions_hold_on_spark(
    runs: tuple[LinkResult, LinkResult], sample: FebrlSample
) -> None:
    _, spark = runs
    person = {(r["source"], r["record_id"]): r["person_id"] for r in spark.people.to_pylist()}
    a, b = sorted(sample.truth)[:2]
    assert person[("febrl-a", a[0])] != person[("febrl-b", a[1])]
    assert person[("febrl-a", b[0])] != person[("febrl-b", b[1])]
    decided = spark.pairs.filter(pc.is_valid(spark.pairs.column("decision")))
    assert sorted(decided.column("decision").to_pylist()) == [
        "match",
        "non_match",
        "non_match",
        "non_match",
    ]


@pytest.mark.spark
def test_the_similarity_bound_counts_the_bits_that_differ(spark: Any, sample: FebrlSample) -> None:
    from seen.link.backend import most_bits_differing
    from seen.link.spark_backend import SparkBackend

    filters = sample.a.records.column("bf_family").drop_null()[:30]
    words = bloom_words(filters).view(np.uint64)
    i, j = np.triu_indices(len(words), k=1)
    differing = np.bitwise_count(words[i] ^ words[j]).sum(axis=1)
    thresholds = sorted({0.5, 0.65, 0.8, *(1 - differing[:20] / 256)})
    backend = SparkBackend(spark)
    try:
        words_table = pa.table({"n": np.arange(len(words)), "w": filter_words(filters)})
        backend.register("words", words_table)
        conditions = ", ".join(
            f"{backend.similarity_at_least('a.w', 'b.w', t)} AS c{k}"
            for k, t in enumerate(thresholds)
        )
        got = backend.query(
            f"SELECT a.n AS i, b.n AS j, {conditions} FROM words a JOIN words b ON a.n < b.n "
            "ORDER BY i, j"
        )
    finally:
        backend.close()
    assert got.column("i").to_pylist() == i.tolist()
    for k, threshold in enumerate(thresholds):
        expected = differing <= most_bits_differing(threshold)
        assert got.column(f"c{k}").to_pylist() == expected.tolist(), threshold


# ----------------------------------------------------------------------- the command


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from seen.encode import PartnershipKey

    root = tmp_path_factory.mktemp("partnership")
    return encoded_partnership(root, PartnershipKey.generate(), children=60, seed=5).packages


def _linked_store(tmp_path: Path, packages: list[Path], *options: str) -> dict[str, Any]:
    """Ingest the packages into a new store, run `seen link [options]`, and read back the
    people and the saved run."""
    from seen.package_ingest import ingest_package

    settings = make_settings(tmp_path)
    store = open_store(settings)
    for path in packages:
        ingest_package(store, path)
    env = {"SEEN_DATA_DIR": str(tmp_path), "SEEN_DATABASE_URL": settings.resolved_database_url()}
    result = CliRunner().invoke(app, ["link", *options], env=env)
    assert result.exit_code == 0, result.output
    assert "records linked into" in result.output
    with store.engine.connect() as conn:
        run = conn.execute(select(link_runs)).one()
    return {"people": current_people(store), "backend": run.backend, "model": run.model}


@pytest.mark.spark
@pytest.mark.slow
def test_seen_link_backend_spark_links_a_store_as_duckdb_does(
    spark: Any, packages: list[Path], tmp_path: Path
) -> None:
    on_spark = _linked_store(tmp_path / "spark", packages, "--backend", "spark")
    on_duckdb = _linked_store(tmp_path / "duckdb", packages)
    assert (on_spark["backend"], on_duckdb["backend"]) == ("spark", "duckdb")
    assert len(on_spark["people"]) > 0
    assert on_spark["people"] == on_duckdb["people"]  # trained on Spark: same people, same ids
    trained = LinkModel.from_json(json.dumps(on_spark["model"]))
    reference = LinkModel.from_json(json.dumps(on_duckdb["model"]))
    assert trained.probability_two_random_records_match == pytest.approx(
        reference.probability_two_random_records_match, rel=TOLERANCE
    )
    for name, levels in reference.comparisons.items():
        for got, want in zip(trained.comparisons[name], levels, strict=True):
            assert (got.m, got.u) == pytest.approx((want.m, want.u), rel=TOLERANCE), name


def test_an_unknown_backend_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["link", "--backend", "postgres"],
        env={"SEEN_DATA_DIR": str(tmp_path), "SEEN_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"},
    )
    assert result.exit_code == InvalidInput.exit_code
    output = " ".join(result.output.split())
    assert "unknown linkage backend 'postgres': choose duckdb or spark" in output
    assert not (tmp_path / "x.db").exists()  # refused before anything was opened
    with pytest.raises(InvalidInput, match="unknown linkage backend"):
        link([], backend="Spark")


# ------------------------------------------------------------------ pieces, no Spark


def test_filters_become_sixteen_words_that_differ_where_the_bits_do(
    sample: FebrlSample,
) -> None:
    filters = sample.a.records.column("bf_given")
    words = filter_words(filters)
    assert words.null_count == filters.null_count
    present = np.asarray(words.drop_null().to_pylist(), dtype=np.int64)
    assert present.shape[1] == 16
    expected = bloom_words(filters.drop_null()).view(np.int64)
    np.testing.assert_array_equal(present, expected)
    differing = np.bitwise_count((present[0] ^ present[1]).view(np.uint64)).sum()
    a, b = (bytes(v.as_py()) for v in filters.drop_null()[:2])
    assert differing == sum(bin(x ^ y).count("1") for x, y in zip(a, b, strict=True))


def test_the_spark_records_table_has_duckdbs_columns(sources: list[Source]) -> None:
    table = records_table(sources)
    duckdb = DuckDBBackend()
    try:
        duckdb.load("seen_records", sources)
        columns = duckdb.query("SELECT * FROM seen_records LIMIT 0").column_names
        rids = duckdb.query("SELECT rid FROM seen_records ORDER BY rid").column("rid")
    finally:
        duckdb.close()
    assert table.column_names == columns
    assert table.column("rid").to_pylist() == rids.to_pylist()
    assert records_table([]).num_rows == 0


def test_no_java_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match="Java 17\\+ runtime"):
        check_java()
    assert java_major_version('openjdk version "17.0.15" 2025-04-15') == 17
    assert java_major_version('java version "1.8.0_402"') == 8
    assert java_major_version('openjdk version "25" 2025-09-16') == 25


def test_no_pyspark_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(ConfigurationError, match="pip install 'seen\\[spark\\]'"):
        spark_session()
