"""Build the synthetic partnership and write every agency's files, the truth and a manifest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import seen
from seen.synth.care import build_timeline
from seen.synth.cin_details import build_details, light_days
from seen.synth.config import GENERATOR_VERSION, SynthConfig
from seen.synth.dates import NO_DATE, DayFormatter, add_years, ordinal
from seen.synth.geography import build_geography
from seen.synth.looked_after import build_placements
from seen.synth.missing import build_missing
from seen.synth.names import load_names
from seen.synth.needs import build_needs
from seen.synth.population import build_children, build_households
from seen.synth.rates import stream
from seen.synth.recording.council import record_council
from seen.synth.recording.health import record_health
from seen.synth.recording.police import record_police
from seen.synth.recording.schools import record_schools
from seen.synth.truth import earliest, write_reference, write_truth
from seen.synth.world import World
from seen.synth.writers import Output, write_manifest

Progress = Callable[[str, int, int], None]
STAGES = (
    "population",
    "needs",
    "social care",
    "schools",
    "police",
    "health",
    "council",
    "truth",
    "manifest",
)


@dataclass(frozen=True)
class SynthSummary:
    children: int
    households: int
    records_by_file: dict[str, int]  # agency file (relative path) -> data rows (XML: children)
    total_agency_records: int  # rows across all agency files
    out: Path


def _days(child_to_day: dict[int, int], n: int) -> np.ndarray:
    out = np.full(n, NO_DATE, dtype=np.int64)
    for child, day in child_to_day.items():
        out[child] = day
    return out


def build_world(config: SynthConfig, step: Callable[[int], None] | None = None) -> World:
    """Everything true about the partnership, before any agency records it."""
    seed = config.seed
    names = load_names()
    geo = build_geography(stream(seed, "geography"), config.areas)
    hh = build_households(stream(seed, "households"), config, geo, names)
    kids = build_children(stream(seed, "children"), config, hh, names)
    if step is not None:
        step(1)
    needs = build_needs(stream(seed, "needs"), config, kids, hh)
    if step is not None:
        step(2)
    care_rng = stream(seed, "social_care")
    timeline = build_timeline(care_rng, config, kids, hh, needs)
    details = build_details(care_rng, config, kids, hh, needs, timeline)
    placements = build_placements(care_rng, config, kids, hh, timeline, details)
    missing = build_missing(stream(seed, "missing"), config, kids, needs, timeline)
    ref = ordinal(config.reference_date)
    # Dates of birth may be recorded a year out; nothing else precedes the oldest child.
    fmt = DayFormatter(int(add_years(np.array([ref]), -21)[0]), ref + 800)
    return World(config, names, geo, hh, kids, needs, timeline, details, placements, missing, fmt)


def generate(config: SynthConfig, out: Path, progress: Progress | None = None) -> SynthSummary:
    """Write a synthetic partnership for `config` into the folder `out` (created if needed).

    The same config always gives byte-identical files. `progress(stage, done, total)` is
    called as each stage starts and once at the end.
    """

    def step(i: int) -> None:
        if progress is not None:
            progress(STAGES[min(i, len(STAGES) - 1)], i, len(STAGES))

    seed = config.seed
    step(0)
    world = build_world(config, step)
    result = Output(Path(out))
    step(3)
    schools = record_schools(
        world,
        result,
        stream(seed, "schools"),
        stream(seed, "ids_school"),
        stream(seed, "errors_school"),
    )
    step(4)
    record_police(
        world,
        result,
        stream(seed, "police"),
        stream(seed, "ids_police"),
        stream(seed, "errors_police"),
    )
    step(5)
    record_health(
        world,
        result,
        stream(seed, "health"),
        stream(seed, "ids_health"),
        stream(seed, "errors_health"),
    )
    step(6)
    record_council(
        world,
        result,
        stream(seed, "council"),
        stream(seed, "ids_council"),
        stream(seed, "errors_council"),
    )
    step(7)
    caring, exploited = light_days(world.timeline, world.details, world.needs, world.kids.n)
    young_carer_light = earliest(schools.first_cs118, _days(caring, world.kids.n))
    write_truth(world, result, young_carer_light, _days(exploited, world.kids.n))
    write_reference(world, result)
    step(8)
    agency_files = {f.path: f.rows for f in result.files if f.path.startswith("agencies/")}
    write_manifest(
        result,
        {
            "generator": "seen.synth",
            "generator_version": GENERATOR_VERSION,
            "seen_version": seen.__version__,
            "seed": config.seed,
            "children": config.children,
            "households": world.hh.n,
            "reference_date": config.reference_date.isoformat(),
            "window_start": config.window_start.isoformat(),
            "config": config.as_dict(),
            "total_agency_records": sum(agency_files.values()),
        },
    )
    if progress is not None:
        progress("done", len(STAGES), len(STAGES))
    return SynthSummary(
        children=world.kids.n,
        households=world.hh.n,
        records_by_file=dict(sorted(agency_files.items())),
        total_agency_records=sum(agency_files.values()),
        out=Path(out),
    )
