"""Benchmark: linking a synthetic partnership of a million agency records, encoded
`seen.link` against plaintext Splink on the same records, in the same run.

Target (linkage issue): on a synthetic partnership of at least 1,000,000 agency records,
encoded F1 at least plaintext Splink's F1; end to end (train, score, cluster) at most 1.5x
plaintext Splink's time; peak memory at most 4 GB.

What is measured:

1. `seen.synth` writes a partnership (`--children`; the default gives at least a million
   *linkable* records, that is distinct agency references, each agency's rows merged into
   one record per reference as the agency side reads them; the synthetic benchmark's
   "agency rows" are several times more).
2. Agency side, one agency at a time in its own process: `seen.formats.read_extract` reads
   the extract, `seen.encode.encode_records` encodes it with a new partnership key (timed:
   encoding is its own target and is not part of linkage), and the same records' raw
   identity fields are kept for the plaintext run. Every source is linked as not
   duplicate-free, as `seen demo` packages them (pupils change school, and police, health
   and council open second records).
3. Hub side, each linker in a fresh process of its own (so its peak resident size, from
   `getrusage`, is its own; it includes reading its input from Parquet):
   - **encoded**: `seen.link.link` on DuckDB, everything by default (training included);
     stage times from its progress callback. Its sources are a generator, so `link` reads
     each agency's Parquet file as it loads it and holds no table after; the reading is
     timed apart and not counted, as plaintext Splink's is not.
   - **plaintext Splink** reads its input before its clock starts, as Splink takes one
     table in memory. Its model is built as Splink's documentation builds one:
     `NameComparison` (with term frequencies) on given and family name and on middle names,
     `DateOfBirthComparison`, `PostcodeComparison`, `ExactMatch` on sex, NHS number and UPN;
     blocking on the identifiers, name pairs, names with date of birth or postcode, date of
     birth with postcode, and swapped names; the prior from deterministic rules (identifier,
     or names and date of birth, or family name, date of birth and postcode, recall 0.75); u
     by random sampling (10 million pairs); m by EM blocked on date of birth and on the
     names, capped at 2 million pairs like `seen.link`'s own EM; predictions at 0.5 and
     connected components at 0.9.
4. Quality: pairwise precision, recall and F1 of the people (clusters at 0.9) against
   `truth/records.csv`, with `seen.link.quality.pairwise_quality`.

Names are lower-cased and trimmed for Splink (its documentation asks for standardised
input); dates of birth are dates; postcodes as the agency holds them ("ZX3 7AB").

    .venv/bin/python bench/link_synthetic.py                    # 432,000 children
    .venv/bin/python bench/link_synthetic.py --children 20000   # about 50,000 records
    .venv/bin/python bench/link_synthetic.py --work DIR         # keep (and reuse) inputs

Prints markdown tables. Times are wall clock on a shared machine: compare the ratio.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import multiprocessing
import os
import resource
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from host import describe

DEFAULT_CHILDREN = 432_000
THRESHOLD = 0.9
PREDICT_AT = 0.5
EM_MAX_PAIRS = 2_000_000
U_MAX_PAIRS = 10_000_000
TARGET_RECORDS = 1_000_000
TARGET_RATIO = 1.5
TARGET_PEAK_MIB = 4096


# ------------------------------------------------------------------------------ helpers


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def _in_process(target: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """Run target(*args) in a fresh spawned process; return its result dict."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(queue, target, args))
    process.start()
    result = queue.get()
    process.join()
    if process.exitcode != 0 or "error" in result:
        raise SystemExit(f"{target.__name__} failed: {result.get('error')}")
    return result


def _child(queue: Any, target: Callable[..., dict[str, Any]], args: tuple[Any, ...]) -> None:
    import logging
    import traceback

    logging.disable(logging.WARNING)
    try:
        result = target(*args)
        result["peak_mib"] = _peak_mib()
    except BaseException:  # report and let the parent fail
        result = {"error": traceback.format_exc()}
    queue.put(result)


# ------------------------------------------------------------------------------ prepare


def generate(children: int, seed: int, out: str) -> dict[str, Any]:
    from seen.synth import SynthConfig, generate

    started = time.perf_counter()
    summary = generate(SynthConfig(children=children, seed=seed), Path(out))
    return {"rows": summary.total_agency_records, "seconds": time.perf_counter() - started}


def prepare_agency(
    partnership: str, agency: str, key_hex: str, work: str, keep_mistyped: bool
) -> dict[str, Any]:
    """Agency side for one agency: read, encode (timed), and keep the raw identities."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from seen.domain.encoding import BLOOM_COLUMNS, NEAR_COLUMNS, TOKEN_COLUMNS
    from seen.encode import PartnershipKey, encode_records
    from seen.formats import DeprivationLookup, read_extract

    root = Path(partnership)
    lookup = DeprivationLookup.from_csv(root / "reference" / "postcode_deprivation.csv")
    started = time.perf_counter()
    extract = read_extract(
        [root / "agencies" / agency],
        lookup,
        today=_reference_date(root),
        keep_mistyped=keep_mistyped,
    )
    read_seconds = time.perf_counter() - started
    records = sorted(extract.records.values(), key=lambda r: r.record_id)
    key = PartnershipKey(bytes.fromhex(key_hex))
    started = time.perf_counter()
    encoded = encode_records(records, key)
    encode_seconds = time.perf_counter() - started
    encoded = encoded.select(["record_id", *TOKEN_COLUMNS, *BLOOM_COLUMNS, *NEAR_COLUMNS])
    pq.write_table(encoded, Path(work) / f"encoded-{agency}.parquet")

    def text(value: str | None) -> str | None:
        value = (value or "").strip().lower()
        return value or None

    identities = [r.identity for r in records]
    plain = pa.table(
        {
            "unique_id": pa.array([f"{agency}|{r.record_id}" for r in records], pa.string()),
            "source_dataset": pa.array([agency] * len(records), pa.string()),
            "record_id": pa.array([r.record_id for r in records], pa.string()),
            "given_name": pa.array([text(i.given_name) for i in identities], pa.string()),
            "middle_names": pa.array([text(i.middle_names) for i in identities], pa.string()),
            "family_name": pa.array([text(i.family_name) for i in identities], pa.string()),
            "dob": pa.array([i.date_of_birth for i in identities], pa.date32()),
            "sex": pa.array(
                [None if i.sex.value == "U" else i.sex.value for i in identities], pa.string()
            ),
            "postcode": pa.array(
                [(i.postcode or "").strip().upper() or None for i in identities], pa.string()
            ),
            "nhs_number": pa.array([i.nhs_number for i in identities], pa.string()),
            "upn": pa.array([i.upn for i in identities], pa.string()),
        }
    )
    pq.write_table(plain, Path(work) / f"plain-{agency}.parquet")
    return {
        "agency": agency,
        "records": len(records),
        "kept_mistyped": len(extract.kept),
        "rejected_rows": len(extract.rejected),
        "read_seconds": read_seconds,
        "encode_seconds": encode_seconds,
    }


def _reference_date(root: Path) -> dt.date:
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    return dt.date.fromisoformat(manifest["reference_date"])


# ------------------------------------------------------------------------------ linkers


def encoded_linker(work: str, agencies: list[str]) -> dict[str, Any]:
    import pyarrow.parquet as pq

    from seen.link import Source, link

    reading = [0.0]

    def sources() -> Iterator[Source]:
        """A generator: `link` reads each agency's table when it loads it and does not hold
        it after, as a hub reading packages from disk would. Reading is timed apart and
        taken out of the linker's time, as plaintext Splink's is."""
        for agency in agencies:
            began = time.perf_counter()
            table = pq.read_table(Path(work) / f"encoded-{agency}.parquet")
            reading[0] += time.perf_counter() - began
            yield Source(agency, table)
            del table

    stages: dict[str, float] = {}
    started = time.perf_counter()

    def progress(stage: str, step: int, steps: int) -> None:
        stages[stage] = time.perf_counter() - started

    result = link(sources(), threshold=THRESHOLD, progress=progress)
    total = time.perf_counter() - started
    pq.write_table(result.people, Path(work) / "people-encoded.parquet")
    names = list(stages)
    ends = [stages[n] for n in names[1:]] + [total]
    took = {n: end - stages[n] for n, end in zip(names, ends, strict=True)}
    took["load"] -= reading[0]
    return {
        "seconds": total - reading[0],
        "read_seconds": reading[0],
        "stages": took,
        "pairs": result.pairs.num_rows,
        "training": _small(result.model.training),
    }


def _small(value: Any) -> Any:
    """The model's training notes, JSON-safe, without long lists."""
    try:
        text = json.dumps(value, default=str)
    except TypeError:
        return str(value)[:2000]
    return json.loads(text) if len(text) < 20_000 else text[:2000]


def plaintext_linker(work: str, agencies: list[str]) -> dict[str, Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    table = pa.concat_tables(
        [pq.read_table(Path(work) / f"plain-{agency}.parquet") for agency in agencies]
    )
    stages: dict[str, float] = {}
    started = time.perf_counter()

    def stage(name: str) -> None:
        stages[name] = time.perf_counter() - started

    stage("load")
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=[
            block_on("nhs_number"),
            block_on("upn"),
            block_on("given_name", "family_name"),
            block_on("family_name", "dob"),
            block_on("given_name", "dob"),
            block_on("dob", "postcode"),
            block_on("given_name", "postcode"),
            block_on("family_name", "postcode"),
            "l.given_name = r.family_name AND l.family_name = r.given_name",
        ],
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("middle_names"),
            cl.NameComparison("family_name").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=False),
            cl.ExactMatch("sex"),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("nhs_number"),
            cl.ExactMatch("upn"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(table), settings, log_level=None)
    stage("train")
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("nhs_number"),
            block_on("upn"),
            block_on("given_name", "family_name", "dob"),
            block_on("family_name", "dob", "postcode"),
        ],
        recall=0.75,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=1)
    for rule in (block_on("dob"), block_on("given_name", "family_name")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, max_pairs=EM_MAX_PAIRS
        )
    stage("score")
    predictions = linker.inference.predict(threshold_match_probability=PREDICT_AT)
    pairs = predictions.as_duckdbpyrelation().aggregate("count(*) AS n").fetchall()[0][0]
    stage("cluster")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=THRESHOLD
    )
    people = clusters.as_duckdbpyrelation().select("unique_id, cluster_id").to_arrow_table()
    total = time.perf_counter() - started
    pq.write_table(people, Path(work) / "people-plaintext.parquet")
    names = list(stages)
    ends = [stages[n] for n in names[1:]] + [total]
    return {
        "seconds": total,
        "stages": {n: end - stages[n] for n, end in zip(names, ends, strict=True)},
        "pairs": int(pairs),
    }


# ------------------------------------------------------------------------------ quality


def truth_of(partnership: Path) -> dict[tuple[str, str], str]:
    truth: dict[tuple[str, str], str] = {}
    with (partnership / "truth" / "records.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            truth[(row["agency"], row["record_id"])] = row["person_id"]
    return truth


def quality(work: Path, name: str, truth: dict[tuple[str, str], str]) -> Any:
    import pyarrow.parquet as pq

    from seen.link.quality import pairwise_quality

    people = pq.read_table(work / f"people-{name}.parquet")
    if name == "encoded":
        keys = zip(people["source"].to_pylist(), people["record_id"].to_pylist(), strict=True)
        persons = people["person_id"].to_pylist()
    else:
        keys = (tuple(u.split("|", 1)) for u in people["unique_id"].to_pylist())
        persons = [str(c) for c in people["cluster_id"].to_pylist()]
    return pairwise_quality(zip(keys, persons, strict=False), truth)


# ------------------------------------------------------------------------------ main


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%h %s"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent,
        )
        dirty = subprocess.run(  # read only: no optional index refresh
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        )
        return out.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=DEFAULT_CHILDREN)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, help="keep inputs and outputs here (and reuse)")
    parser.add_argument(
        "--only", choices=("encoded", "plaintext"), help="run one linker (for diagnosis)"
    )
    parser.add_argument(
        "--keep-mistyped-numbers",
        action="store_true",
        help="the agencies keep rows whose NHS number or UPN fails its check, as `seen demo` does",
    )
    args = parser.parse_args(argv)

    import splink

    from seen.domain.encoding import ENCODING_VERSION

    print(
        f"link_synthetic: {args.children:,} children, seed {args.seed}; {describe()}, "
        f"Splink {splink.__version__}; {ENCODING_VERSION}; "
        f"commit {_commit()}; {dt.date.today().isoformat()}",
        flush=True,
    )
    scratch = None
    if args.work is None:
        scratch = tempfile.TemporaryDirectory(prefix="seen-link-synthetic-")
        work = Path(scratch.name)
    else:
        work = args.work
        work.mkdir(parents=True, exist_ok=True)
    partnership = work / "partnership"
    prepared = work / "prepared.json"
    try:
        if prepared.exists():
            info = json.loads(prepared.read_text(encoding="utf-8"))
            print(f"Reusing the prepared partnership in {work}.", flush=True)
        else:
            made = _in_process(generate, args.children, args.seed, str(partnership))
            print(
                f"Synthesised {made['rows']:,} agency rows in {made['seconds']:.0f} s.", flush=True
            )
            key = os.urandom(32).hex()
            agencies = sorted(p.name for p in (partnership / "agencies").iterdir())
            per_agency = []
            for agency in agencies:
                done = _in_process(
                    prepare_agency,
                    str(partnership),
                    agency,
                    key,
                    str(work),
                    args.keep_mistyped_numbers,
                )
                per_agency.append(done)
                print(
                    f"  {agency}: {done['records']:,} records ({done['rejected_rows']:,} rows "
                    f"rejected, {done['kept_mistyped']:,} kept with a mistyped number), read "
                    f"{done['read_seconds']:.0f} s, encoded {done['encode_seconds']:.1f} s, "
                    f"peak {done['peak_mib']:,.0f} MiB",
                    flush=True,
                )
            info = {"rows": made["rows"], "agencies": agencies, "per_agency": per_agency}
            prepared.write_text(json.dumps(info), encoding="utf-8")
        agencies = info["agencies"]
        records = sum(a["records"] for a in info["per_agency"])
        encode_seconds = sum(a["encode_seconds"] for a in info["per_agency"])
        print(
            f"{records:,} linkable records ({info['rows']:,} agency rows) in "
            f"{len(agencies)} agencies; encoding took {encode_seconds:.1f} s "
            f"({records / encode_seconds:,.0f} records/s).",
            flush=True,
        )
        truth = truth_of(partnership)
        runs: dict[str, dict[str, Any]] = {}
        linkers = {"plaintext": plaintext_linker, "encoded": encoded_linker}
        for name, linker in linkers.items():
            if args.only and name != args.only:
                continue
            print(f"Running the {name} linker...", flush=True)
            runs[name] = _in_process(linker, str(work), agencies)
            runs[name]["quality"] = quality(work, name, truth)
            stages = ", ".join(f"{k} {v:.1f}" for k, v in runs[name]["stages"].items())
            print(f"  {runs[name]['seconds']:.1f} s ({stages})", flush=True)
        _report(runs, records)
        _coverage(runs, truth)
        if "encoded" in runs:
            print()
            print("seen.link training notes:")
            print(json.dumps(runs["encoded"]["training"], indent=1, default=str)[:4000])
    finally:
        if scratch is not None:
            scratch.cleanup()
    return 0


def _report(runs: dict[str, dict[str, Any]], records: int) -> None:
    print()
    print(
        "| linker | records | precision | recall | F1 | pairs scored | link s "
        "| train s | score s | cluster s | peak MiB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, run in runs.items():
        q, st = run["quality"], run["stages"]
        if name == "encoded":
            label = "encoded `seen.link`"
            train, score = st.get("train", 0.0), st.get("score", 0.0)
            cluster = st.get("cluster", 0.0) + st.get("ids", 0.0)
        else:
            label = "plaintext Splink"
            train, score, cluster = st["train"], st["score"], st["cluster"]
        print(
            f"| {label} | {records:,} | {q.precision:.4f} | {q.recall:.4f} | {q.f1:.4f} "
            f"| {run['pairs']:,} | {run['seconds']:.1f} | {train:.1f} | {score:.1f} "
            f"| {cluster:.1f} | {run['peak_mib']:,.0f} |"
        )
    if "encoded" in runs:
        st = runs["encoded"]["stages"]
        print()
        print(
            "Encoded stages (s): "
            + ", ".join(f"{k} {v:.1f}" for k, v in st.items())
            + f"; reading the Parquet inputs, not counted: {runs['encoded']['read_seconds']:.1f}"
        )
    if len(runs) == 2:
        enc, plain = runs["encoded"], runs["plaintext"]
        ratio = enc["seconds"] / plain["seconds"]
        f1_ok = enc["quality"].f1 >= plain["quality"].f1
        print()
        print("| target | measured | met |")
        print("|---|---:|:---:|")
        print(
            f"| at least {TARGET_RECORDS:,} records | {records:,} "
            f"| {'yes' if records >= TARGET_RECORDS else 'no'} |"
        )
        print(
            f"| encoded F1 >= plaintext F1 | {enc['quality'].f1:.4f} vs "
            f"{plain['quality'].f1:.4f} | {'yes' if f1_ok else 'NO'} |"
        )
        print(
            f"| time <= {TARGET_RATIO}x plaintext | {ratio:.2f}x | "
            f"{'yes' if ratio <= TARGET_RATIO else 'NO'} |"
        )
        print(
            f"| peak <= {TARGET_PEAK_MIB:,} MiB | {enc['peak_mib']:,.0f} MiB "
            f"| {'yes' if enc['peak_mib'] <= TARGET_PEAK_MIB else 'NO'} |"
        )


def _coverage(runs: dict[str, dict[str, Any]], truth: dict[tuple[str, str], str]) -> None:
    """How many of the truth's pairs each linker found, of all the agencies' references, the
    rejected rows' records included: what a rejected row costs, which F1 over the records
    read cannot show."""
    from collections import Counter

    everyone = sum(n * (n - 1) // 2 for n in Counter(truth.values()).values())
    print()
    print(f"True pairs among all {len(truth):,} agency references: {everyone:,}.")
    for name, run in runs.items():
        found = run["quality"].correct_pairs
        print(f"- {name}: {found:,} found ({found / everyone:.4f} of them)")


if __name__ == "__main__":
    raise SystemExit(main())
