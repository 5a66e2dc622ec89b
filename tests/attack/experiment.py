"""What the attack tests share: the size of the synthetic partnership, a cache of every attack's
result on each encoding, and the attacks as plain functions of (view, public list)."""

from __future__ import annotations

from collections.abc import Callable

from seen.attack import (
    Guesses,
    HubView,
    PublicNames,
    Scenario,
    Score,
    Truth,
    Variant,
    dob_attack,
    pattern_mining_attack,
    score,
)

# About 2,250 school records: large enough for the attacks to work on the control, small
# enough for the whole module to run in well under a minute.
CHILDREN = 2_000
SEED = 1
PUBLIC_CHILDREN = 20_000

Attack = Callable[[HubView, PublicNames], Guesses]


class Results:
    """Views, truths and attack results, each computed on first use."""

    def __init__(self, scenario: Scenario, exact: PublicNames) -> None:
        self.scenario = scenario
        self.knowledge = {"population": scenario.public, "exact": exact}
        self._views: dict[Variant, tuple[HubView, Truth]] = {}
        self._guesses: dict[tuple[Variant, str, str], Guesses] = {}

    def view(self, variant: Variant) -> HubView:
        return self._view(variant)[0]

    def truth(self, variant: Variant) -> Truth:
        return self._view(variant)[1]

    def _view(self, variant: Variant) -> tuple[HubView, Truth]:
        if variant not in self._views:
            view = self.scenario.view(variant)
            self._views[variant] = (view, self.scenario.truth(view))
        return self._views[variant]

    def guesses(self, variant: Variant, attack: Attack, knowledge: str = "population") -> Guesses:
        key = (variant, attack.__name__, knowledge)
        if key not in self._guesses:
            self._guesses[key] = attack(self.view(variant), self.knowledge[knowledge])
        return self._guesses[key]

    def score(self, variant: Variant, attack: Attack, knowledge: str = "population") -> Score:
        return score(self.guesses(variant, attack, knowledge), self.truth(variant))


def patterns(view: HubView, public: PublicNames) -> Guesses:
    """The pattern-mining attack within each salt group: the filters alone."""
    return pattern_mining_attack(view, public, pool_by_token=False)


def patterns_with_tokens(view: HubView, public: PublicNames) -> Guesses:
    """The pattern-mining attack with each name's filters tied together by its token."""
    return pattern_mining_attack(view, public, pool_by_token=True)


def date_of_birth(view: HubView, public: PublicNames) -> Guesses:
    """The date-of-birth attack (it needs no name list)."""
    return dob_attack(view)
