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

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from seen.domain.agencies import AgencyKind

ORGANISATION = "Northshire Safeguarding Partnership"
TOOL_NAME = "Seen: early identification of hidden needs"
ATRS_VERSION = "3.0"
TO_COMPLETE = "To be completed by the partnership deploying Seen, before any live use."
RECORDING_BIAS_KEYS = (
    "cs118_school_share",
    "cs118_delay_days",
    "young_carer_7a_rate",
    "exploitation_factor_rate",
    "exploitation_referral_rate_emerging",
    "police_deprivation_ratio",
    "cin_deprivation_ratio",
    "ed_deprivation_ratio",
)


@dataclass(frozen=True)
class Table:
    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Block:
    """A paragraph (`text`), a bullet list (`items`) or a table (`table`): exactly one."""

    text: str | None = None
    items: tuple[str, ...] | None = None
    table: Table | None = None


@dataclass(frozen=True)
class Field:
    """One ATRS field: its reference number, attribute name and title, and its answer."""

    ref: str
    attribute: str
    name: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    blocks: tuple[Block, ...] = ()
    fields: tuple[Field, ...] = ()


@dataclass(frozen=True)
class Document:
    kind: str  # "model_card" or "atrs_record"
    title: str
    summary: str
    source: Mapping[str, Any]  # which stored evaluation it was made from
    provenance: str  # the same, in a sentence
    sections: tuple[Section, ...] = field(default=())


def p(text: str) -> Block:
    return Block(text=text)


def bullets(*items: str) -> Block:
    return Block(items=tuple(items))


def table(caption: str, head: Sequence[str], rows: Sequence[Sequence[str]]) -> Block:
    return Block(table=Table(caption, tuple(head), tuple(tuple(r) for r in rows)))


# Numbers ------------------------------------------------------------------------------------


def est(e: Mapping[str, float | None] | None, digits: int = 2) -> str:
    """An estimate as "0.53 (0.45-0.60)", or "n/a"."""
    if e is None or e.get("value") is None:
        return "n/a"
    value = f"{e['value']:.{digits}f}"
    if e.get("low") is None or e.get("high") is None:
        return value
    return f"{value} ({e['low']:.{digits}f} to {e['high']:.{digits}f})"


def _agency(kind: str) -> str:
    try:
        return AgencyKind(kind).label
    except ValueError:
        return kind


def _method(method: str) -> str:
    return "Seen (multi-agency)" if method == "multi-agency" else f"{_agency(method)} alone"


def _source(report: Mapping[str, Any], evaluation_id: int) -> dict[str, Any]:
    run = report["run"]
    partnership = run["partnership"]
    return {
        "evaluation_id": evaluation_id,
        "evaluated_at": report["created_at"],
        "seen_version": report["seen_version"],
        "libraries": report["libraries"],
        "partnership_children": partnership.get("children"),
        "partnership_seed": partnership.get("seed"),
        "reference_date": partnership.get("reference_date"),
        "window": run["window"],
        "capacity_share": run["capacity_share"],
        "recording_bias": {
            k: partnership.get("config", {}).get(k)
            for k in RECORDING_BIAS_KEYS
            if k in partnership.get("config", {})
        },
    }


def provenance(report: Mapping[str, Any], evaluation_id: int) -> str:
    """One sentence: which run these numbers come from."""
    s = _source(report, evaluation_id)
    bias = ", ".join(f"{k} {v}" for k, v in s["recording_bias"].items()) or "generator defaults"
    return (
        f"Generated from stored evaluation {evaluation_id}, run {s['evaluated_at']} by Seen "
        f"{s['seen_version']} on a synthetic partnership of {s['partnership_children']:,} "
        f"children (seed {s['partnership_seed']}, extracts taken {s['reference_date']}; "
        f"recording-bias settings: {bias}), evaluated monthly from {s['window']['start']} to "
        f"{s['window']['end']} at {s['capacity_share']:.2%} of children a month per need."
    )


# Shared tables ------------------------------------------------------------------------------


def results_table(need: Mapping[str, Any]) -> Block:
    rows = [
        (
            _method(r["method"]),
            f"{r['prompts']:,}",
            f"{r['children_prompted']:,}",
            est(r["precision"]),
            est(r["recall"]),
            est(r["median_lead_months"], 1),
            f"{r['came_to_light']:,}",
        )
        for r in need["results"]
    ]
    return table(
        f"{need['title']}: measured against the hidden truth",
        (
            "Method",
            "Prompts",
            "Children prompted",
            "Precision (95% CI)",
            "Recall (95% CI)",
            "Median lead, months (95% CI)",
            "Lead times measured",
        ),
        rows,
    )


def targets_block(need: Mapping[str, Any]) -> Block:
    verdict = {True: "met", False: "not met", None: "cannot be judged"}
    return bullets(*(f"{t['what']}: {t['measured']}: {verdict[t['met']]}" for t in need["targets"]))


def calibration_blocks(need: Mapping[str, Any]) -> list[Block]:
    cal = need["calibration"]
    if cal is None:
        return [p("No held-out snapshot: calibration could not be measured.")]
    return [
        p(
            f"On the latest training snapshot, held out from fitting ({cal['held_out_rows']:,} "
            f"children; {cal['base_rate']:.4f} went on to be recorded by an agency): Brier score "
            f"{cal['brier']:.4f}, against {cal['brier_base_rate']:.4f} for always predicting "
            "the base rate. What it is calibrated to is the agency-proxy label, not the need."
        ),
        table(
            f"{need['title']}: reliability on held-out agency-proxy labels",
            ("Mean predicted probability", "Observed rate (agency-proxy label)", "Rows"),
            [
                (f"{b['predicted']:.3f}", f"{b['observed']:.3f}", f"{b['rows']:,}")
                for b in cal["bins"]
            ],
        ),
    ]


# Counts from 1 to 5 are published as c, as in the partnership report (docs/reporting.md),
# and so is every rate over them: a false negative rate over 4 children names how many were
# missed.
SMALLEST_SHOWN = 6


def _small(count: int) -> bool:
    return 0 < count < SMALLEST_SHOWN


def fairness_tables(need: Mapping[str, Any]) -> list[Block]:
    """Per attribute: each group's rates with intervals, then the gaps and their status."""
    f = need["fairness"]
    blocks: list[Block] = []
    for b in f["breakdowns"]:
        rows = []
        for g in [*b["groups"], f["overall"]]:
            r = g["rates"]
            few_children, few_positives = _small(g["children"]), _small(g["positives"])
            rows.append(
                (
                    g["group"],
                    "c" if few_children else f"{g['children']:,}",
                    "c" if few_children or few_positives else f"{g['positives']:,}",
                    "c" if few_children else est(r["selection_rate"]),
                    "c" if few_children or few_positives else est(r["false_negative_rate"]),
                    "c" if few_children else est(r["false_positive_rate"]),
                    "c" if few_children else est(r["mean_predicted"], 3),
                    "c" if few_children else est(r["observed_proxy"], 3),
                    "c" if few_children else est(r["observed_truth"], 3),
                )
            )
        blocks.append(
            table(
                f"{need['title']}: by {b['label']}",
                (
                    b["label"].capitalize(),
                    "Children",
                    "Hidden need",
                    "Selection rate",
                    "False negative rate",
                    "False positive rate",
                    "Mean predicted",
                    "Observed (agency-proxy)",
                    "Observed (truth)",
                ),
                rows,
            )
        )
        blocks.append(
            table(
                f"{need['title']}: gaps by {b['label']}",
                ("Rate", "Highest", "Lowest", "Gap (95% CI)", "Lowest / highest", "Status"),
                [
                    (
                        gap["label"].capitalize(),
                        gap["highest"] or "n/a",
                        gap["lowest"] or "n/a",
                        est(gap["difference"]),
                        "n/a" if gap["ratio"] is None else f"{gap['ratio']:.2f}",
                        STATUS_TEXT[gap["status"]],
                    )
                    for gap in b["gaps"]
                ],
            )
        )
    return blocks


STATUS_TEXT = {
    "alert": "ALERT: above the threshold",
    "possible": "possible: above the threshold, not established",
    "within": "within the threshold",
    "reported": "reported (never alerts)",
    "not compared": "not compared: fewer than two groups large enough",
}


def alerts_block(report: Mapping[str, Any]) -> list[Block]:
    run = report["run"]
    rule = (
        f"An alert is raised when a gap in the false negative or false positive rate between "
        f"groups of at least {run['fairness_min_group']} children (in that rate's "
        f"denominator) has its whole 95% interval above {run['fairness_threshold']:g}; a gap "
        "whose estimate is above the threshold but whose interval reaches below it is a "
        "possible disparity."
    )
    blocks = [p(rule)]
    if report["alerts"]:
        blocks.append(p(f"Alerts raised ({len(report['alerts'])}):"))
        blocks.append(bullets(*(a["text"] for a in report["alerts"])))
    else:
        blocks.append(p("No alert was raised."))
    if report["possible"]:
        blocks.append(p(f"Possible disparities, not established ({len(report['possible'])}):"))
        blocks.append(bullets(*(a["text"] for a in report["possible"])))
    return blocks


def weights_table(need: Mapping[str, Any]) -> Block:
    m = need["model"]
    rows = [
        (
            i["name"],
            i["description"],
            i["reads"],
            f"{i['weight']:+.3f}" if i["weight"] is not None else "n/a",
            f"per {i['unit']}" + (" (on a log(1 + x) scale)" if i["scale"] == "log1p" else ""),
        )
        for i in m["indicators"]
    ]
    rows.append(("(intercept)", "baseline log-odds", "", f"{m['intercept']:+.3f}", ""))
    return table(
        f"{need['title']}: indicators and weights (log-odds)",
        ("Indicator", "What it is", "Reads", "Weight", "Unit"),
        rows,
    )


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
                        f"{_agency(n['acting_agency'])}: {n['action'].lower()}."
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
                    "The hub holds no household: a parent's circumstance recorded on a "
                    "sibling's assessment is invisible to the child's own history, which limits "
                    "the young-carer model.",
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
        _source(report, evaluation_id),
        provenance(report, evaluation_id),
        tuple(sections),
    )


# The Algorithmic Transparency Recording Standard record ------------------------------------


def _field(ref: str, attribute: str, name: str, *blocks: Block | str) -> Field:
    return Field(ref, attribute, name, tuple(b if isinstance(b, Block) else p(b) for b in blocks))


def _performance_text(report: Mapping[str, Any], need: Mapping[str, Any]) -> list[Block]:
    seen = need["results"][0]
    best = next((r for r in need["results"] if r["method"] == need["best_single_agency"]), None)
    text = (
        f"On the synthetic evaluation: precision {est(seen['precision'])}, recall "
        f"{est(seen['recall'])}, median lead time {est(seen['median_lead_months'], 1)} months, "
        f"{seen['prompts']:,} prompts to {seen['children_prompted']:,} children."
    )
    if best is not None:
        text += (
            f" The best single-agency peer ({_method(best['method'])}) reached recall "
            f"{est(best['recall'])} at the same capacity."
        )
    cal = need["calibration"]
    if cal is not None:
        text += (
            f" Brier score {cal['brier']:.4f} on held-out agency-proxy labels (base rate alone "
            f"{cal['brier_base_rate']:.4f})."
        )
    alerts = [a["text"] for a in report["alerts"] if a["need"] == need["need"]]
    possible = [a["text"] for a in report["possible"] if a["need"] == need["need"]]
    blocks = [p(text), targets_block(need)]
    blocks.append(
        p(
            "Fairness alerts: "
            + ("; ".join(alerts) if alerts else "none")
            + ". Possible disparities, not established: "
            + ("; ".join(possible) if possible else "none")
            + ". The full tables are in the model card."
        )
    )
    return blocks


def atrs_record(report: Mapping[str, Any], evaluation_id: int) -> Document:
    """The ATRS v3.0 record of the stored evaluation `evaluation_id` (its report)."""
    run = report["run"]
    needs = report["needs"]
    source = _source(report, evaluation_id)
    per_month = "; ".join(
        f"{n['title']}: {n['prompts_per_month']:,} prompts a month" for n in needs
    )
    metadata = Section(
        "metadata",
        "Metadata and title information",
        fields=(
            _field("0.2", "standard_version", "Standard version", ATRS_VERSION),
            _field(
                "0.3",
                "organisation_type",
                "Organisation type",
                "Local safeguarding "
                "partnership (local authority, police, health and schools acting together)",
            ),
            _field("0.4", "function", "Function", "Children's social care and safeguarding"),
            _field(
                "0.5",
                "capability",
                "Capability",
                "Prediction and risk identification, prioritisation of cases for human review",
            ),
            _field(
                "0.6",
                "task",
                "Task",
                "Bring possible hidden young carers and children at "
                "possible risk of exploitation to a practitioner's attention early",
            ),
            _field(
                "0.7",
                "tags",
                "Tags",
                "safeguarding; young carers; exploitation; information sharing; fairness",
            ),
            _field("0.8", "date_of_completion", "Date of completion", report["created_at"][:10]),
            _field("0.11", "title", "Title", TOOL_NAME),
            _field("0.12", "organisation_name", "Organisation name", ORGANISATION),
            _field("0.13", "phase", "Phase", "Pre-deployment: evaluated on synthetic data only"),
            _field("0.14", "region", "Region", "England"),
            _field(
                "0.15",
                "one_sentence_description",
                "One sentence description",
                "Prompts a practitioner to consider offering support to a child whose "
                "linked records across agencies suggest a hidden caring role or exploitation "
                "risk, with the evidence, for a person to decide.",
            ),
        ),
    )
    tier1 = Section(
        "tier-1",
        "Tier 1: overview",
        fields=(
            _field("1.1", "name", "Name", TOOL_NAME),
            _field(
                "1.2",
                "description",
                "Description",
                "Young carers stay invisible for years, and children drawn into exploitation "
                "are often known in pieces to several agencies before anyone joins the dots. "
                "Seen joins up what schools, health, police and children's services record "
                "about a child, without any agency handing over names or identifiers, and "
                "once a month suggests a small number of children for a practitioner to "
                "review: a possible hidden young carer (for a young carers' conversation) or a "
                "possible exploitation risk (for the multi-agency exploitation panel).",
                "Each suggestion lists the records that raised it and how much each counted. "
                "It is never a decision: a practitioner decides whether to offer support, and "
                "the suggestion expires unless new evidence renews it. How well it works, "
                "including whom it misses and whom it suggests wrongly by ethnic group and "
                "deprivation, is measured and published.",
            ),
            _field(
                "1.3",
                "website_url",
                "Website URL",
                "docs/identify.md in the Seen repository. " + TO_COMPLETE,
            ),
            _field(
                "1.4",
                "contact_email",
                "Contact email",
                TO_COMPLETE + " A team address, not an individual's.",
            ),
        ),
    )
    owner = Section(
        "owner-and-responsibility",
        "Tier 2: owner and responsibility (2.1)",
        fields=(
            _field(
                "2.1.1", "organisation_or_department", "Organisation or department", ORGANISATION
            ),
            _field(
                "2.1.2",
                "team",
                "Team",
                "The partnership's hub operator (data and intelligence). " + TO_COMPLETE,
            ),
            _field(
                "2.1.3",
                "senior_responsible_owner",
                "Senior responsible owner",
                "The partnership's lead for information sharing (for example its Caldicott "
                "guardian). " + TO_COMPLETE,
            ),
            _field(
                "2.1.4",
                "external_supplier_involvement",
                "External supplier involvement",
                "No. Seen is open-source software the partnership runs itself; no supplier "
                "has access to the partnership's data.",
            ),
        ),
    )
    rationale = Section(
        "description-and-rationale",
        "Tier 2: description and rationale (2.2)",
        fields=(
            _field(
                "2.2.1",
                "detailed_description",
                "Detailed description",
                "Each agency encodes its extract on its own machine (keyed tokens, never raw "
                "identifiers); the hub links records into people (Splink, probabilistic "
                "record linkage) and computes documented indicators as of a date from events "
                "before that date only: attendance and its trend, suspensions, police "
                "contacts and their roles, missing episodes, emergency attendances, children "
                "in need assessment factors and more (docs/identify.md lists every one and "
                "the codes it reads).",
                "One logistic regression per need turns the indicators into a probability "
                "that an agency records the need within a year. Each month the eligible "
                "children with the highest probability, up to a fixed capacity, get a prompt "
                "in the acting agency's review queue, with each indicator's contribution and "
                "the records behind it. " + per_month + " in the evaluation.",
            ),
            _field(
                "2.2.2",
                "scope",
                "Scope",
                INTENDED_USE,
                "Not designed for, and not to be used for:",
                bullets(*OUT_OF_SCOPE),
            ),
            _field(
                "2.2.3",
                "benefit",
                "Benefit",
                "Earlier support: a young carer's needs assessment, or a discussion at the "
                "exploitation panel, months before the need would otherwise come to light. "
                "Local authorities must assess a young carer's needs when it appears they may "
                "have needs for support (Children Act 1989 section 17ZA); joined-up records "
                "are how that need can appear.",
                *[b for n in needs for b in _performance_text(report, n)[:1]],
            ),
            _field(
                "2.2.4",
                "previous_process",
                "Previous process",
                "Needs come to light through each agency's own channels: a school recording "
                "the young carer code, an assessment recording factor 7A, a referral after an "
                "incident, a multi-agency discussion once concerns are already high. Each "
                "agency sees its own part only.",
            ),
            _field(
                "2.2.5",
                "alternatives_considered",
                "Alternatives considered",
                "The best single-agency rule at the same capacity (each agency's own records, "
                "the same kind of scorecard) is measured beside Seen in every evaluation. "
                "Explainable boosting with monotone constraints was considered and not used "
                "yet: it gives shape functions rather than one weight per indicator, and the "
                "signals are few and sparse. Boosted trees and neural networks were rejected: "
                "a reviewer must be able to read and argue with the evidence.",
            ),
        ),
    )
    process = Section(
        "decision-making-process",
        "Tier 2: decision-making process (2.3)",
        fields=(
            _field(
                "2.3.1",
                "process_integration",
                "Process integration",
                "A prompt goes to the review queue of the agency that should act (the young "
                "carers' service; children's services for exploitation). It suggests an "
                "action, never takes one. It expires after "
                f"{run['expiry_days']} days unless new evidence (a later record read by an "
                "indicator that raised it) renews it; nothing is permanent.",
            ),
            _field(
                "2.3.2",
                "provided_information",
                "Provided information",
                "The need, the suggested action, the probability, and the evidence: each "
                "indicator that raised the prompt, its value, the log-odds it added, and the "
                "agency records behind it (kind, code and date), which the reviewer opens "
                "through the usual policy-checked, audited chronology.",
            ),
            _field(
                "2.3.3",
                "frequency_and_scale_of_usage",
                "Frequency and scale of usage",
                f"Monthly. In the evaluation: {per_month}, for {run['people']:,} linked people.",
            ),
            _field(
                "2.3.4",
                "human_decisions_and_review",
                "Human decisions and review",
                "A reviewer in the acting agency decides for every prompt: offer support, "
                "refer, no action, or not relevant, with a reason; the outcome is recorded "
                "later. Decisions and outcomes are audited, and agreement and override rates "
                "between reviewers and prompts are monitored for automation bias. The "
                "partnership's governance (data protection officers, the administrator, "
                "analysts) reads the fairness report; an alert is raised to them, not acted "
                "on automatically.",
            ),
            _field(
                "2.3.5",
                "required_training",
                "Required training",
                "Reviewers: what a prompt is and is not, reading its evidence, automation "
                "bias, and recording reasons. Governance: reading the fairness report. "
                + TO_COMPLETE,
            ),
            _field(
                "2.3.6",
                "appeals_and_review",
                "Appeals and review",
                "A prompt is not a decision about anyone, so there is nothing to appeal; any "
                "decision a practitioner then takes follows the agency's usual processes. "
                "Young people can see what is held about them and who looked, add their own "
                "account and contest a record through Seen.",
            ),
        ),
    )
    spec_fields = [
        _field(
            "2.4.1.1",
            "system_architecture",
            "System architecture",
            "docs/architecture.md and docs/identify.md in the Seen repository: agency-side "
            "encoding, hub ingestion and linkage, indicators, models, prompts with expiry, "
            "review queues, an audit log anyone can verify.",
        ),
        _field("2.4.1.2", "phase", "Phase", "Pre-deployment: evaluated on synthetic data only"),
        _field(
            "2.4.1.3",
            "maintenance",
            "Maintenance",
            "Models are retrained from agency records each time prompts are raised. Every "
            "evaluation is stored with its fairness report; re-evaluate and read the report "
            "whenever recording practice changes. " + TO_COMPLETE,
        ),
        _field(
            "2.4.1.4",
            "models",
            "Models",
            "; ".join(f"{n['title']} (logistic regression scorecard)" for n in needs),
        ),
    ]
    model_fields: list[Field] = []
    for n in needs:
        m = n["model"]
        model_fields += [
            _field("2.4.2.1", "model_name", "Model name", n["title"]),
            _field(
                "2.4.2.2",
                "model_version",
                "Model version",
                f"Seen {report['seen_version']}, trained with cutoff {m['cutoff']}",
            ),
            _field(
                "2.4.2.3",
                "model_task",
                "Model task",
                f"Probability that an agency records the need ({n['label']}) within 12 "
                f"months, for a child aged {n['ages'][0]}-{n['ages'][1]} not yet recorded "
                "with it.",
            ),
            _field(
                "2.4.2.4",
                "model_input",
                "Model input",
                ", ".join(i["name"] for i in m["indicators"])
                + " (as of the day, from earlier records only).",
            ),
            _field(
                "2.4.2.5",
                "model_output",
                "Model output",
                "A probability, and each indicator's contribution in log-odds.",
            ),
            _field(
                "2.4.2.6",
                "model_architecture",
                "Model architecture",
                "Logistic regression (scikit-learn, L2) on standardised indicators; counts "
                "on a log(1 + x) scale; non-negative weights on every event indicator.",
                weights_table(n),
            ),
            _field(
                "2.4.2.7", "model_performance", "Model performance", *_performance_text(report, n)
            ),
            _field(
                "2.4.2.8",
                "datasets",
                "Datasets",
                "Agency extracts of the synthetic partnership: children in need census "
                "(CIN), looked after children (SSDA903), school census, police incidents and "
                "missing reports, emergency department attendances; and the partnership's "
                "hidden truth (evaluation only).",
            ),
            _field(
                "2.4.2.9",
                "dataset_purposes",
                "Dataset purposes",
                "Agency records: training (quarterly snapshots before the cutoff, the "
                "latest held out for calibration) and scoring. Hidden truth: evaluation "
                "only, never training.",
            ),
        ]
    data_fields = [
        _field(
            "2.4.3.1",
            "source_data_name",
            "Source data name",
            "CIN census, SSDA903, school census, police extracts, emergency department "
            "attendances (each agency's own extract).",
        ),
        _field("2.4.3.2", "data_modality", "Data modality", "Tabular: coded events with dates"),
        _field(
            "2.4.3.3",
            "data_description",
            "Data description",
            "Events as codes, dates and numbers; the hub's degraded demographics (sex, "
            "ethnicity, month and year of birth, deprivation decile). No names, dates of "
            "birth, addresses or identifier numbers reach the hub.",
        ),
        _field(
            "2.4.3.4",
            "data_quantities",
            "Data quantities",
            f"Evaluation: {run['records']:,} agency records linked into {run['people']:,} "
            "people; "
            + "; ".join(
                f"{n['title']}: {n['model']['training_rows']:,} training rows "
                f"({n['model']['training_positives']:,} labelled)"
                + (f", {n['calibration']['held_out_rows']:,} held out" if n["calibration"] else "")
                for n in needs
            )
            + ".",
        ),
        _field(
            "2.4.3.5",
            "sensitive_attributes",
            "Sensitive attributes",
            "Health (emergency attendances, parental illness), criminal offence data "
            "(police), children's social care records; ethnicity, sex and deprivation are "
            "held for equity monitoring only and are not model inputs; age is.",
        ),
        _field(
            "2.4.3.6",
            "data_completeness_and_representativeness",
            "Data completeness and representativeness",
            "Agencies record needs unevenly: the synthetic partnership models schools that "
            "never use the young carer code, rare recording of factor 7A, and police and "
            "social care contact recorded more in deprived areas (recording bias: "
            + (
                ", ".join(f"{k} {v}" for k, v in source["recording_bias"].items())
                or "generator defaults"
            )
            + "). Ethnicity is missing on some agency records. Linkage errors are included.",
        ),
        _field(
            "2.4.3.7",
            "source_data_url",
            "Source data URL",
            "Not applicable: agency records are not open data. The synthetic generator is "
            "in the Seen repository (`seen synth`).",
        ),
        _field(
            "2.4.3.8",
            "data_collection",
            "Data collection",
            "Collected by each agency for its own statutory purposes (the children in need "
            "and looked after returns, the school census, policing, emergency care) and "
            "shared for safeguarding under the partnership's information-sharing "
            "agreements. Lawful basis: UK GDPR Article 6(1)(e) (public task) and, for "
            "special category data, Article 9(2)(g) with the Data Protection Act 2018 "
            "Schedule 1 paragraph 18 (safeguarding of children and individuals at risk); "
            "police data under Part 3 of the Act (Schedule 8 paragraph 4). Repurposing for "
            "early identification must be assessed in the DPIA.",
        ),
        _field(
            "2.4.3.9",
            "data_cleaning",
            "Data cleaning",
            "Each extract is validated against its format on the agency's machine and again "
            "at ingestion; invalid rows are rejected with the row and field named.",
        ),
        _field(
            "2.4.3.10",
            "data_sharing_agreements",
            "Data sharing agreements",
            "The partnership's register of information-sharing agreements, kept in Seen "
            "(parties, flows, purposes, lawful bases, retention, review dates).",
        ),
        _field(
            "2.4.3.11",
            "data_access_and_storage",
            "Data access and storage",
            "Agencies keep their raw identifiers; the hub holds keyed encodings and events. "
            "Prompts are seen only in the acting agency's review queue; every view of a "
            "child's records goes through a policy decision and is written to a "
            "tamper-evident audit log. Prompts expire. The fairness report holds aggregates "
            "only.",
        ),
    ]
    spec = Section(
        "tool-specification",
        "Tier 2: tool, model and data specification (2.4)",
        fields=tuple(spec_fields + model_fields + data_fields),
    )
    risks = Section(
        "risks-mitigations-and-impact-assessments",
        "Tier 2: risks, mitigations and impact assessments (2.5)",
        fields=(
            _field(
                "2.5.1",
                "impact_assessment",
                "Impact assessment",
                "A data protection impact assessment (UK GDPR Article 35: special category "
                "data about children, profiling, data matching) and an equality impact "
                "assessment (Public Sector Equality Duty, Equality Act 2010 section 149) are "
                "required before live use. "
                + TO_COMPLETE
                + " The fairness report of each evaluation is evidence for the latter.",
            ),
            _field(
                "2.5.2",
                "risks_and_mitigations",
                "Risks and mitigations",
                bullets(
                    "Labels that measure agency activity, not need: evaluated against a hidden "
                    "truth; being known to social care is not an input.",
                    "Recording bias by deprivation or ethnicity turned into prompts: no "
                    "protected characteristic is an input; error rates by group are measured "
                    "every evaluation and a disparity raises an alert to governance.",
                    "Missing children (false negatives) in some groups more than others: "
                    "the chosen priority; reported with intervals, alerted when established.",
                    "Automation bias: prompts carry their evidence; a person decides; agreement "
                    "and override rates are monitored.",
                    "Permanent flags and risk by association: prompts expire; the hub holds no "
                    "household.",
                    "Linkage errors joining two children's records: probabilistic linkage with "
                    "clerical review of uncertain pairs; evidence opens the underlying records.",
                    "Over-reach: the hub holds no names or identifiers; every view is a policy "
                    "decision recorded in an audit log anyone can verify.",
                    "Low precision (many prompts about children without the need): the "
                    "capacity is set so reviewers are not overwhelmed; precision is measured "
                    "and published.",
                ),
                *[f"This evaluation's alerts: {a['text']}." for a in report["alerts"]],
            ),
        ),
    )
    return Document(
        "atrs_record",
        f"Algorithmic transparency record: {TOOL_NAME}",
        "An Algorithmic Transparency Recording Standard (version 3.0) record for Seen's "
        "early identification of hidden needs.",
        source,
        provenance(report, evaluation_id),
        (metadata, tier1, owner, rationale, process, spec, risks),
    )


# Renderings ---------------------------------------------------------------------------------


def to_json(document: Document) -> str:
    """The document as JSON: its sections, fields and blocks, with their source."""
    data = asdict(document)

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if v is not None}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        return value

    body = clean(data)
    if document.kind == "atrs_record":
        body = {
            "standard": "Algorithmic Transparency Recording Standard",
            "standard_version": ATRS_VERSION,
            **body,
        }
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown_blocks(blocks: Sequence[Block]) -> list[str]:
    out: list[str] = []
    for b in blocks:
        if b.text is not None:
            out += [b.text, ""]
        elif b.items is not None:
            out += [f"- {item}" for item in b.items] + [""]
        elif b.table is not None:
            t = b.table
            out.append(f"*{t.caption}*")
            out.append("")
            out.append("| " + " | ".join(_cell(h) for h in t.head) + " |")
            out.append("|" + "---|" * len(t.head))
            out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in t.rows]
            out.append("")
    return out


def to_markdown(document: Document) -> str:
    lines = [f"# {document.title}", "", document.summary, ""]
    lines += [
        f"> {document.provenance} Written by `seen identify transparency`; do not edit by "
        "hand: store a new evaluation and write it again.",
        "",
    ]
    for section in document.sections:
        lines += [f"## {section.heading}", ""]
        lines += _markdown_blocks(section.blocks)
        for f in section.fields:
            lines += [f"### {f.ref} {f.name}", ""]
            lines += _markdown_blocks(f.blocks)
    return "\n".join(lines).rstrip() + "\n"
