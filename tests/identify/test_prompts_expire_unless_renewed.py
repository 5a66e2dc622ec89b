"""Prompts are stored with an expiry; an open prompt holds its child's place; only new
evidence renews one; past its expiry a prompt is no longer open, so nothing is permanent."""

from __future__ import annotations

import datetime as dt

import pytest

from seen.errors import StoreError
from seen.identify.labels import Need
from seen.identify.lifecycle import OpenPrompt, plan, run_prompts
from seen.identify.model import train
from seen.identify.partnership import LinkedPartnership
from seen.store import Store
from seen.store.prompts import newest_prompt_id, open_prompts, save_prompts

NOW = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
AS_OF = dt.date(2025, 9, 1)


def row(person: str, raised: dt.date, expires: dt.date) -> dict[str, object]:
    return {
        "person_id": person,
        "need": "young_carer",
        "acting_agency": "young_carers_service",
        "raised_on": raised,
        "expires_on": expires,
        "probability": 0.3,
        "evidence": [{"indicator": "absence_12m", "value": 12.0, "points": 0.4, "events": ["7"]}],
        "model": {"weights": {"absence_12m": 0.03}},
    }


def test_a_stored_prompt_is_open_until_it_expires_and_renewal_moves_its_expiry(
    store: Store,
) -> None:
    expires = AS_OF + dt.timedelta(days=182)
    save_prompts(store, [row("P1", AS_OF, expires)], [], NOW, started_from=None)
    assert [p.person_id for p in open_prompts(store, "young_carer", AS_OF)] == ["P1"]
    assert open_prompts(store, "young_carer", AS_OF - dt.timedelta(days=1)) == []
    assert open_prompts(store, "exploitation", AS_OF) == []
    assert open_prompts(store, "young_carer", AS_OF + dt.timedelta(days=182)) == []
    (prompt,) = open_prompts(store, "young_carer", AS_OF)
    later = AS_OF + dt.timedelta(days=100)
    save_prompts(
        store,
        [],
        [
            {
                "id": prompt.id,
                "renewed_on": later,
                "expires_on": later + dt.timedelta(days=182),
                "probability": 0.4,
                "evidence": [],
                "model": {},
            }
        ],
        NOW,
        started_from=prompt.id,
    )
    (renewed,) = open_prompts(store, "young_carer", AS_OF + dt.timedelta(days=200))
    assert renewed.last_evidence_on == later and renewed.probability == 0.4
    assert open_prompts(store, "young_carer", later + dt.timedelta(days=182)) == []


def test_prompts_saved_by_another_run_while_one_planned_refuse_its_save(store: Store) -> None:
    # Two runs read the open prompts (none) and plan; the first saves. The second planned
    # without seeing the first's prompts, so saving would prompt P1 twice: it is refused.
    planned_from = newest_prompt_id(store, "young_carer")
    expires = AS_OF + dt.timedelta(days=182)
    save_prompts(store, [row("P1", AS_OF, expires)], [], NOW, started_from=planned_from)
    with pytest.raises(StoreError, match="saved by another run while this one planned"):
        save_prompts(
            store,
            [row("P1", AS_OF, expires), row("P2", AS_OF, expires)],
            [],
            NOW,
            started_from=planned_from,
        )
    assert [p.person_id for p in open_prompts(store, "young_carer", AS_OF)] == ["P1"]
    # Another need's prompts are its own.
    assert newest_prompt_id(store, "exploitation") is None


@pytest.mark.slow
def test_only_new_evidence_renews_an_open_prompt(linked: LinkedPartnership) -> None:
    history = linked.history
    model = train(history, Need.EXPLOITATION, AS_OF.toordinal())
    first = plan(history, Need.EXPLOITATION, AS_OF, [], model=model, capacity_share=0.005)
    top = first.new[0]
    assert any(c.events for c in top.explanation.raised_by)
    # Looked at today: nothing is newer, so it is left to expire. Looked at years ago:
    # everything behind it is newer, so it is renewed.
    fresh = OpenPrompt(1, top.person_id, AS_OF)
    stale = OpenPrompt(2, first.new[1].person_id, dt.date(2015, 1, 1))
    again = plan(
        history, Need.EXPLOITATION, AS_OF, [fresh, stale], model=model, capacity_share=0.005
    )
    assert [r.id for r in again.renewed] == [2] and again.left_open == 1
    assert again.renewed[0].expires_on == AS_OF + dt.timedelta(days=182)
    assert not {top.person_id, first.new[1].person_id} & {p.person_id for p in again.new}


@pytest.mark.slow
def test_running_twice_prompts_no_child_twice_and_every_prompt_expires(
    store: Store, linked: LinkedPartnership
) -> None:
    history = linked.history
    first = run_prompts(store, history, Need.EXPLOITATION, AS_OF, capacity_share=0.005, now=NOW)
    stored = open_prompts(store, "exploitation", AS_OF)
    assert len(stored) == len(first.new) > 0
    month = AS_OF + dt.timedelta(days=30)
    second = run_prompts(store, history, Need.EXPLOITATION, month, capacity_share=0.005, now=NOW)
    people = [p.person_id for p in open_prompts(store, "exploitation", month)]
    assert len(people) == len(set(people)) == len(first.new) + len(second.new)
    assert len(second.renewed) + second.left_open == len(first.new)
    latest = max(p.expires_on for p in open_prompts(store, "exploitation", month))
    assert open_prompts(store, "exploitation", latest) == []
