"""A prompt lists the indicators that raised it, each one's contribution (which add up to
the prompt's probability) and the events behind it, all from before the prompt's date; it
expires; it is never about a child an agency has already recorded with the need."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from seen.identify.labels import Need, first_recorded
from seen.identify.partnership import LinkedPartnership
from seen.identify.prompts import raise_prompts

pytestmark = pytest.mark.slow
AS_OF = dt.date(2025, 9, 1)


@pytest.mark.parametrize("need", list(Need))
def test_prompts_explain_themselves_and_expire(linked: LinkedPartnership, need: Need) -> None:
    history = linked.history
    _model, prompts = raise_prompts(history, need, AS_OF, capacity_share=0.005, expiry_days=90)
    assert 0 < len(prompts) <= round(0.005 * history.people)
    assert [p.probability for p in prompts] == sorted(
        (p.probability for p in prompts), reverse=True
    )
    first = first_recorded(history, need)
    index = {pid: i for i, pid in enumerate(history.person_ids)}
    for prompt in prompts:
        assert prompt.expires_on == AS_OF + dt.timedelta(days=90)
        assert first[index[prompt.person_id]] >= AS_OF.toordinal()  # not already known
        e = prompt.explanation
        logit = e.baseline_logit + sum(c.points for c in e.contributions)
        assert np.isclose(1 / (1 + np.exp(-logit)), prompt.probability)
        for c in e.contributions:
            assert all(event.on < AS_OF for event in c.events)
            assert all(event.ref.startswith("northshire-") for event in c.events)
    assert prompts[0].explanation.raised_by
    assert any(c.events for c in prompts[0].explanation.raised_by)


def test_open_prompts_are_not_raised_again(linked: LinkedPartnership) -> None:
    _, prompts = raise_prompts(linked.history, Need.EXPLOITATION, AS_OF, capacity_share=0.005)
    still_open = {p.person_id for p in prompts[:3]}
    _, again = raise_prompts(
        linked.history, Need.EXPLOITATION, AS_OF, capacity_share=0.005, open_prompts=still_open
    )
    assert not still_open & {p.person_id for p in again}
