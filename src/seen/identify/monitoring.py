"""Automation-bias monitoring: how reviewers' decisions relate to the prompts they decide.

A prompt is a suggestion; a reviewer who agrees with nearly every one may not be weighing
the evidence (automation bias), and one who overrides nearly every one may be dismissing
them unread, or the prompts may be poor for that agency's children. Neither can be seen in
one decision, only in many. For each need and reviewing agency this counts:

- **agreement**: decisions that go along with the prompt's suggestion to act (offer
  support, refer) against those that override it (no action, not relevant), with a Wilson
  95% interval, so a rate over a handful of decisions is read as the guess it is;
- **time to decision**: the median days from the prompt's evidence (the day it was raised
  or last renewed) to the decision;
- **quick decisions**: decisions taken within `QUICK_SECONDS` of the reviewer first opening
  the prompt, or without opening it at all: too quick to have read the evidence, let alone
  the records (a rubber-stamping signal);
- **outcomes by decision**, including decisions with no outcome recorded and overridden
  prompts whose need came to light later another way (each one a decision worth looking at).

Warnings, with the thresholds documented in docs/identify.md ("Monitoring automation
bias"), are raised only over at least `MIN_DECISIONS` decisions.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from seen.identify.decisions import PromptDecision, PromptOutcome
from seen.identify.labels import Need
from seen.store import Store
from seen.store.prompt_reviews import DecisionFacts, decision_facts

MIN_DECISIONS: Final = 20
HIGH_AGREEMENT: Final = 0.95
LOW_AGREEMENT: Final = 0.20
QUICK_SECONDS: Final = 60
QUICK_SHARE: Final = 0.25
NO_OUTCOME: Final = "none"  # a decision with no outcome recorded yet
_Z95: Final = 1.959964


@dataclass(frozen=True, slots=True)
class ReviewStats:
    """One need's decisions at one reviewing agency."""

    need: Need
    agency: str
    decisions: int
    agreed: int
    by_decision: dict[PromptDecision, int]
    median_days_to_decision: float | None
    quick: int
    outcomes: dict[PromptDecision, dict[str, int]]  # decision -> outcome code or "none" -> n

    @property
    def overridden(self) -> int:
        return self.decisions - self.agreed

    @property
    def agreement(self) -> float | None:
        return self.agreed / self.decisions if self.decisions else None

    @property
    def agreement_interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.agreed, self.decisions)

    @property
    def quick_share(self) -> float | None:
        return self.quick / self.decisions if self.decisions else None

    @property
    def came_to_light_after_override(self) -> int:
        return sum(
            counts.get(PromptOutcome.CAME_TO_LIGHT_LATER.value, 0)
            for decision, counts in self.outcomes.items()
            if not decision.agrees
        )

    @property
    def warnings(self) -> tuple[str, ...]:
        return warnings_for(self)


def wilson_interval(successes: int, trials: int) -> tuple[float, float] | None:
    """The Wilson score 95% interval for a proportion (sound near 0 and 1 and for small
    counts, where the usual +-1.96 standard errors is not)."""
    if trials == 0:
        return None
    p = successes / trials
    z2 = _Z95 * _Z95
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = (_Z95 / (1 + z2 / trials)) * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    # At 0 and 1 the bounds are exactly 0 and 1; computed, they miss by a rounding error.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high


def is_quick(fact: DecisionFacts) -> bool:
    """Decided within QUICK_SECONDS of first opening the prompt, or without opening it."""
    if fact.first_viewed_at is None:
        return True
    return (fact.decided_at - fact.first_viewed_at).total_seconds() < QUICK_SECONDS


def days_to_decision(fact: DecisionFacts) -> int:
    return (fact.decided_at.astimezone(dt.UTC).date() - fact.evidence_on).days


def review_stats(facts: Iterable[DecisionFacts]) -> list[ReviewStats]:
    """The statistics of every (need, agency) with decisions, by need then agency."""
    groups: dict[tuple[str, str], list[DecisionFacts]] = {}
    for fact in facts:
        groups.setdefault((fact.need, fact.agency), []).append(fact)
    found = []
    for (need, agency), group in sorted(groups.items()):
        decisions = [PromptDecision(f.decision) for f in group]
        outcomes: dict[PromptDecision, Counter[str]] = {}
        for fact, decision in zip(group, decisions, strict=True):
            outcomes.setdefault(decision, Counter())[fact.outcome or NO_OUTCOME] += 1
        found.append(
            ReviewStats(
                need=Need(need),
                agency=agency,
                decisions=len(group),
                agreed=sum(1 for d in decisions if d.agrees),
                by_decision={d: decisions.count(d) for d in PromptDecision},
                median_days_to_decision=float(
                    statistics.median(days_to_decision(f) for f in group)
                ),
                quick=sum(1 for f in group if is_quick(f)),
                outcomes={d: dict(sorted(c.items())) for d, c in outcomes.items()},
            )
        )
    return found


def monitor(store: Store, agency: str | None = None) -> list[ReviewStats]:
    """The statistics from the store: every agency's, or one agency's."""
    facts = decision_facts(store)
    return review_stats(f for f in facts if agency is None or f.agency == agency)


def warnings_for(stats: ReviewStats) -> tuple[str, ...]:
    found = []
    n = stats.decisions
    if n >= MIN_DECISIONS and stats.agreement is not None:
        if stats.agreement >= HIGH_AGREEMENT:
            found.append(
                f"Reviewers agreed with {stats.agreed} of {n} prompts. Agreement this high can "
                "mean prompts are being accepted without weighing the evidence (automation "
                "bias): read a sample of these decisions and their reasons."
            )
        elif stats.agreement <= LOW_AGREEMENT:
            found.append(
                f"Reviewers overrode {stats.overridden} of {n} prompts. The prompts may be poor "
                "for this agency's children, or they may be dismissed without being read: "
                "read a sample of the reasons, and check the model."
            )
    if n >= MIN_DECISIONS and (stats.quick_share or 0.0) >= QUICK_SHARE:
        found.append(
            f"{stats.quick} of {n} decisions were taken within {QUICK_SECONDS} seconds of "
            "first opening the prompt, or without opening it: too quick to have read the "
            "evidence."
        )
    if stats.came_to_light_after_override:
        found.append(
            f"{stats.came_to_light_after_override} overridden prompt(s) had the need come to "
            "light later another way: look at those decisions again."
        )
    return tuple(found)
