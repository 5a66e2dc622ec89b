"""Everything true about the synthetic partnership, built once and then recorded by each agency."""

from __future__ import annotations

from dataclasses import dataclass

from seen.synth.care import Timeline
from seen.synth.cin_details import EpisodeDetail
from seen.synth.config import SynthConfig
from seen.synth.dates import DayFormatter, ordinal
from seen.synth.geography import Geography
from seen.synth.looked_after import PlacementEpisodes
from seen.synth.missing import MissingEpisodes
from seen.synth.names import NameData
from seen.synth.needs import Needs
from seen.synth.population import Children, Households

NORTHSHIRE_LA_CODE = 990  # a fictional LA number for UPNs and the CIN census header


@dataclass
class World:
    cfg: SynthConfig
    names: NameData
    geo: Geography
    hh: Households
    kids: Children
    needs: Needs
    timeline: Timeline
    details: list[EpisodeDetail]
    placements: PlacementEpisodes
    missing: MissingEpisodes
    fmt: DayFormatter

    @property
    def ref(self) -> int:
        return ordinal(self.cfg.reference_date)

    @property
    def start(self) -> int:
        return ordinal(self.cfg.window_start)
