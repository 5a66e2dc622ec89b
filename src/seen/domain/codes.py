"""Published code lists that agencies already record against.

Sources: DfE Children in Need census guide (referral sources, assessment factors, primary need
codes), DfE SSDA903 guide (missing episodes), DfE school census guide (CS118 young carer
indicator), DfE ethnicity codes, NHS Data Dictionary ethnic category and person stated gender.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

CIN_REFERRAL_SOURCES: Final = MappingProxyType(
    {
        "1A": "Individual: family member, relative or carer",
        "1B": "Individual: acquaintance (including neighbours and child minders)",
        "1C": "Individual: self",
        "1D": "Individual: other, including strangers",
        "2A": "Schools",
        "2B": "Education services",
        "3A": "Health services: GP",
        "3B": "Health services: health visitor",
        "3C": "Health services: school nurse",
        "3D": "Health services: other primary health services",
        "3E": "Health services: A&E (emergency department)",
        "3F": "Health services: other",
        "4": "Housing",
        "5A": "Local authority services: social care",
        "5B": "Local authority services: other internal department",
        "5C": "Local authority services: external local authority",
        "5D": "Early help",
        "6": "Police",
        "7": "Other legal agency",
        "8": "Other",
        "9": "Anonymous",
        "10": "Unknown",
    }
)

# Factors identified at the end of assessment. Suffix A: the child; B: a parent or carer;
# C: another person in the household.
CIN_ASSESSMENT_FACTORS: Final = MappingProxyType(
    {
        "1A": "Alcohol misuse: the child",
        "1B": "Alcohol misuse: parent or carer",
        "1C": "Alcohol misuse: another person in the household",
        "2A": "Drug misuse: the child",
        "2B": "Drug misuse: parent or carer",
        "2C": "Drug misuse: another person in the household",
        "3A": "Domestic abuse: the child",
        "3B": "Domestic abuse: parent or carer",
        "3C": "Domestic abuse: another person in the household",
        "4A": "Mental health: the child",
        "4B": "Mental health: parent or carer",
        "4C": "Mental health: another person in the household",
        "5A": "Learning disability: the child",
        "5B": "Learning disability: parent or carer",
        "5C": "Learning disability: another person in the household",
        "6A": "Physical disability or illness: the child",
        "6B": "Physical disability or illness: parent or carer",
        "6C": "Physical disability or illness: another person in the household",
        "7A": "Young carer",
        "8F": "Private fostering",
        "9A": "Unaccompanied asylum-seeking child",
        "10A": "Going or being missing",
        "11A": "Child sexual exploitation",
        "12A": "Trafficking",
        "13A": "Gangs",
        "14A": "Socially unacceptable behaviour",
        "15A": "Self-harm",
        "16A": "Neglect",
        "17A": "Emotional abuse",
        "18B": "Physical abuse: by a parent or carer",
        "18C": "Physical abuse: by another person",
        "19B": "Sexual abuse: by a parent or carer",
        "19C": "Sexual abuse: by another person",
        "20": "Female genital mutilation",
        "21": "No factors identified",
        "22A": "Abuse linked to faith or belief",
        "24A": "Child criminal exploitation",
    }
)

YOUNG_CARER_FACTOR: Final = "7A"
PARENTAL_NEED_FACTORS: Final = frozenset({"1B", "2B", "4B", "5B", "6B"})
EXPLOITATION_FACTORS: Final = frozenset({"10A", "11A", "12A", "13A", "24A"})

CIN_PRIMARY_NEED: Final = MappingProxyType(
    {
        "N0": "Not stated",
        "N1": "Abuse or neglect",
        "N2": "Child's disability or illness",
        "N3": "Parental disability or illness",
        "N4": "Family in acute stress",
        "N5": "Family dysfunction",
        "N6": "Socially unacceptable behaviour",
        "N7": "Low income",
        "N8": "Absent parenting",
        "N9": "Cases other than children in need",
    }
)

SSDA903_MISSING: Final = MappingProxyType(
    {"M": "Missing from placement", "A": "Away from placement without authorisation"}
)

# School census CS118, young carer indicator.
CS118_YOUNG_CARER: Final = MappingProxyType(
    {
        "N": "Not known to be a young carer",
        "P": "Identified as a young carer by a parent or carer",
        "S": "Identified as a young carer by the school",
    }
)

POLICE_ROLES: Final = MappingProxyType(
    {
        "VICTIM": "Victim",
        "SUSPECT": "Suspect",
        "WITNESS": "Witness",
        "CONCERN": "Subject of a concern for welfare",
    }
)

POLICE_INCIDENT_TYPES: Final = MappingProxyType(
    {
        "ASB": "Anti-social behaviour",
        "VIOLENCE": "Violence against the person",
        "DOMESTIC": "Domestic incident",
        "DRUGS": "Drug offence",
        "THEFT": "Theft or robbery",
        "SEXUAL": "Sexual offence",
        "WEAPONS": "Possession of weapons",
        "WELFARE": "Concern for welfare",
    }
)

MISSING_RISK_LEVELS: Final = MappingProxyType(
    {"LOW": "Low risk", "MEDIUM": "Medium risk", "HIGH": "High risk"}
)

# Emergency department attendance, a chief-complaint grouping in the spirit of the ECDS.
HEALTH_ATTENDANCE_REASONS: Final = MappingProxyType(
    {
        "INJURY": "Injury",
        "ILLNESS": "Illness",
        "SELF_HARM": "Self-harm",
        "OVERDOSE": "Overdose or poisoning",
        "ASSAULT": "Assault",
        "ALCOHOL": "Alcohol or substance intoxication",
        "MENTAL_HEALTH": "Mental health crisis",
    }
)
