"""Audit entries: canonical JSON bytes, one fixed schema per kind, and no way for personal
data (names, dates, identifier numbers, free text) to get in."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.factories import AT, decision, one_of_each_kind
from seen.audit import AuditEntry, EntryKind, Outcome
from seen.audit.canonical import canonical_json
from seen.audit.entry import REQUIRED, audit_entry_ref, parse_document, prompt_ref
from seen.domain.identifiers import make_nhs_number, make_upn
from seen.errors import InvalidInput


def test_canonical_bytes_are_sorted_compact_utf8() -> None:
    data = AuditEntry(kind=EntryKind.APPROVAL, at=AT, actor="pr-0100", request="req-3").canonical(7)
    assert data == (
        b'{"actor":"pr-0100","at":"2026-11-22T09:30:00.000000Z","index":7,'
        b'"kind":"approval","request":"req-3","v":1}'
    )
    assert canonical_json({"b": [1, "é"], "a": True}) == '{"a":true,"b":[1,"é"]}'.encode()
    with pytest.raises(ValueError):
        canonical_json({"x": 1.5})  # JCS prints floats the ECMAScript way: none are allowed


def test_every_kind_round_trips_through_its_stored_form() -> None:
    for index, entry in enumerate(one_of_each_kind()):
        data = entry.canonical(index)
        body = parse_document(data)
        assert body == entry.document(index)
        assert body["index"] == index and body["kind"] == entry.kind.value
        assert json.loads(data) == body


@pytest.mark.parametrize("kind", list(EntryKind))
def test_each_kind_needs_its_fields(kind: EntryKind) -> None:
    with pytest.raises(InvalidInput) as caught:
        AuditEntry(kind=kind, at=AT, actor="pr-0001")
    missing = [name for name in REQUIRED[kind] if name != "actor"]
    if missing:
        assert all(name in caught.value.message for name in missing)


def test_pending_goes_with_pending_on_only() -> None:
    with pytest.raises(InvalidInput, match="pending_on"):
        dataclasses.replace(decision(), decision=Outcome.PENDING)
    with pytest.raises(InvalidInput, match="pending_on belongs only"):
        dataclasses.replace(decision(3, Outcome.PENDING), decision=Outcome.ALLOW)


PERSONAL = {
    "a name": ("actor", "Zephyrine Vantongeren"),
    "an e-mail address": ("actor", "zephyrine@example.org"),
    "an address": ("record_ref", "12 Quillon Road"),
    "a date of birth": ("record_ref", "2012-03-04"),
    "a date, UK style": ("request", "DOB-4/3/2012"),
    "a date, compact": ("record_ref", "CIN20120304"),
    "an NHS number": ("person", str(make_nhs_number("400000007"))),
    "an NHS number in a reference": ("record_ref", f"H-{make_nhs_number('943476591')}"),
    "a UPN": ("record_ref", make_upn(201, 3456, 12, 7)),
    "free text in a reason": ("reasons", ("she told her teacher",)),
    "an unknown field": ("unknown", None),
}


@pytest.mark.parametrize("case", list(PERSONAL), ids=list(PERSONAL))
def test_personal_data_cannot_slip_in(case: str) -> None:
    field, value = PERSONAL[case]
    entry = decision()
    if field == "unknown":
        body = entry.document(0) | {"name": "Zephyrine"}
        with pytest.raises(ValueError, match="not a field"):
            parse_document(canonical_json(body))
        return
    assert value is not None
    with pytest.raises(InvalidInput) as caught:
        dataclasses.replace(entry, **{field: value})
    # The refusal never repeats the value it refused.
    shown = value if isinstance(value, str) else value[0]
    assert shown not in caught.value.message


def test_stored_bytes_must_be_canonical_and_of_the_schema() -> None:
    good = decision().canonical(0)
    body = json.loads(good)
    for bad, why in (
        (json.dumps(body).encode(), "canonical"),
        (canonical_json(body | {"v": 2}), "version"),
        (canonical_json(body | {"kind": "gossip"}), "kind"),
        (canonical_json(body | {"at": "2026-11-22"}), "time"),
        (canonical_json({k: v for k, v in body.items() if k != "index"}), "index"),
        (canonical_json({k: v for k, v in body.items() if k != "decision"}), "needs"),
        (b"not json", "JSON"),
    ):
        with pytest.raises(ValueError, match=why):
            parse_document(bad)


def test_times_must_be_timezone_aware() -> None:
    with pytest.raises(InvalidInput):
        dataclasses.replace(decision(), at=dt.datetime(2026, 11, 22, 9, 30))


ids = st.from_regex(r"\A[a-z][a-z0-9-]{0,20}\Z")


@given(actor=ids, request=ids, ref=ids, seconds=st.integers(0, 10**9), index=st.integers(0, 10**9))
def test_valid_entries_always_give_canonical_bytes_that_parse_back(
    actor: str, request: str, ref: str, seconds: int, index: int
) -> None:
    try:
        entry = dataclasses.replace(
            decision(), actor=actor, request=request, record_ref=ref,
            at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=seconds),
        )  # fmt: skip
    except InvalidInput:
        return  # a value that happens to look like a date or an identifier
    data = entry.canonical(index)
    assert parse_document(data) == json.loads(data) == entry.document(index)
    assert canonical_json(json.loads(data)) == data


@given(actor=ids, request=ids, ref=ids, index=st.integers(0, 2**62))
def test_an_entry_written_before_its_index_is_known_is_its_canonical_bytes_at_any_index(
    actor: str, request: str, ref: str, index: int
) -> None:
    try:
        entry = dataclasses.replace(decision(), actor=actor, request=request, record_ref=ref)
    except InvalidInput:
        return
    before, after = entry.canonical_around_index()
    assert before + str(index).encode() + after == entry.canonical(index)


@given(which=st.integers(0, len(one_of_each_kind()) - 1), index=st.integers(0, 2**62))
def test_every_kind_of_entry_splits_around_its_index(which: int, index: int) -> None:
    entry = one_of_each_kind()[which]
    before, after = entry.canonical_around_index()
    assert before + str(index).encode() + after == entry.canonical(index)


def test_a_break_glass_review_holds_ids_and_an_outcome_code_only() -> None:
    entry = AuditEntry(
        kind=EntryKind.BREAK_GLASS_REVIEW,
        at=AT,
        actor="dpo-council",
        actor_agency="northshire-council",
        person="P0001",
        request="0f" * 16,
        reasons=("review_not_appropriate",),
    )
    assert parse_document(entry.canonical(3)) == entry.document(3)
    with pytest.raises(InvalidInput):
        dataclasses.replace(entry, reasons=("the worker should have asked first",))


def test_a_review_view_holds_ids_and_what_was_looked_at_only() -> None:
    look = AuditEntry(
        kind=EntryKind.REVIEW_VIEW,
        at=AT,
        actor="dpo-council",
        actor_agency="northshire-council",
        person="P0001",
        request="0f" * 16,
        reasons=("break_glass_request",),
    )
    assert parse_document(look.canonical(3)) == look.document(3)
    proof = AuditEntry(
        kind=EntryKind.REVIEW_VIEW,
        at=AT,
        actor="admin-rosa",
        record_ref=audit_entry_ref(20_120_304),  # as digits, it would read as a date
        reasons=("audit_proof",),
    )
    assert proof.record_ref == "audit-entry-20_120_304"
    assert parse_document(proof.canonical(4)) == proof.document(4)
    for reasons in (("looked at the injury notes",), ("break_glass_review",), ()):
        with pytest.raises(InvalidInput):
            dataclasses.replace(look, reasons=reasons)
    with pytest.raises(InvalidInput):
        dataclasses.replace(look, person="Zephyrine Vantongeren")
    with pytest.raises(InvalidInput):  # a raw index can look like a date
        dataclasses.replace(proof, record_ref="audit-entry-20120304")


def test_a_prompt_view_holds_ids_and_what_was_looked_at_only() -> None:
    look = AuditEntry(
        kind=EntryKind.PROMPT_VIEW,
        at=AT,
        actor="ycw-yara",
        actor_agency="northshire-young-carers",
        person="P0001",
        request=prompt_ref(20_120_304),  # as digits, it would read as a date
        reasons=("prompt",),
    )
    assert look.request == "prompt-20_120_304"
    assert parse_document(look.canonical(5)) == look.document(5)
    for reasons in (("read the absence evidence",), ("break_glass_request",), ()):
        with pytest.raises(InvalidInput):
            dataclasses.replace(look, reasons=reasons)
    with pytest.raises(InvalidInput):
        dataclasses.replace(look, request="prompt-20120304")
    with pytest.raises(InvalidInput):  # a look names whom it is about
        dataclasses.replace(look, person=None)
    decided = dataclasses.replace(
        look, kind=EntryKind.PROMPT_DECISION, reasons=("not_relevant", "young_carer")
    )
    assert parse_document(decided.canonical(6)) == decided.document(6)
