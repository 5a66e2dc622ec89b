"""Reading an agreement reports every problem at once, naming the agreement and the field."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from seen.domain.agreements import agreements_from_document
from seen.domain.sharing import AgreementStatus, Release

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "agreements.yaml"


def example() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text())
    return loaded


def problems_of(document: Any) -> list[str]:
    return [
        f"{p.location}, {p.field}: {p.message}"
        for p in agreements_from_document(document, "f.yaml")[1]
    ]


def test_the_example_register_reads_without_problems() -> None:
    found, problems = agreements_from_document(example(), "f.yaml")
    assert problems == []
    assert [a.ref for a in found] == ["ISA-NS-SAFEGUARDING", "ISA-NS-POLICE-SCHOOLS"]
    assert found[1].release is Release.ORIGINATOR_APPROVAL
    assert found[0].status is AgreementStatus.ACTIVE and found[1].ends is None


def test_every_problem_is_reported_with_its_agreement_and_field() -> None:
    document = example()
    broken = document["agreements"][1]
    broken["purposes"] = ["marketing"]
    broken["review"] = "next year"
    broken["flows"].append(
        {"from": "northshire-health", "to": "northshire-schools", "categories": ["*"]}
    )
    broken["colour"] = "blue"
    del document["agreements"][0]["signed_off_by"]
    found = problems_of(document)
    assert "agreements[0], signed_off_by: is missing or empty" in found
    assert any(p.startswith("agreements[1], purposes: 'marketing' is not one of") for p in found)
    assert "agreements[1], review: must be a date, YYYY-MM-DD" in found
    assert "agreements[1], colour: is not a field of an agreement" in found


def test_a_flow_between_agencies_that_are_not_parties_is_refused() -> None:
    document = example()
    document["agreements"][1]["flows"].append(
        {"from": "northshire-health", "to": "northshire-schools", "categories": ["*"]}
    )
    assert "agreements[1], flows[1]: 'northshire-health' is not one of the parties" in problems_of(
        document
    )


def test_dates_must_be_in_order_and_signed_off_before_the_start() -> None:
    document = example()
    terms = document["agreements"][0]
    terms["ends"] = "2025-06-01"
    terms["signed_off_on"] = "2026-06-01"
    found = problems_of(document)
    assert "agreements[0], ends: is before the start date" in found
    assert (
        "agreements[0], signed_off_on: an active agreement is signed off before it starts" in found
    )


def test_a_reference_twice_in_one_file_is_refused() -> None:
    document = example()
    document["agreements"].append(copy.deepcopy(document["agreements"][0]))
    assert "agreements, ref: 'ISA-NS-SAFEGUARDING' appears more than once" in problems_of(document)


def test_an_empty_document_is_refused() -> None:
    assert problems_of({"agreements": []}) == ["top level, agreements: must be a non-empty list"]
