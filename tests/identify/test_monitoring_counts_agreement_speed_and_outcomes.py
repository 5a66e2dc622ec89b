"""Automation-bias monitoring, from a hand-built set of decisions whose numbers are known:
agreement with its interval, median days to a decision, quick decisions, outcomes by
decision, and the warnings at their thresholds; and the same numbers from the store."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from identify.factories import YOUNG_CARERS, YOUNG_CARERS_WORKER, prompt_for, prompted_partnership
from seen.identify.decisions import PromptDecision
from seen.identify.labels import Need
from seen.identify.monitoring import (
    MIN_DECISIONS,
    ReviewStats,
    monitor,
    review_stats,
    wilson_interval,
)
from seen.identify.review import decide, open_prompt, reviewer_for
from seen.store import Store
from seen.store.prompt_reviews import DecisionFacts

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def fact(
    decision: str,
    *,
    need: str = "young_carer",
    agency: str = "yc",
    days: int = 10,
    seconds: float | None = 600,
    outcome: str | None = None,
) -> DecisionFacts:
    """A decision taken `days` after the prompt's evidence, `seconds` after the reviewer
    first opened it (None: without opening it)."""
    viewed = None if seconds is None else T0 - dt.timedelta(seconds=seconds)
    return DecisionFacts(
        need, agency, decision, T0.date() - dt.timedelta(days=days), viewed, T0, outcome
    )


def by(stats: list[ReviewStats], need: str, agency: str) -> ReviewStats:
    (found,) = [s for s in stats if s.need.value == need and s.agency == agency]
    return found


def hand_built() -> list[DecisionFacts]:
    high = (
        [fact("offer_support", days=d, outcome="support_accepted") for d in range(1, 11)]
        + [fact("refer", days=d) for d in range(11, 20)]
        + [fact("no_action", days=100, outcome="came_to_light_later")]
    )
    # Five of the twenty were decided quickly: three unopened, two under a minute.
    for k, seconds in enumerate([None, None, None, 59.9, 5]):
        high[k] = fact(high[k].decision, days=k + 1, seconds=seconds, outcome=high[k].outcome)
    low = [fact("refer", agency="yc-2")] * 4 + [fact("not_relevant", agency="yc-2")] * 16
    panel = [
        fact("refer", need="exploitation", agency="council", days=3, outcome="panel_plan"),
        fact("not_relevant", need="exploitation", agency="council", days=7, seconds=60),
        fact("not_relevant", need="exploitation", agency="council", days=40, seconds=61),
    ]
    return high + low + panel


def test_the_numbers_of_a_hand_built_set_of_decisions() -> None:
    stats = review_stats(hand_built())
    assert [(s.need.value, s.agency) for s in stats] == [
        ("exploitation", "council"),
        ("young_carer", "yc"),
        ("young_carer", "yc-2"),
    ]
    high = by(stats, "young_carer", "yc")
    assert (high.decisions, high.agreed, high.overridden, high.agreement) == (20, 19, 1, 0.95)
    assert high.by_decision == {
        PromptDecision.OFFER_SUPPORT: 10,
        PromptDecision.REFER: 9,
        PromptDecision.NO_ACTION: 1,
        PromptDecision.NOT_RELEVANT: 0,
    }
    # Days: 1..19 and 100: the median of twenty is the mean of the 10th and 11th, 10 and 11.
    assert high.median_days_to_decision == 10.5
    assert (high.quick, high.quick_share) == (5, 0.25)
    assert high.outcomes == {
        PromptDecision.OFFER_SUPPORT: {"support_accepted": 10},
        PromptDecision.REFER: {"none": 9},
        PromptDecision.NO_ACTION: {"came_to_light_later": 1},
    }
    assert high.came_to_light_after_override == 1
    interval = high.agreement_interval
    assert interval is not None
    assert interval == pytest.approx((0.7639, 0.9911), abs=1e-4)  # published Wilson values
    assert [w.split(" ")[:4] for w in high.warnings] == [
        ["Reviewers", "agreed", "with", "19"],
        ["5", "of", "20", "decisions"],
        ["1", "overridden", "prompt(s)", "had"],
    ]

    low = by(stats, "young_carer", "yc-2")
    assert (low.agreed, low.agreement, low.quick) == (4, 0.2, 0)
    assert [w.split(" ")[:4] for w in low.warnings] == [["Reviewers", "overrode", "16", "of"]]

    panel = by(stats, "exploitation", "council")
    assert (panel.decisions, panel.agreed, panel.median_days_to_decision) == (3, 1, 7.0)
    assert panel.quick == 0  # exactly 60 seconds is not quick
    assert panel.warnings == ()  # too few decisions to say anything about agreement


def test_wilson_intervals_match_published_values() -> None:
    assert wilson_interval(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert wilson_interval(5, 10) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    assert wilson_interval(0, 0) is None


@given(
    st.lists(
        st.tuples(
            st.sampled_from([d.value for d in PromptDecision]),
            st.one_of(st.none(), st.floats(0, 10_000)),
        ),
        min_size=1,
        max_size=60,
    )
)
def test_counts_add_up_and_warnings_need_enough_decisions(
    decided: list[tuple[str, float | None]],
) -> None:
    (stats,) = review_stats([fact(d, seconds=s) for d, s in decided])
    assert stats.agreed + stats.overridden == stats.decisions == len(decided)
    assert sum(stats.by_decision.values()) == stats.decisions
    assert sum(sum(c.values()) for c in stats.outcomes.values()) == stats.decisions
    interval = stats.agreement_interval
    assert interval is not None and stats.agreement is not None
    assert interval[0] <= stats.agreement <= interval[1]
    if stats.decisions < MIN_DECISIONS:
        assert stats.warnings == ()


def test_the_store_gives_the_same_numbers(store: Store) -> None:
    prompted_partnership(store)
    yara = reviewer_for(store, YOUNG_CARERS_WORKER, YOUNG_CARERS)
    assert yara is not None
    read = prompt_for(store, Need.YOUNG_CARER, "P0001")
    unread = prompt_for(store, Need.YOUNG_CARER, "P0002")
    open_prompt(store, yara, read.id, T0)
    decide(store, yara, read.id, decision="refer", reason="Read", now=T0 + dt.timedelta(minutes=5))
    decide(store, yara, unread.id, decision="not_relevant", reason="Unread", now=T0)
    (stats,) = monitor(store)
    assert (stats.need, stats.agency, stats.decisions, stats.agreed) == (
        Need.YOUNG_CARER,
        YOUNG_CARERS,
        2,
        1,
    )
    assert stats.quick == 1  # decided without opening it
    assert stats.median_days_to_decision == (T0.date() - read.raised_on).days
    assert monitor(store, agency="northshire-council") == []
