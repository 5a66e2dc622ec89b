"""The Algorithmic Transparency Recording Standard record (version 3.0 fields), from one
stored evaluation report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seen.identify.transparency.blocks import (
    est,
    method_label,
    provenance,
    source_of,
    targets_block,
    weights_table,
)
from seen.identify.transparency.document import (
    ATRS_VERSION,
    Block,
    Document,
    Field,
    Section,
    bullets,
    p,
)
from seen.identify.transparency.model_card import INTENDED_USE, OUT_OF_SCOPE

ORGANISATION = "Northshire Safeguarding Partnership"
TOOL_NAME = "Seen: early identification of hidden needs"
TO_COMPLETE = "To be completed by the partnership deploying Seen, before any live use."
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
            f" The best single-agency peer ({method_label(best['method'])}) reached recall "
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
    source = source_of(report, evaluation_id)
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
