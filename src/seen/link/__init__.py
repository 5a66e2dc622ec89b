"""Hub-side probabilistic linkage over keyed encodings (no key, no plaintext).

A Fellegi-Sunter model in Splink on DuckDB compares agencies' encoded records: Dice
similarity of balanced Bloom filters for names, exact keyed tokens for everything else.
`link` trains (without labels), scores, clusters and assigns stable person ids;
`link_incremental` adds one new package to existing people with a trained model.
"""

from seen.link.ids import assign_stable_ids
from seen.link.incremental import link_incremental
from seen.link.index import IncrementalIndex
from seen.link.linkage import LinkResult, Progress, link
from seen.link.model import LinkModel, default_model
from seen.link.schema import Source

__all__ = [
    "IncrementalIndex",
    "LinkModel",
    "LinkResult",
    "Progress",
    "Source",
    "assign_stable_ids",
    "default_model",
    "link",
    "link_incremental",
]
