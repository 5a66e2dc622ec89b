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
    token_frequency_attack,
)

# About 2,250 school records (4,700 in every agency's package): large enough for the attacks to
# work on the controls, small enough for the whole module to run in about a minute and a half.
CHILDREN = 2_000
SEED = 1
PUBLIC_CHILDREN = 20_000

Attack = Callable[[HubView, PublicNames], Guesses]


class Results:
    """Views, truths and attack results, each computed on first use."""

    def __init__(self, scenario: Scenario, exact: PublicNames) -> None:
        self.scenario = scenario
        self.knowledge = {"population": scenario.public, "exact": exact}
        self._views: dict[tuple[Variant, bool], tuple[HubView, Truth]] = {}
        self._guesses: dict[tuple[Variant, bool, str, str], Guesses] = {}

    def view(self, variant: Variant, *, hub: bool = False) -> HubView:
        """The schools package, or with `hub` every agency's package (as the hub holds them)."""
        return self._view(variant, hub)[0]

    def truth(self, variant: Variant, *, hub: bool = False) -> Truth:
        return self._view(variant, hub)[1]

    def _view(self, variant: Variant, hub: bool) -> tuple[HubView, Truth]:
        if (variant, hub) not in self._views:
            if hub:
                self._views[variant, hub] = self.scenario.hub(variant)
            else:
                view = self.scenario.view(variant)
                self._views[variant, hub] = (view, self.scenario.truth(view))
        return self._views[variant, hub]

    def guesses(
        self, variant: Variant, attack: Attack, knowledge: str = "population", *, hub: bool = False
    ) -> Guesses:
        key = (variant, hub, attack.__name__, knowledge)
        if key not in self._guesses:
            view = self.view(variant, hub=hub)
            self._guesses[key] = attack(view, self.knowledge[knowledge])
        return self._guesses[key]

    def score(
        self, variant: Variant, attack: Attack, knowledge: str = "population", *, hub: bool = False
    ) -> Score:
        return score(
            self.guesses(variant, attack, knowledge, hub=hub), self.truth(variant, hub=hub)
        )


def patterns(view: HubView, public: PublicNames) -> Guesses:
    """The pattern-mining attack within each salt group: the filters alone."""
    return pattern_mining_attack(view, public, pool_by_token=False)


def patterns_with_tokens(view: HubView, public: PublicNames) -> Guesses:
    """The pattern-mining attack with filters pooled by their name token."""
    return pattern_mining_attack(view, public, pool_by_token=True)


def token_lengths(view: HubView, public: PublicNames) -> Guesses:
    """Token frequencies weighed with the name lengths the unbalanced filters show."""
    return token_frequency_attack(view, public, lengths=True)


def date_of_birth(view: HubView, public: PublicNames) -> Guesses:
    """The date-of-birth attack (it needs no name list)."""
    return dob_attack(view)


def tokens_through_names_postcode(view: HubView, public: PublicNames) -> Guesses:
    """The token frequency attack with the name tokens merged through tok_names_postcode."""
    return token_frequency_attack(view, public, merged=True)
