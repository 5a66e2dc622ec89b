"""Prompts: a suggestion that a human consider offering support, with its evidence.

A prompt is never a decision and never a flag: it names the need it is about, the action it
suggests, the agency whose review queue it belongs to, the model's probability (that an agency
would record the need within a year), its evidence, and an expiry date. `raise_prompts` picks,
as of a date, the highest scored eligible children up to a capacity (a share of the children
the hub knows), leaving out children with a prompt still open; the model is trained afresh
with its cutoff at that date, so it uses nothing recorded after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from seen.domain.agencies import AgencyKind
from seen.identify.evaluate import CAPACITY, EXPIRY_DAYS
from seen.identify.explain import Explanation, explain
from seen.identify.history import History
from seen.identify.indicators import Indicators
from seen.identify.labels import Need, eligible, first_recorded
from seen.identify.model import NeedModel, train


@dataclass(frozen=True)
class Prompt:
    person_id: str
    need: Need
    raised_on: dt.date
    expires_on: dt.date
    probability: float
    acting_agency: AgencyKind
    explanation: Explanation

    @property
    def action(self) -> str:
        return self.need.spec.action


def raise_prompts(
    history: History,
    need: Need,
    as_of: dt.date,
    *,
    capacity_share: float = CAPACITY,
    expiry_days: int = EXPIRY_DAYS,
    open_prompts: Collection[str] = (),
    model: NeedModel | None = None,
) -> tuple[NeedModel, list[Prompt]]:
    """The model used and the prompts raised for `need` on `as_of`, highest first."""
    day = as_of.toordinal()
    model = model or train(history, need, day)
    indicators = Indicators(history, model.indicators)
    p = model.probability(indicators.at(day))
    keep = eligible(history, need, day, first_recorded(history, need))
    keep &= ~np.isin(history.person_ids, list(open_prompts))
    p = np.where(keep, p, -np.inf)
    capacity = max(1, round(capacity_share * history.people))
    order = np.argsort(-p, kind="stable")[:capacity]
    expires = as_of + dt.timedelta(days=expiry_days)
    prompts = [
        Prompt(
            str(history.person_ids[i]),
            need,
            as_of,
            expires,
            float(p[i]),
            need.spec.acting_agency,
            explain(model, indicators, int(i), day),
        )
        for i in order
        if np.isfinite(p[i])
    ]
    return model, prompts
