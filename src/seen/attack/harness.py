"""Run every attack on one hub view and score it: what `tests/attack` and `bench/attack.py` use.

Each attack is a function of the view and the public name list only (`Attack`): the harness
has no way to hand an attack the key, and the attack modules do not import it.

After the attacks, `run_attacks` adds **all combined**: the names of the name attack that
re-identified most on this package, with the exact dates of birth of the date attack where it
has them. Choosing by the score uses the truth, which an attacker does not have; but an attacker
can make the same choice by trying the attacks on a synthetic partnership of its own, encoded
by the published specification with a key of its own, as this harness does.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from seen.attack.dob import dob_attack
from seen.attack.frequency import (
    bloom_frequency_attack,
    names_postcode_frequency_attack,
    token_frequency_attack,
)
from seen.attack.guesses import Guesses
from seen.attack.knowledge import PublicNames
from seen.attack.patterns import pattern_mining_attack
from seen.attack.score import Score, Truth, baseline, score
from seen.attack.view import HubView

Attack = Callable[[HubView, PublicNames], Guesses]

BASELINE: Final = "baseline (no package)"
DATES: Final = "date of birth from tokens"
COMBINED: Final = "all combined"


def _baseline(view: HubView, public: PublicNames) -> Guesses:
    return baseline(view, public)


def _dob(view: HubView, public: PublicNames) -> Guesses:
    return dob_attack(view)


def _patterns(view: HubView, public: PublicNames) -> Guesses:
    return pattern_mining_attack(view, public, pool_by_token=False)


def _patterns_with_tokens(view: HubView, public: PublicNames) -> Guesses:
    return pattern_mining_attack(view, public, pool_by_token=True)


def _token_lengths(view: HubView, public: PublicNames) -> Guesses:
    return token_frequency_attack(view, public, lengths=True)


def _token_through_names_postcode(view: HubView, public: PublicNames) -> Guesses:
    return token_frequency_attack(view, public, merged=True)


ATTACKS: Final[Mapping[str, Attack]] = MappingProxyType(
    {
        BASELINE: _baseline,
        "token frequency": token_frequency_attack,
        "token frequency + name lengths": _token_lengths,
        "names with postcode frequency": names_postcode_frequency_attack,
        "token frequency + names merged through tok_names_postcode": _token_through_names_postcode,
        "Bloom frequency": bloom_frequency_attack,
        "pattern mining": _patterns,
        "pattern mining + tokens": _patterns_with_tokens,
        DATES: _dob,
    }
)


@dataclass(frozen=True)
class AttackResult:
    attack: str
    score: Score
    seconds: float = 0.0
    note: str = ""  # for all combined: which attack's names it took


def run_attacks(
    view: HubView,
    public: PublicNames,
    truth: Truth,
    attacks: Mapping[str, Attack] = ATTACKS,
) -> list[AttackResult]:
    """Every attack's score on the view, in order, then all combined (when there is a name
    attack to combine)."""
    results: list[AttackResult] = []
    guesses: dict[str, Guesses] = {}
    for name, attack in attacks.items():
        began = time.perf_counter()
        guesses[name] = attack(view, public)
        results.append(AttackResult(name, score(guesses[name], truth), time.perf_counter() - began))
    combined = all_combined(guesses, truth)
    if combined is not None:
        results.append(combined)
    return results


def all_combined(guesses: Mapping[str, Guesses], truth: Truth) -> AttackResult | None:
    """The names of the name attack that re-identified most, with the dates of the date attack
    (`DATES`) where it has them; None when there is no name attack."""
    named = {name: score(g, truth) for name, g in guesses.items() if name not in (BASELINE, DATES)}
    if not named:
        return None
    best = max(named, key=lambda name: named[name].reidentified)
    combined = guesses[best]
    if DATES in guesses:
        combined = combined.combine(guesses[DATES])
    return AttackResult(COMBINED, score(combined, truth), 0.0, best)
