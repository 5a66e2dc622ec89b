"""The model card (Mitchell et al., "Model Cards for Model Reporting", 2019), from one stored
evaluation report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seen.identify.transparency.blocks import (
    SMALLEST_SHOWN,
    agency_label,
    alerts_block,
    calibration_blocks,
    fairness_tables,
    provenance,
    results_table,
    source_of,
    targets_block,
    weights_table,
)
from seen.identify.transparency.document import Document, Section, bullets, p

# The model card -----------------------------------------------------------------------------

INTENDED_USE = (
    "To bring a possible hidden need to a practitioner's attention early, as a prompt to "
    "review with its evidence: a possible hidden young carer (suggested action: offer a "
    "young carers' conversation or assessment, in the young carers' service's queue) or a "
    "possible exploitation risk (suggested action: discuss at the multi-agency exploitation "
    "panel, in children's services' queue). A person reviews every prompt and decides; a "
    "prompt expires after a set time unless new evidence renews it."
)
OUT_OF_SCOPE = (
    "Deciding anything about a child or family: eligibility for a service, a threshold for "
    "intervention, a child protection decision or a referral made without a person's review.",
    "A risk score for enforcement, policing, immigration, school admission or exclusion, or "
    "as evidence in any proceedings.",
    "A permanent flag or a mark on a sibling or household ('risk by association'): the hub "
    "holds no household and a prompt expires.",
    "Contacting a child or family automatically, or telling them a prompt exists before a "
    "practitioner has reviewed it.",
    "Use on real data before a data protection impact assessment, an equality impact "
    "assessment and the partnership's sign-off; use without the fairness report being read.",
    "Children outside the partnership, or needs other than the two it was evaluated for.",
)


def model_card(report: Mapping[str, Any], evaluation_id: int) -> Document:
    """The model card of the stored evaluation `evaluation_id` (its report)."""
    run = report["run"]
    needs = report["needs"]
    sections: list[Section] = [
        Section(
            "model-details",
            "Model details",
            (
                p(
                    "Two scorecards, one per need: logistic regressions (scikit-learn "
                    "`LogisticRegression`, L2, standardised inputs) over documented indicators "
                    "of a child's linked multi-agency records, read as a baseline plus one "
                    "contribution in log-odds per indicator. Every indicator that reads "
                    "recorded events is constrained to a non-negative weight (one that comes "
                    "out negative is dropped and the model refitted), so no record ever counts "
                    "against a child being offered support."
                ),
                p(
                    f"Developed and evaluated by the Seen project (Seen {report['seen_version']}; "
                    + ", ".join(f"{k} {v}" for k, v in report["libraries"].items())
                    + "). Each model is retrained on what agencies recorded before the day it "
                    "is used; the weights below are the evaluation's, trained with the cutoff "
                    f"at {run['window']['start']}."
                ),
            ),
        ),
        Section(
            "intended-use",
            "Intended use",
            (p(INTENDED_USE), p("Out of scope:"), bullets(*OUT_OF_SCOPE)),
        ),
        Section(
            "factors",
            "Factors",
            (
                p(
                    "Performance and errors are reported by ethnic group (the DfE major groups: "
                    "White, Mixed, Asian, Black, Other, and Unknown where it was not recorded) "
                    "and by deprivation quintile of the home's area (quintile 1 is the most "
                    "deprived fifth). Ethnicity, sex and deprivation are not inputs to either "
                    "model: given them, a model would learn agencies' recording bias by group "
                    "and turn it into prompts. Age (from month and year of birth) is an input."
                ),
            ),
        ),
        Section(
            "indicators",
            "Indicators and weights",
            tuple(weights_table(n) for n in needs)
            + tuple(
                p(
                    f"{n['title']}: dropped for a negative weight: "
                    + ", ".join(n["model"]["dropped"])
                    + "."
                )
                for n in needs
                if n["model"]["dropped"]
            ),
        ),
        Section(
            "training-data",
            "Training data and labels",
            (
                p(
                    "Only what agencies recorded: the models never see the synthetic hidden "
                    "truth (a test poisons every truth column and requires identical weights "
                    "and scores). A training row is a child eligible on a quarterly snapshot day "
                    "in the two years before the cutoff; its label is whether an agency first "
                    "recorded the need in the 12 months after it (the agency-proxy label)."
                ),
                bullets(
                    *(
                        f"{n['title']}: label {n['label']}; ages {n['ages'][0]}-{n['ages'][1]}; "
                        f"{n['model']['training_rows']:,} rows, "
                        f"{n['model']['training_positives']:,} labelled"
                        for n in needs
                    )
                ),
                p(
                    "These proxies measure agency activity as much as need: schools that never "
                    "use the young carer code, assessments that rarely record factor 7A, and "
                    "families already known to social care being assessed (and so labelled) far "
                    "more often. Being open to social care or looked after is left out of both "
                    "models for that reason."
                ),
            ),
        ),
        Section(
            "evaluation-data",
            "Evaluation data",
            (
                p(
                    "A synthetic partnership written by `seen synth`, read, encoded and linked "
                    "as the hub would (linkage errors included), with its hidden truth: who has "
                    "each need, since when, and when it came to light through established "
                    "channels. The truth is used only to measure. On the first day of each "
                    "month of the window every eligible child without an open prompt is scored "
                    "and the highest are prompted, up to the capacity; prompts stay open "
                    f"{run['expiry_days']} days."
                ),
                p(
                    f"{run['records']:,} agency records linked into {run['people']:,} people; "
                    f"{run['months']} months from {run['window']['start']} to "
                    f"{run['window']['end']}; intervals from {run['bootstrap']} bootstrap "
                    "resamples of the truth's children."
                ),
            ),
        ),
        Section(
            "metrics",
            "Metrics",
            (
                bullets(
                    "Precision: the share of prompts whose child had the need, not yet come to "
                    "light, on the prompt's day.",
                    "Recall: of children whose need was hidden at some point in the window and "
                    "whom an agency recorded at all, the share prompted while it was hidden.",
                    "Median lead time: months from the first true prompt to the day the need "
                    "came to light through established channels, for those whose need did.",
                    "Selection rate, false negative rate (one minus recall) and false positive "
                    "rate by group; calibration within each group (mean predicted probability "
                    "against the observed agency-proxy rate and the true hidden-need rate).",
                    "Each beside the best single-agency peer: the same scorecard trained on one "
                    "agency's own indicators, at the same capacity.",
                ),
            ),
        ),
    ]
    for n in needs:
        sections.append(
            Section(
                f"performance-{n['need']}",
                f"Performance: {n['title'].lower()}",
                (
                    p(
                        f"{n['prompts_per_month']:,} prompts a month "
                        f"({run['capacity_share']:.2%} of linked people), to "
                        f"{agency_label(n['acting_agency'])}: {n['action'].lower()}."
                    ),
                    results_table(n),
                    p("The issue's targets:"),
                    targets_block(n),
                    *calibration_blocks(n),
                ),
            )
        )
    sections.append(
        Section(
            "fairness",
            "Fairness",
            (
                *alerts_block(report),
                p(
                    f"Counts from 1 to {SMALLEST_SHOWN - 1}, and every rate over them, are shown "
                    "as c (confidential), as in the partnership's published statistics."
                ),
                *[b for n in needs for b in fairness_tables(n)],
            ),
        )
    )
    sections.append(
        Section(
            "ethical-considerations",
            "Ethical considerations",
            (
                bullets(
                    "Labels measure agency activity: a model trained on them learns where "
                    "agencies look, which is why it is evaluated against the hidden truth and "
                    "why its errors are reported by group.",
                    "Equal error rates and within-group calibration cannot both hold when needs "
                    "are more common in some groups than others. Seen gives priority to equal "
                    "false negative rates (missing a child is the harm it exists to prevent), "
                    "monitors calibration and false positive rates, and alerts a person rather "
                    "than correcting scores by group automatically.",
                    "Automation bias: a prompt is a suggestion with its evidence, for a "
                    "practitioner who decides; reviewers' agreement with prompts is monitored.",
                    "Stigma and intrusion: a false positive is a family offered support or "
                    "discussed at a panel without cause; prompts expire, are never shown to "
                    "anyone outside the acting agency's queue, and are never permanent.",
                    "The young person can see what is held about them and who looked.",
                ),
            ),
        )
    )
    unmet = [
        f"{n['title']}: {t['what']} ({t['measured']})"
        for n in needs
        for t in n["targets"]
        if t["met"] is False
    ]
    sections.append(
        Section(
            "caveats",
            "Caveats and recommendations",
            (
                bullets(
                    "Measured on synthetic data only: the numbers show how the method behaves "
                    "under the generator's assumptions, not how it would perform on a real "
                    "partnership.",
                    "In live use there is no hidden truth: the hub can compute selection rates "
                    "by group from its own degraded demographics, but error rates need outcomes "
                    "(what reviewers found, what came to light later), so they lag.",
                    "Groups with fewer children than the minimum are reported, not compared; "
                    "false negative rates rest on few children with a hidden need in each group "
                    "and their intervals are wide.",
                    "The young-carer model is limited most by what no agency here records: "
                    "whether a parent needs care. The hub holds no household, but measured on "
                    "the synthetic partnerships a perfect household link over these agencies' "
                    "records would add little (a sibling's assessment rarely records a "
                    "parent's need); a feed from adult services, or the young person's own "
                    "statement, is what would change it (docs/benchmarks.md).",
                    "Retrain and re-evaluate whenever recording practice changes (a school "
                    "adopting CS118, a new police recording policy), and read the fairness "
                    "report each time.",
                ),
                p("Targets not met in this evaluation:"),
                bullets(*(unmet or ["None."])),
            ),
        )
    )
    return Document(
        "model_card",
        "Model card: early identification of hidden needs",
        "How Seen's two identification models work, what they were trained and evaluated "
        "on, how well they do, and whom they miss or over-select.",
        source_of(report, evaluation_id),
        provenance(report, evaluation_id),
        tuple(sections),
    )
