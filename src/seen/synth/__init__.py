"""A synthetic safeguarding partnership: children in households across the areas of the
fictional county of Northshire, their hidden needs, and each agency's partial, biased, delayed
and error-prone records of them, with the ground truth kept apart.

    config = load_config(Path("synth.yaml"), children=20000, seed=7)
    summary = generate(config, Path("out"))

The same configuration always gives byte-identical files. See docs/synthetic.md.
"""

from seen.synth.config import SynthConfig
from seen.synth.generate import SynthSummary, generate
from seen.synth.identifier_errors import IdentifierErrors
from seen.synth.loading import load_config

__all__ = ["IdentifierErrors", "SynthConfig", "SynthSummary", "generate", "load_config"]
