"""The hub holds no names, dates of birth, postcodes, NHS numbers or UPNs: there is nowhere
to put them, and an ingest of records full of them leaves no trace of any."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect

from seen.domain.encoding import BLOOM_COLUMNS, NEAR_COLUMNS, TOKEN_COLUMNS
from seen.ingest import ingest_extract
from seen.store import Store
from store import factories

# Every column the hub has. A new column means a deliberate change to this list, and a
# conversation about whether it could hold personal data.
DOCUMENTED_COLUMNS = {
    "agencies": {"id", "name", "kind", "created_at", "duplicate_free"},
    "ingest_runs": {
        "id",
        "agency_id",
        "started_at",
        "finished_at",
        "status",
        "files",
        "records_new",
        "events_new",
        "rejected_rows",
        "key_fingerprint",
    },
    "records": {
        "id",
        "agency_id",
        "record_ref",
        "sex",
        "ethnicity",
        "birth_month",
        "deprivation_decile",
        "first_run_id",
        "last_run_id",
    },
    "events": {
        "id",
        "record_id",
        "kind",
        "start_date",
        "end_date",
        "code",
        "qualifier",
        "value",
        "source_ref",
        "event_key",
        "ingest_run_id",
    },
    # Keyed tokens, fixed-weight Bloom filters and near sets only: unreadable without the
    # partnership key.
    "record_encodings": {"record_id", *TOKEN_COLUMNS, *BLOOM_COLUMNS, *NEAR_COLUMNS},
    "link_runs": {
        "id",
        "started_at",
        "finished_at",
        "backend",
        "threshold",
        "review_low",
        "review_high",
        "model",
        "records",
        "people",
        "pairs",
        "review_pairs",
        "kind",  # full or incremental
    },
    "people": {"record_id", "person_id", "link_run_id"},
    "review_pairs": {
        "id",
        "link_run_id",
        "record_l",
        "record_r",
        "match_probability",
        "match_weight",
        "field_weights",
        "field_levels",
    },
    "link_decisions": {
        "id",
        "record_l",
        "record_r",
        "decision",
        "reviewer",
        "reason",
        "decided_at",
    },
    # Governance: agreements name agencies and job titles; practitioners and children appear
    # only by pseudonymous reference (a practitioner ref, a person id).
    "agreements": {
        "id",
        "ref",
        "title",
        "purpose_description",
        "parties",
        "flows",
        "purposes",
        "lawful_bases",
        "special_category",
        "criminal_offence_data",
        "release",
        "retention",
        "starts",
        "review",
        "ends",
        "signed_off_by",
        "signed_off_on",
        "status",
        "imported_at",
    },
    "agreement_status_changes": {
        "id",
        "agreement_id",
        "status",
        "reason",
        "changed_by",
        "changed_at",
    },
    "practitioners": {"id", "ref", "agency_id", "roles", "active"},
    "relationships": {"id", "practitioner_id", "person_id", "starts", "ends", "reason"},
    "sharing_preferences": {
        "id",
        "person_id",
        "category",
        "recipient_kind",
        "choice",
        "recorded_at",
        "recorded_by",
        "method",
        "notice",
    },
    # Canonical JSON entries of pseudonymous ids and terms only (seen.audit.entry checks
    # every value), their hashes, and signed checkpoint notes.
    "audit_entries": {"entry_index", "entry", "leaf_hash", "appended_at"},
    "audit_checkpoints": {"id", "tree_size", "root_hash", "note", "created_at"},
    "audit_head": {"id", "next_index"},
    # The web app: pseudonymous user names, argon2 hashes, and sessions by token digest.
    "accounts": {
        "id",
        "username",
        "password_hash",
        "role",
        "practitioner_id",
        "agency_id",
        "person_id",
        "active",
        "created_at",
        "failed_logins",
        "locked_until",
    },
    "web_sessions": {
        "id",
        "token_hash",
        "account_id",
        "kind",
        "csrf_token",
        "created_at",
        "last_seen_at",
    },
    # Sharing requests. `justification` and `reason` are free text a practitioner or agency
    # writes: shown only within the journey, never copied into the audit log.
    "sharing_requests": {
        "id",
        "practitioner_id",
        "person_id",
        "purpose",
        "lawful_basis",
        "justification",
        "asked_at",
    },
    "pending_releases": {
        "id",
        "request_id",
        "event_id",
        "pending_on",
        "agency_id",
        "person_id",
        "urgent",
        "status",
        "created_at",
        "answered_by",
        "answered_at",
        "reason",
    },
    "withheld_from_subject": {"event_id", "reason", "recorded_by", "recorded_at"},
    # Governance reviews: who reviewed (an account's pseudonymous user name), when, the
    # outcome or next review date, and notes (free text, never copied to the audit log).
    "agreement_reviews": {
        "id",
        "agreement_id",
        "reviewed_by",
        "reviewed_at",
        "next_review",
        "notes",
    },
    "break_glass_reviews": {"id", "request_id", "reviewer", "outcome", "notes", "reviewed_at"},
    "alembic_version": {"version_num"},
    # The young person's own words, contests and the agency's answers: free text they or the
    # agency wrote, kept here and never in the audit log; young carer statements hold kinds
    # of agency; audit_people maps audit entries to pseudonymous person ids.
    "voice_entries": {"id", "person_id", "text", "about_event_id", "created_at"},
    "contests": {
        "id",
        "person_id",
        "event_id",
        "agency_id",
        "text",
        "created_at",
        "status",
        "outcome",
        "answer",
        "answered_by",
        "answered_at",
    },
    "young_carer_statements": {"id", "person_id", "looks_after", "who_may_know", "stated_at"},
    "audit_people": {"entry_index", "person_id"},
    # Decision tracking: codes, dates and the practitioner's own reason and note about their
    # decision (free text by design, length-limited, never in the audit log).
    "case_decisions": {
        "id",
        "request_id",
        "practitioner_id",
        "person_id",
        "decision",
        "reason",
        "decided_at",
        "outcome",
        "outcome_note",
        "outcome_on",
        "outcome_recorded_at",
    },
    # Identification prompts: a pseudonymous person id, codes, dates, a probability, and
    # evidence and model as JSON of indicator names, numbers and event ids (no free text).
    "identify_prompts": {
        "id",
        "person_id",
        "need",
        "acting_agency",
        "raised_on",
        "renewed_on",
        "expires_on",
        "probability",
        "evidence",
        "model",
        "created_at",
    },
    # Review and tracking: ids, codes, dates and times; the reviewer's reason and note are
    # their own words about what they decided, limited to 2,000 characters.
    "identify_prompt_views": {"prompt_id", "practitioner_id", "evidence_on", "first_viewed_at"},
    "identify_decisions": {
        "id",
        "prompt_id",
        "evidence_on",
        "decision",
        "reason",
        "practitioner_id",
        "agency_id",
        "first_viewed_at",
        "decided_at",
        "outcome",
        "outcome_note",
        "outcome_on",
        "outcome_by",
        "outcome_recorded_at",
    },
    # The partnership report as published: tables after disclosure control, as JSON.
    "published_reports": {"id", "created_at", "tables"},
    # Evaluation reports: aggregates only (counts and rates by need, method and group, model
    # weights, the run's settings) as JSON; no person id (tests/identify checks the report).
    "identify_evaluations": {"id", "created_at", "reference_date", "alerts", "report"},
}


def test_only_the_documented_columns_exist(store: Store) -> None:
    inspector = inspect(store.engine)
    found = {
        table: {column["name"] for column in inspector.get_columns(table)}
        for table in inspector.get_table_names()
    }
    assert found == DOCUMENTED_COLUMNS


def test_no_column_is_named_for_personal_data(store: Store) -> None:
    forbidden = (
        "given",
        "family",
        "surname",
        "dob",
        "birth_date",
        "date_of_birth",
        "postcode",
        "address",
        "nhs",
        "upn",
        "chi",
    )
    inspector = inspect(store.engine)
    for table in inspector.get_table_names():
        for column in inspector.get_columns(table):
            if table == "record_encodings":
                # Named for the field each token encodes; the value is a keyed HMAC.
                continue
            assert not any(word in column["name"] for word in forbidden), (table, column["name"])


def test_encodings_hold_only_fixed_width_tokens_and_filters(store: Store) -> None:
    columns = {c["name"]: c["type"] for c in inspect(store.engine).get_columns("record_encodings")}
    for name in TOKEN_COLUMNS:
        assert getattr(columns[name], "length", None) == 32, name


def test_an_ingest_stores_none_of_the_identities(store: Store) -> None:
    extract = factories.children_extract(people=12, events_each=4)
    secrets = factories.identity_strings(extract)
    assert len(secrets) > 50  # names, DOBs, postcodes, NHS numbers and UPNs, in several forms

    ingest_extract(store, "northshire-council", extract)

    stored = [
        (table, str(value))
        for table, rows in factories.dump(store).items()
        for row in rows
        for value in row
        if value is not None
    ]
    assert len(stored) > 100
    leaks = [(table, s) for table, value in stored for s in secrets if s.lower() in value.lower()]
    assert leaks == []


def test_the_sqlite_file_holds_none_of_the_identities(tmp_path: Path) -> None:
    # Below the SQL: the raw database and write-ahead log bytes, freed pages included.
    from seen.store import open_store

    store = open_store(factories.make_settings(tmp_path))
    try:
        extract = factories.children_extract(people=12, events_each=4)
        ingest_extract(store, "northshire-council", extract)
        raw = b"".join(p.read_bytes() for p in tmp_path.glob("seen.db*"))
    finally:
        store.close()
    assert len(raw) > 10_000
    for secret in factories.identity_strings(extract):
        assert secret.encode() not in raw, "an identity detail reached the database file"


def test_file_paths_are_kept_as_names_only(store: Store) -> None:
    ingest_extract(store, "northshire-council", factories.children_extract())
    (run,) = factories.dump(store)["ingest_runs"]
    assert "/home/officer" not in repr(run)
    assert "children-first.csv" in repr(run)


def test_every_code_on_every_list_fits_its_column() -> None:
    # SQLite never enforces a String length; PostgreSQL does, so check the lists here.
    from seen.domain.events import EVENT_SPECS
    from seen.store.tables import events

    for spec in EVENT_SPECS.values():
        for code in spec.codes or {}:
            assert len(code) <= events.c.code.type.length, code
        for qualifier in spec.qualifiers or {}:
            assert len(qualifier) <= events.c.qualifier.type.length, qualifier
