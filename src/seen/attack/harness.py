"""Run every attack on one hub view and score it: what `tests/attack` and `bench/attack.py` use.

Each attack is a function of the view and the public name list only (`Attack`): the harness
has no way to hand an attack the key, and the attack modules do not import it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from seen.attack.dob import dob_attack
from seen.attack.frequency import bloom_frequency_attack, token_frequency_attack
from seen.attack.guesses import Guesses
from seen.attack.knowledge import PublicNames
from seen.attack.patterns import pattern_mining_attack
from seen.attack.score import Score, Truth, baseline, score
from seen.attack.view import HubView

Attack = Callable[[HubView, PublicNames], Guesses]


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


def _everything(view: HubView, public: PublicNames) -> Guesses:
    """The attacker's best: names from the pattern attack pooled by token where it found any,
    else from token frequencies and name lengths; the exact date of birth wherever the date
    tokens give it away."""
    names = _patterns_with_tokens(view, public).combine(_token_lengths(view, public))
    return names.combine(dob_attack(view))


ATTACKS: Final[Mapping[str, Attack]] = MappingProxyType(
    {
        "baseline (no package)": _baseline,
        "token frequency": token_frequency_attack,
        "token frequency + name lengths": _token_lengths,
        "Bloom frequency": bloom_frequency_attack,
        "pattern mining": _patterns,
        "pattern mining + tokens": _patterns_with_tokens,
        "date of birth from tokens": _dob,
        "all combined": _everything,
    }
)


@dataclass(frozen=True)
class AttackResult:
    attack: str
    score: Score


def run_attacks(
    view: HubView,
    public: PublicNames,
    truth: Truth,
    attacks: Mapping[str, Attack] = ATTACKS,
) -> list[AttackResult]:
    """Every attack's score on the view, in order."""
    return [
        AttackResult(name, score(attack(view, public), truth)) for name, attack in attacks.items()
    ]
