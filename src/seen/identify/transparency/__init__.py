"""The model card and the Algorithmic Transparency Recording Standard (ATRS) record, made
from one stored evaluation report (`seen.identify.report`), so that every number in them is
the number the evaluation measured.

Both are a `Document`: sections of paragraphs, bullet lists and tables (the ATRS record's
sections hold its numbered fields), rendered three ways from the same object: Markdown
(`to_markdown`, committed as docs/model-card.md and docs/algorithmic-transparency-record.md),
JSON (`to_json`) and the web app's pages.

- The model card follows Mitchell et al., "Model Cards for Model Reporting" (2019): model
  details, intended use and out-of-scope uses, factors, metrics, training and evaluation
  data, quantitative analyses (performance, calibration, fairness), ethical considerations,
  caveats and recommendations.
- The ATRS record uses the field structure of the standard's version 3.0 (the Central
  Digital and Data Office's template): metadata and title, tier 1 (name, description,
  website, contact), and tier 2: owner and responsibility (2.1), description and rationale
  (2.2), decision-making process (2.3), tool, model and data specification (2.4) and risks,
  mitigations and impact assessments (2.5). Fields only a deploying partnership can fill in
  (its team, its senior responsible owner, its contact address, its impact assessments)
  say so rather than invent an answer.
"""

from __future__ import annotations

from seen.identify.transparency.atrs import atrs_record
from seen.identify.transparency.blocks import (
    alerts_block,
    calibration_blocks,
    est,
    fairness_tables,
    provenance,
    results_table,
    targets_block,
    weights_table,
)
from seen.identify.transparency.document import Document, to_json, to_markdown
from seen.identify.transparency.model_card import model_card

__all__ = [
    "Document",
    "alerts_block",
    "atrs_record",
    "calibration_blocks",
    "est",
    "fairness_tables",
    "model_card",
    "provenance",
    "results_table",
    "targets_block",
    "to_json",
    "to_markdown",
    "weights_table",
]
