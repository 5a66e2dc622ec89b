"""Each prompt's evidence: the indicators that raised it, how much each contributed, and the
events behind each one.

The model is a sum of named parts (`seen.identify.model`): the log-odds of a prompt are the
baseline (a child of that age with no recorded evidence) plus one contribution per indicator,
its weight times how far the child's value is from the reference. Contributions are listed
largest first; the ones above zero are what raised the prompt. Each carries the events the
indicator read (kind, code, date, agency and the stored event's reference, never free text),
so a reviewer can open the records themselves through the usual, audited sharing route.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from seen.domain.events import EventKind
from seen.identify.indicators import Indicators
from seen.identify.model import NeedModel


@dataclass(frozen=True)
class EvidenceEvent:
    ref: str  # the stored event (its id in the store)
    agency: str  # agency kind
    kind: str
    code: str
    qualifier: str
    on: dt.date
    value: float | None

    @property
    def description(self) -> str:
        spec = EventKind(self.kind).spec
        text = spec.label
        if self.code and spec.codes is not None and self.code in spec.codes:
            text += f": {spec.codes[self.code]}"
        if self.qualifier and spec.qualifiers is not None:
            text += f" ({spec.qualifiers.get(self.qualifier, self.qualifier)})"
        if self.value is not None and spec.value_meaning:
            text += f", {self.value:g} {spec.value_meaning}"
        return text


@dataclass(frozen=True)
class Contribution:
    indicator: str
    description: str
    reads: str
    value: float  # the indicator's raw value as of the prompt's date
    unit: str
    points: float  # log-odds added (negative: taken away)
    events: tuple[EvidenceEvent, ...]


@dataclass(frozen=True)
class Explanation:
    probability: float
    baseline_logit: float
    contributions: tuple[Contribution, ...]  # largest first; zero contributions left out

    @property
    def raised_by(self) -> tuple[Contribution, ...]:
        return tuple(c for c in self.contributions if c.points > 0)


def explain(model: NeedModel, indicators: Indicators, person: int, as_of: int) -> Explanation:
    """Why `model` scores `person` as it does on day `as_of`. `indicators` must be over the
    model's own indicators (`Indicators(history, model.indicators)`)."""
    if indicators.names != model.names:
        raise ValueError("the indicators must be the model's own, in its order")
    raw = indicators.at(as_of)[person]
    points = model.contributions(raw)
    h = indicators.history
    parts = []
    for j, indicator in enumerate(model.indicators):
        if abs(points[j]) < 1e-9:
            continue
        events = tuple(
            EvidenceEvent(
                str(h.ref[e]),
                str(h.agency[e]),
                str(h.kind[e]),
                str(h.code[e]),
                str(h.qualifier[e]),
                dt.date.fromordinal(int(h.start[e])),
                None if np.isnan(h.value[e]) else float(h.value[e]),
            )
            for e in indicators.evidence(person, as_of, indicator.name)
        )
        parts.append(
            Contribution(
                indicator.name,
                indicator.description,
                indicator.reads,
                float(np.nan_to_num(raw[j])),
                indicator.unit,
                float(points[j]),
                events,
            )
        )
    parts.sort(key=lambda c: -c.points)
    logit = model.baseline_logit + float(points.sum())
    return Explanation(float(1.0 / (1.0 + np.exp(-logit))), model.baseline_logit, tuple(parts))
