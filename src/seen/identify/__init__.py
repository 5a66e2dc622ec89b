"""Early identification of hidden needs (issue 6, part 1): indicators over a person's linked
multi-agency events, agency-proxy labels, an interpretable calibrated model per need, each
prompt's evidence, and evaluation against a synthetic partnership's hidden truth.

Prompts are for a human to review, never decisions; see docs/identify.md.
"""

from seen.identify.labels import Need

__all__ = ["Need"]
