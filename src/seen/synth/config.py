"""The knobs of the synthetic partnership: every rate is a field with a default and a doc line.

Rates "per year" are per child (or household) per year of exposure; other rates are
probabilities. Base rates and their sources are listed in docs/synthetic.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from seen.domain.records import Problem
from seen.errors import InvalidInput
from seen.synth._fields import (
    count,
    dataclass_problems,
    day_range,
    group_doc,
    plain,
    problem_summary,
    rate,
)
from seen.synth.identifier_errors import (
    IdentifierErrors,
    council_defaults,
    health_defaults,
    police_defaults,
    school_defaults,
)

GENERATOR_VERSION = "1"
# Synthetic NHS numbers come from the 999 test range, which holds about 900,000 valid numbers.
MAX_CHILDREN = 500_000


@dataclass(frozen=True)
class SynthConfig:
    """Everything that shapes a synthetic partnership. The same config gives the same bytes."""

    # Size, seed and time
    children: int = count(5000, "children aged 0-17 at the reference date", 1, MAX_CHILDREN)
    seed: int = count(1, "seed for numpy's PCG64 generator", 0, 2**63 - 1)
    reference_date: dt.date = field(
        default=dt.date(2026, 3, 31),
        metadata=day_range(
            "end of the synthetic history: the date every extract is taken",
            dt.date(2000, 1, 1),
            dt.date(2100, 12, 31),
        ),
    )
    history_years: int = count(5, "years of history before the reference date", 1, 10)
    areas: int = count(8, "areas of Northshire, each with its own postcode districts", 2, 10)

    # Households and identity
    children_per_household_mean: float = rate(
        1.8, "mean number of children per household", 4.0, 1.0
    )
    twin_rate: float = rate(0.02, "children in multi-child households who are twins")
    middle_name_rate: float = rate(0.6, "children with at least one middle name")
    two_middle_names_share: float = rate(0.15, "of children with a middle name, those with two")
    double_barrelled_rate: float = rate(
        0.05, "households with a hyphenated or double-barrelled surname"
    )
    hyphenated_share: float = rate(0.7, "of compound surnames, those written with a hyphen")
    surname_change_rate: float = rate(
        0.03, "households whose children take a new surname in the window (a new partnership)"
    )
    household_move_rate: float = rate(0.08, "household moves per year")
    move_out_of_area_share: float = rate(0.3, "of moves, those to a different area")
    parent_physical_illness_rate: float = rate(
        0.10, "households with a parent with a long-term physical illness"
    )
    parent_disability_rate: float = rate(0.06, "households with a disabled parent")
    parent_mental_ill_health_rate: float = rate(
        0.12, "households with a parent with mental ill-health"
    )
    parent_substance_misuse_rate: float = rate(
        0.05, "households with parental alcohol or drug misuse"
    )
    parent_deprivation_ratio: float = rate(
        2.0, "parental circumstances in decile 1 relative to decile 10", 10.0, 1.0
    )
    care_need_mental_ill_health: float = rate(
        0.5, "of parents with mental ill-health, those who need care from their children"
    )
    care_need_substance_misuse: float = rate(
        0.3, "of parents misusing substances, those who need care from their children"
    )

    # Hidden needs
    young_carer_rate: float = rate(
        0.10, "11-17 year olds who are young carers (all live with a parent who needs care)"
    )
    young_carer_rate_5_to_10: float = rate(0.02, "5-10 year olds who are young carers")
    exploitation_emerging_rate: float = rate(
        0.04, "10-17 year olds with an emerging exploitation risk"
    )
    exploitation_escalating_rate: float = rate(
        0.012, "10-17 year olds with an escalating exploitation risk"
    )
    exploitation_deprivation_ratio: float = rate(
        3.0, "exploitation risk in decile 1 relative to decile 10", 20.0, 1.0
    )
    exploitation_cse_share_female: float = rate(
        0.6, "of exploited girls, those sexually rather than criminally exploited"
    )
    exploitation_cse_share_male: float = rate(
        0.15, "of exploited boys, those sexually rather than criminally exploited"
    )
    exploitation_missing_per_year_emerging: float = rate(
        1.0, "missing episodes per year while exploitation is emerging", 50.0
    )
    exploitation_missing_per_year_escalating: float = rate(
        5.0, "missing episodes per year once exploitation escalates", 50.0
    )
    exploitation_police_per_year_emerging: float = rate(
        0.8, "police incidents per year while exploitation is emerging", 50.0
    )
    exploitation_police_per_year_escalating: float = rate(
        3.0, "police incidents per year once exploitation escalates", 50.0
    )
    exploitation_ed_per_year_emerging: float = rate(
        0.3, "ED attendances per year while exploitation is emerging", 50.0
    )
    exploitation_ed_per_year_escalating: float = rate(
        1.0, "ED attendances per year once exploitation escalates", 50.0
    )
    exploitation_referral_rate_emerging: float = rate(
        0.2, "emerging exploitation that leads to a referral to children's social care"
    )
    exploitation_referral_rate_escalating: float = rate(
        0.75, "escalating exploitation that leads to a referral to children's social care"
    )
    exploitation_referral_delay_days: float = rate(
        240.0, "mean days from onset (emerging) or escalation to the referral", 3650.0
    )
    exploitation_factor_rate: float = rate(
        0.7, "assessments of exploited children that record an exploitation factor"
    )

    # Children's social care
    cin_rate: float = rate(0.033, "children in need at the reference date (share of under-18s)")
    lac_rate: float = rate(
        0.007, "children looked after at the reference date (share of under-18s)"
    )
    cin_nfa_share: float = rate(
        0.35, "referrals closed soon after assessment with no further action"
    )
    cin_episode_mean_days: float = rate(
        450.0, "mean length of a CIN episode that is not closed at assessment", 3650.0, 30.0
    )
    cin_deprivation_ratio: float = rate(
        4.0, "referrals in decile 1 relative to decile 10", 20.0, 1.0
    )
    cin_parental_risk_ratio: float = rate(
        3.0, "referrals where a parent has a circumstance, relative to none", 20.0, 1.0
    )
    assessment_rate: float = rate(0.9, "referrals that get an assessment")
    s47_rate: float = rate(0.3, "episodes with a section 47 enquiry")
    cpp_rate_given_s47: float = rate(0.4, "section 47 enquiries that lead to a protection plan")
    parental_factor_rate: float = rate(
        0.6, "a parent's circumstance recorded at assessment as 1B/2B/4B/5B/6B"
    )
    young_carer_7a_rate: float = rate(0.1, "assessments of a young carer that record 7A")
    lac_episode_mean_days: float = rate(900.0, "mean length of a period of care", 5000.0, 30.0)
    placement_changes_per_year: float = rate(
        0.5, "placement changes per year in care (each starts an SSDA903 episode)", 12.0
    )
    lac_missing_per_year: float = rate(
        0.3, "missing episodes per year in care for children aged 11 or over", 50.0
    )
    missing_away_share: float = rate(
        0.35, "missing-from-care episodes recorded as away (A) rather than missing (M)"
    )
    lac_missing_police_report_rate: float = rate(
        0.8, "missing (M) from care episodes that are also reported to the police"
    )
    council_contact_rate: float = rate(
        0.02, "contacts per child-year that do not become referrals (persons.csv only)", 10.0
    )
    council_duplicate_rate: float = rate(
        0.02, "a later referral opens a second council record for the child"
    )

    # Schools
    persistent_absence_rate: float = rate(0.20, "pupil-terms with 10% or more of sessions missed")
    young_carer_absence_ratio: float = rate(
        2.0, "persistent absence of young carers relative to other pupils", 5.0, 1.0
    )
    suspensions_per_100: float = rate(10.0, "suspensions per 100 pupils per year", 100.0)
    young_carer_suspension_ratio: float = rate(
        1.5, "suspensions of young carers relative to other pupils", 10.0, 1.0
    )
    permanent_exclusions_per_100: float = rate(
        0.1, "permanent exclusions per 100 pupils per year", 5.0
    )
    cs118_school_share: float = rate(0.25, "schools that ever record CS118 young carer codes")
    cs118_delay_days: float = rate(
        270.0, "mean days before a recording school learns a pupil is a young carer", 3650.0
    )
    cs118_parent_share: float = rate(
        0.3, "CS118 young carers identified by a parent (P) rather than the school (S)"
    )
    sixth_form_rate: float = rate(0.45, "16-17 year olds on a school roll (others at college)")
    not_on_roll_rate: float = rate(0.01, "school-age children on no roll (e.g. home educated)")
    school_move_rate: float = rate(
        0.03, "moves to another school per pupil per year, besides moving area"
    )
    primary_school_size: int = count(300, "mean pupils per primary school", 50, 3000)
    secondary_school_size: int = count(1000, "mean pupils per secondary school", 100, 5000)

    # Police
    police_incident_rate_0_9: float = rate(
        0.02, "police incidents per year for a child aged 0-9, besides domestic ones", 10.0
    )
    police_incident_rate_10_17: float = rate(
        0.08, "police incidents per year for a child aged 10-17", 10.0
    )
    police_deprivation_ratio: float = rate(
        3.0, "recorded police contact, decile 1 relative to decile 10 (over-recording)", 20.0, 1.0
    )
    domestic_incident_rate: float = rate(
        0.03, "domestic incidents per household-year (each child present is recorded)", 10.0
    )
    police_missing_rate: float = rate(
        0.01, "missing reports per year for 10-17 year olds, besides exploitation", 10.0
    )
    home_missing_report_rate: float = rate(
        0.7, "missing-from-home episodes of exploited children reported to the police"
    )
    police_duplicate_rate: float = rate(
        0.05, "a later incident creates a second person record instead of matching"
    )

    # Health
    ed_attendance_rate: float = rate(
        0.3, "emergency department attendances per child-year (age profiled)", 10.0
    )
    ed_deprivation_ratio: float = rate(
        1.5, "ED attendance in decile 1 relative to decile 10", 10.0, 1.0
    )
    health_duplicate_rate: float = rate(0.02, "a later attendance creates a second patient record")

    # Identifier errors, per agency
    council_errors: IdentifierErrors = field(
        default_factory=council_defaults, metadata=group_doc("council identifier errors")
    )
    school_errors: IdentifierErrors = field(
        default_factory=school_defaults, metadata=group_doc("school identifier errors")
    )
    police_errors: IdentifierErrors = field(
        default_factory=police_defaults, metadata=group_doc("police identifier errors")
    )
    health_errors: IdentifierErrors = field(
        default_factory=health_defaults, metadata=group_doc("health identifier errors")
    )

    def __post_init__(self) -> None:
        problems = config_problems(self, "SynthConfig")
        if problems:
            raise InvalidInput(problem_summary(problems), problems)

    @property
    def window_start(self) -> dt.date:
        """The first day of the synthetic history."""
        ref = self.reference_date
        try:
            start = ref.replace(year=ref.year - self.history_years)
        except ValueError:  # 29 February
            start = ref.replace(year=ref.year - self.history_years, day=28)
        return start + dt.timedelta(days=1)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values in field order, for the manifest."""
        return plain(self)


def config_problems(config: SynthConfig, source: str) -> list[Problem]:
    """Every value out of range and every inconsistent pair, each naming its key."""
    found = dataclass_problems(config, source)
    if found:
        return found
    if config.lac_rate > config.cin_rate:
        found.append(
            Problem(
                source,
                "lac_rate",
                "lac_rate",
                "must not exceed cin_rate (looked after children are children in need)",
            )
        )
    if config.exploitation_emerging_rate + config.exploitation_escalating_rate > 1:
        found.append(
            Problem(
                source,
                "exploitation_escalating_rate",
                "exploitation_escalating_rate",
                "exploitation_emerging_rate plus exploitation_escalating_rate exceeds 1",
            )
        )
    return found
