"""Privacy evidence: attacks on packages by a hub that holds no key.

The attacker holds what the hub holds (`HubView`: the packages' records tables) and a public
name-frequency list (`PublicNames`), never the partnership key. The attacks:

- `token_frequency_attack`: align the frequencies of `tok_given` / `tok_family` values with
  how common each name is (per sex and ethnicity, which the hub holds in the clear; within each
  year of birth when the tokens are salted by it), optionally weighing the name lengths the
  Bloom filters give away (balanced filters once their balancing is undone; fixed-weight
  filters give none);
- `names_postcode_frequency_attack`: the same on `tok_names_postcode` (seen-encoding-4's names
  with the postcode, no year); `token_frequency_attack(..., merged=True)`
  merges the name tokens' values that share one of its values before counting;
- `bloom_frequency_attack`: the same on equal Bloom filters, within each salt group (a year of
  birth in seen-encoding-1, a year and the other name since seen-encoding-2);
- `pattern_mining_attack`: find each bigram's bit positions by mining the filters within each
  salt group, label them by frequency and co-occurrence, and decode names (optionally pooling a
  name's filters through its token);
- `dob_attack`: the exact date of birth from the structure of the date tokens (transposed dates
  that meet, seen-encoding-1's day token, equal date tokens, with or without a name).

`score` measures them against the truth (the evaluator's side), `encode_variant` builds other
encodings (seen-encoding-1, -2 and -3, and weakened controls) on the agency side, and
`run_attacks` (which adds the best name attack combined with the dates) and
`synthetic_scenario` put it all together. docs/threat-model.md reports the results.

    scenario = synthetic_scenario(tmp, children=3000, seed=11)
    view = scenario.view(SEEN)
    for result in run_attacks(view, scenario.public, scenario.truth(view)):
        print(result.attack, result.score.reidentified)
"""

from seen.attack.control import (
    CONTROL,
    NAMES_SECTOR,
    SEEN,
    SEEN_1,
    SEEN_2,
    SEEN_3,
    SEEN_4,
    UNSALTED,
    YEAR_SALTED,
    YEAR_SALTED_3,
    Variant,
    encode_variant,
)
from seen.attack.dob import dob_attack
from seen.attack.frequency import (
    bloom_frequency_attack,
    names_postcode_frequency_attack,
    token_frequency_attack,
)
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
    "NAMES_SECTOR",
    "SEEN",
    "SEEN_1",
    "SEEN_2",
    "SEEN_3",
    "SEEN_4",
    "UNSALTED",
    "YEAR_SALTED",
    "YEAR_SALTED_3",
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
    "names_postcode_frequency_attack",
    "pattern_mining_attack",
    "run_attacks",
    "score",
    "synthetic_scenario",
    "token_frequency_attack",
]
