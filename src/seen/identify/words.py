"""A prompt in a reviewer's words: each indicator's short plain name, its value with its unit,
and the model's probability as a natural frequency ("about 3 in 10").

Natural frequencies are what risk communication research recommends for people who are not
statisticians (a number out of ten or a hundred is read correctly far more often than a
decimal or a percentage); the number itself is shown beside them for those who want it.
"""

from __future__ import annotations

from typing import Final

from seen.identify.indicators import BY_NAME

# Every indicator in the library, as a reviewer reads it: what it counts, and over when.
# (The library's own descriptions say how it is computed, for the documentation.)
LABELS: Final = {
    "parental_need_factor": "A parent's or carer's needs (alcohol or drug misuse, mental "
    "health, learning disability, physical illness) recorded at a children-in-need assessment",
    "parental_illness_need": "Parental disability or illness recorded as the main need at a "
    "referral",
    "child_in_need_now": "Open to children's social care now",
    "looked_after_now": "Looked after now",
    "section_47_12m": "Section 47 child protection enquiries, last 12 months",
    "child_self_harm_or_substance_factor": "The child's own self-harm, mental health or "
    "alcohol or drug misuse recorded at an assessment",
    "missing_from_care_12m": "Missing or away without permission from a placement, last 12 months",
    "absence_12m": "School absence, last 12 months",
    "persistent_absence_terms_12m": "Terms with 10% or more of school missed, last 12 months",
    "absence_rise": "Rise in school absence against the year before",
    "suspensions_12m": "School suspensions, last 12 months",
    "permanent_exclusion": "Permanently excluded from school",
    "domestic_incidents_24m": "Domestic incidents the child was present at, last 24 months",
    "police_welfare_12m": "Police concerns for the child's welfare, last 12 months",
    "police_suspect_drugs_weapons_12m": "Suspected by the police of a drugs or weapons "
    "offence, last 12 months",
    "police_sexual_offence_victim_12m": "Victim of a sexual offence, last 12 months",
    "police_violence_12m": "Violence against the person, as victim or suspect, last 12 months",
    "police_other_incidents_12m": "Other police incidents (anti-social behaviour, theft), "
    "last 12 months",
    "missing_reports_12m": "Reported missing to the police, last 12 months",
    "missing_high_risk_12m": "Missing reports assessed as medium or high risk, last 12 months",
    "ed_attendances_12m": "Emergency department visits, last 12 months",
    "ed_assault_12m": "Emergency department visits after an assault, last 12 months",
    "ed_intoxication_overdose_12m": "Emergency department visits for intoxication or "
    "overdose, last 12 months",
    "ed_self_harm_12m": "Emergency department visits for self-harm or mental health, last 12 "
    "months",
    "age_years": "Age",
}


def indicator_label(name: str) -> str:
    """The indicator's plain name; an indicator no longer in the library (a prompt stored by
    an older version) by its own name rather than not at all."""
    return LABELS.get(name, name.replace("_", " "))


def indicator_source(name: str) -> str:
    """Whose records the indicator reads, as a kind of agency ("Police"), or "" for age."""
    indicator = BY_NAME.get(name)
    if indicator is None or indicator.agency is None:
        return ""
    return indicator.agency.label


def value_words(name: str, value: float) -> str:
    """The indicator's value with its unit: "3 records", "14.5% of sessions missed"."""
    indicator = BY_NAME.get(name)
    unit = indicator.unit if indicator is not None else ""
    shown = f"{value:.3g}"
    if unit == "events":
        return f"{shown} record{'' if value == 1 else 's'}"
    if unit == "% missed":
        return f"{shown}% of sessions missed"
    if unit == "points":
        return f"{value:+.3g} percentage points"
    if unit == "open":
        return "Yes" if value else "No"
    if unit == "years":
        return f"{value:.0f} years"
    if unit in {"terms", "suspensions"}:
        return f"{shown} {unit[:-1] if value == 1 else unit}"
    return f"{shown} {unit}".strip()


def likelihood(probability: float) -> str:
    """The probability as a natural frequency: "about 3 in 10", "about 13 in 100", "fewer
    than 1 in 100", "about 9 in 10" (never "10 in 10": the model is never certain). Below 1 in
    5, out of a hundred, where out of ten would round 0.13 and 0.06 alike."""
    if probability < 0.005:
        return "fewer than 1 in 100"
    if probability < 0.195:
        return f"about {max(1, round(probability * 100))} in 100"
    tenths = min(9, max(2, round(probability * 10)))
    return f"about {tenths} in 10"
