"""Same seed, same bytes; another seed, another partnership; the manifest tells the truth."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from seen.synth import SynthConfig, generate
from synth.built import SMALL, Build, Built


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_gives_identical_bytes_for_every_file(small: Built, tmp_path: Path) -> None:
    generate(SynthConfig(children=SMALL, seed=11), tmp_path)
    first, second = _files(small.root), _files(tmp_path)
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def test_different_seed_gives_different_agency_files(small: Built, build: Build) -> None:
    other = build(children=SMALL, seed=12)
    first, second = _files(small.root), _files(other.root)
    compared = 0
    for name in first:
        # Tiny partnerships may have no looked after child missing, say: only a header.
        if name.startswith(("agencies/", "truth/")) and first[name].count(b"\n") > 1:
            assert first[name] != second[name], name
            compared += 1
    assert compared >= 8


def test_manifest_lists_every_file_with_its_rows_and_sha256(small: Built) -> None:
    manifest = json.loads((small.root / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"]: f for f in manifest["files"]}
    on_disk = set(_files(small.root)) - {"manifest.json"}
    assert set(listed) == on_disk
    for path, entry in listed.items():
        data = (small.root / path).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        if path.endswith(".csv"):
            assert entry["rows"] == data.count(b"\n") - 1
        else:
            assert entry["rows"] == data.count(b"<Child>")
    assert manifest["seed"] == 11 and manifest["children"] == SMALL
    assert manifest["config"]["young_carer_rate"] == SynthConfig().young_carer_rate
    assert manifest["config"]["police_errors"]["typo_rate"] == SynthConfig().police_errors.typo_rate
    assert manifest["generator_version"]


def test_files_are_utf8_without_bom_with_unix_line_endings(small: Built) -> None:
    for name, data in _files(small.root).items():
        assert not data.startswith(b"\xef\xbb\xbf"), name
        assert b"\r" not in data, name
        assert data.endswith(b"\n"), name
        data.decode("utf-8")


def test_summary_counts_rows_of_every_agency_file(small: Built) -> None:
    manifest = json.loads((small.root / "manifest.json").read_text(encoding="utf-8"))
    agency = {f["path"]: f["rows"] for f in manifest["files"] if f["path"].startswith("agencies/")}
    assert small.summary.records_by_file == agency
    assert small.summary.total_agency_records == sum(agency.values())
    assert small.summary.children == SMALL
    assert small.summary.households == len(small.rows("truth/households.csv"))
    assert small.summary.out == small.root


def test_progress_is_reported_for_each_stage_in_order(tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    generate(SynthConfig(children=50, seed=5), tmp_path, lambda s, d, t: calls.append((s, d, t)))
    done = [d for _, d, _ in calls]
    assert done == sorted(done) and done[0] == 0
    assert calls[-1][1] == calls[-1][2]
    assert {"population", "schools", "police", "health", "council", "truth"} <= {
        s for s, _, _ in calls
    }
