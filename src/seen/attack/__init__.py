"""Privacy evidence: attacks on packages by a hub that holds no key.

The attacker holds what the hub holds (`HubView`: the packages' records tables) and a public
name-frequency list (`PublicNames`), never the partnership key. The attacks:

- `token_frequency_attack`: align the frequencies of `tok_given` / `tok_family` values with
  how common each name is (per sex and ethnicity, which the hub holds in the clear);
- `bloom_frequency_attack`: the same on equal Bloom filters, within each salt (year of birth);
- `pattern_mining_attack`: find each bigram's bit positions by mining the filters, label them
  by frequency and co-occurrence, and decode names (optionally tying a name's filters together
  across salts through its unsalted token);
- `dob_attack`: the day of birth from the structure of the date tokens.

`score` measures them against the truth (the evaluator's side), `encode_variant` builds weakened
encodings (the controls) on the agency side, and `run_attacks` / `synthetic_scenario` put it all
together. docs/threat-model.md reports the results.

    scenario = synthetic_scenario(tmp, children=3000, seed=11)
    view = scenario.view(SEEN)
    for result in run_attacks(view, scenario.public, scenario.truth(view)):
        print(result.attack, result.score.reidentified)
"""

from seen.attack.control import (
    CONTROL,
    SALTED_NAME_TOKENS,
    SEEN,
    UNBALANCED,
    UNSALTED,
    Variant,
    encode_variant,
)
from seen.attack.dob import dob_attack
from seen.attack.frequency import bloom_frequency_attack, token_frequency_attack
from seen.attack.guesses import Guesses
from seen.attack.harness import ATTACKS, Attack, AttackResult, run_attacks
from seen.attack.knowledge import PublicNames
from seen.attack.patterns import pattern_mining_attack
from seen.attack.scenario import Scenario, synthetic_scenario
from seen.attack.score import Score, Truth, baseline, score
from seen.attack.view import HubView

__all__ = [
    "ATTACKS",
    "CONTROL",
    "SALTED_NAME_TOKENS",
    "SEEN",
    "UNBALANCED",
    "UNSALTED",
    "Attack",
    "AttackResult",
    "Guesses",
    "HubView",
    "PublicNames",
    "Scenario",
    "Score",
    "Truth",
    "Variant",
    "baseline",
    "bloom_frequency_attack",
    "dob_attack",
    "encode_variant",
    "pattern_mining_attack",
    "run_attacks",
    "score",
    "synthetic_scenario",
    "token_frequency_attack",
]
