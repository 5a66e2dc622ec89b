"""A prompt's life: raised, renewed only by new evidence, and otherwise expired.

`plan` decides, as of a date, which open prompts new evidence renews and which children get a
new prompt; `run_prompts` does it against the store. A prompt still open holds its child's
place (no second prompt); when it expires without new evidence it simply stops being open,
and the child may be prompted afresh later only if the evidence then puts them among the
highest. Nothing is permanent: no flag outlives its expiry.

New evidence means an event that the prompt's raising indicators read, dated on or after the
day the prompt was raised or last renewed (and before the as-of date, like every indicator).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from seen.identify.evaluate import CAPACITY, EXPIRY_DAYS
from seen.identify.explain import Explanation, explain
from seen.identify.history import History
from seen.identify.indicators import Indicators
from seen.identify.labels import Need, eligible, first_recorded
from seen.identify.model import NeedModel, train
from seen.identify.prompts import Prompt, raise_prompts


@dataclass(frozen=True)
class OpenPrompt:
    id: int
    person_id: str
    last_evidence_on: dt.date


@dataclass(frozen=True)
class Renewal:
    id: int
    person_id: str
    expires_on: dt.date
    probability: float
    explanation: Explanation


@dataclass(frozen=True)
class Plan:
    model: NeedModel
    new: list[Prompt]
    renewed: list[Renewal]
    left_open: int  # open prompts with no new evidence: they run to their expiry


def plan(
    history: History,
    need: Need,
    as_of: dt.date,
    open_now: Sequence[OpenPrompt],
    *,
    capacity_share: float = CAPACITY,
    expiry_days: int = EXPIRY_DAYS,
    model: NeedModel | None = None,
) -> Plan:
    day = as_of.toordinal()
    model = model or train(history, need, day)
    indicators = Indicators(history, model.indicators)
    index = {pid: i for i, pid in enumerate(history.person_ids)}
    still = eligible(history, need, day, first_recorded(history, need))
    renewed = []
    for prompt in open_now:
        person = index.get(prompt.person_id)
        if person is None or not still[person]:
            continue
        why = explain(model, indicators, person, day)
        since = prompt.last_evidence_on
        if any(e.on >= since for c in why.raised_by for e in c.events):
            renewed.append(
                Renewal(
                    prompt.id,
                    prompt.person_id,
                    as_of + dt.timedelta(days=expiry_days),
                    why.probability,
                    why,
                )
            )
    _, new = raise_prompts(
        history,
        need,
        as_of,
        capacity_share=capacity_share,
        expiry_days=expiry_days,
        open_prompts={p.person_id for p in open_now},
        model=model,
    )
    return Plan(model, new, renewed, len(open_now) - len(renewed))


def evidence_json(explanation: Explanation) -> list[dict[str, Any]]:
    """A prompt's evidence as stored: indicator names, numbers and event ids only."""
    return [
        {
            "indicator": c.indicator,
            "value": round(c.value, 4),
            "points": round(c.points, 4),
            "events": [e.ref for e in c.events],
        }
        for c in explanation.contributions
    ]


def model_json(model: NeedModel) -> dict[str, Any]:
    return {
        "cutoff": dt.date.fromordinal(model.cutoff).isoformat(),
        "intercept": round(model.intercept, 6),
        "weights": {n: round(float(w), 6) for n, w in zip(model.names, model.weights, strict=True)},
    }


def run_prompts(
    store: Any,
    history: History,
    need: Need,
    as_of: dt.date,
    *,
    capacity_share: float = CAPACITY,
    expiry_days: int = EXPIRY_DAYS,
    now: dt.datetime | None = None,
    model: NeedModel | None = None,
) -> Plan:
    """Plan against the store's open prompts and save the result (with `model`, that model
    scores instead of one trained at `as_of`)."""
    from seen.store.prompts import newest_prompt_id, open_prompts, save_prompts

    started_from = newest_prompt_id(store, need.value)  # before the open prompts: see save
    open_now = [
        OpenPrompt(p.id, p.person_id, p.last_evidence_on)
        for p in open_prompts(store, need.value, as_of)
    ]
    result = plan(
        history,
        need,
        as_of,
        open_now,
        capacity_share=capacity_share,
        expiry_days=expiry_days,
        model=model,
    )
    weights = model_json(result.model)
    save_prompts(
        store,
        [
            {
                "person_id": p.person_id,
                "need": need.value,
                "acting_agency": p.acting_agency.value,
                "raised_on": p.raised_on,
                "expires_on": p.expires_on,
                "probability": p.probability,
                "evidence": evidence_json(p.explanation),
                "model": weights,
            }
            for p in result.new
        ],
        [
            {
                "id": r.id,
                "renewed_on": as_of,
                "expires_on": r.expires_on,
                "probability": r.probability,
                "evidence": evidence_json(r.explanation),
                "model": weights,
            }
            for r in result.renewed
        ],
        now or dt.datetime.now(dt.UTC),
        started_from=started_from,
    )
    return result
