"""The hub's tables, as SQLAlchemy Core.

The hub holds no names, dates of birth, addresses, postcodes, NHS numbers or UPNs, so no
column here could hold one: records keep the agency's own reference and the degraded
equity-monitoring attributes of `seen.domain.demographics`, and events keep codes and dates.
A test compares these tables with what the migrations build, and lists every column.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from seen.domain.encoding import (
    BLOOM_COLUMNS,
    KEY_FINGERPRINT_LENGTH,
    NEAR_COLUMNS,
    TOKEN_COLUMNS,
    TOKEN_LENGTH,
)
from seen.store.column_types import BigId, UTCDateTime

# Deterministic constraint names, so migrations can name what they alter on every backend.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

AGENCY_NAME_LENGTH = 63
REF_LENGTH = 100  # the agency's own record or event reference
CODE_LENGTH = 32  # the longest code on any list in seen.domain.codes, with room to spare

agencies = Table(
    "agencies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(AGENCY_NAME_LENGTH), nullable=False, unique=True),
    Column("kind", String(32), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # The agency holds at most one record per person: linkage never joins two of them.
    Column("duplicate_free", Boolean, nullable=False, server_default=false()),
)

ingest_runs = Table(
    "ingest_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agency_id", ForeignKey("agencies.id"), nullable=False, index=True),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime, nullable=False),
    Column("status", String(32), nullable=False),
    # [{name (basename only), format, sha256, rows, rejected_rows}], one per file read
    Column("files", JSON, nullable=False),
    Column("records_new", Integer, nullable=False),
    Column("events_new", Integer, nullable=False),
    Column("rejected_rows", Integer, nullable=False),
    # Which partnership key encoded the package (a fingerprint, never the key itself).
    Column("key_fingerprint", String(KEY_FINGERPRINT_LENGTH)),
)

records = Table(
    "records",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("agency_id", ForeignKey("agencies.id"), nullable=False),
    Column("record_ref", String(REF_LENGTH), nullable=False),
    Column("sex", String(1), nullable=False),
    Column("ethnicity", String(4)),  # a DfE code
    Column("birth_month", String(7)),  # YYYY-MM, never a full date
    Column("deprivation_decile", SmallInteger),
    Column("first_run_id", ForeignKey("ingest_runs.id"), nullable=False),
    Column("last_run_id", ForeignKey("ingest_runs.id"), nullable=False),
    UniqueConstraint("agency_id", "record_ref"),
    CheckConstraint("sex IN ('M', 'F', 'U')", name="sex"),
    CheckConstraint("length(birth_month) = 7", name="birth_month"),
    CheckConstraint("deprivation_decile BETWEEN 1 AND 10", name="deprivation_decile"),
)

events = Table(
    "events",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("record_id", ForeignKey("records.id"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date),
    Column("code", String(CODE_LENGTH)),
    Column("qualifier", String(CODE_LENGTH)),
    Column("value", Float),
    Column("source_ref", String(REF_LENGTH)),
    # Event.identity_key(agency, record_ref): loading an event twice stores it once
    Column("event_key", String(64), nullable=False, unique=True),
    Column("ingest_run_id", ForeignKey("ingest_runs.id"), nullable=False, index=True),
)

# Keyed encodings for linkage (docs/encoding.md): HMAC tokens, fixed-weight Bloom filters and
# near sets (keyed one-typo neighbourhoods of identifier numbers and postcodes).
# Without the partnership key, which the hub never holds, none of them can be read back.
record_encodings = Table(
    "record_encodings",
    metadata,
    Column("record_id", BigId, ForeignKey("records.id"), primary_key=True, autoincrement=False),
    *(Column(name, String(TOKEN_LENGTH)) for name in TOKEN_COLUMNS),
    *(Column(name, LargeBinary) for name in BLOOM_COLUMNS),
    *(Column(name, LargeBinary) for name in NEAR_COLUMNS),
)

PERSON_ID_LENGTH = 32

link_runs = Table(
    "link_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime, nullable=False),
    Column("backend", String(16), nullable=False),
    Column("threshold", Float, nullable=False),
    Column("review_low", Float, nullable=False),
    Column("review_high", Float, nullable=False),
    Column("model", JSON, nullable=False),  # trained parameters, reused by incremental runs
    Column("records", Integer, nullable=False),
    Column("people", Integer, nullable=False),
    Column("pairs", Integer, nullable=False),
    Column("review_pairs", Integer, nullable=False),
    Column("kind", String(16), nullable=False, server_default="full"),  # or "incremental" (0021)
)

# Which person each record belongs to, as of the latest link run.
people = Table(
    "people",
    metadata,
    Column("record_id", BigId, ForeignKey("records.id"), primary_key=True, autoincrement=False),
    Column("person_id", String(PERSON_ID_LENGTH), nullable=False, index=True),
    Column("link_run_id", ForeignKey("link_runs.id"), nullable=False),
)

# Uncertain pairs waiting for a person to decide, explained field by field (weights only).
review_pairs = Table(
    "review_pairs",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("link_run_id", ForeignKey("link_runs.id"), nullable=False, index=True),
    Column("record_l", BigId, ForeignKey("records.id"), nullable=False),
    Column("record_r", BigId, ForeignKey("records.id"), nullable=False),
    Column("match_probability", Float, nullable=False),
    Column("match_weight", Float, nullable=False),
    Column("field_weights", JSON, nullable=False),  # {comparison: weight}
    # {comparison: level key of seen.link.model}: what agreed; empty before migration 0004
    Column("field_levels", JSON),
    UniqueConstraint("link_run_id", "record_l", "record_r"),
)

# Reviewers' decisions, kept forever and honoured by every later link run; the latest
# decision on a pair wins.
link_decisions = Table(
    "link_decisions",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("record_l", BigId, ForeignKey("records.id"), nullable=False, index=True),
    Column("record_r", BigId, ForeignKey("records.id"), nullable=False),
    Column("decision", String(16), nullable=False),
    Column("reviewer", String(100), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("decided_at", UTCDateTime, nullable=False),
    CheckConstraint("decision IN ('match', 'non_match')", name="decision"),
)

# Governance (docs/policy.md): the partnership's information-sharing agreements, its
# practitioners and their relationships with children, and the young people's wishes. A child
# is the hub's person id; nothing here names anyone.

AGREEMENT_REF_LENGTH = 64

agreements = Table(
    "agreements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ref", String(AGREEMENT_REF_LENGTH), nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    Column("purpose_description", String(2000), nullable=False),
    # [{agency, role}], and [{from, to, categories}]: read and written whole, never queried
    Column("parties", JSON, nullable=False),
    Column("flows", JSON, nullable=False),
    Column("purposes", JSON, nullable=False),
    Column("lawful_bases", JSON, nullable=False),
    Column("special_category", Boolean, nullable=False),
    Column("criminal_offence_data", Boolean, nullable=False),
    Column("release", String(32), nullable=False),
    Column("retention", String(500), nullable=False),
    Column("starts", Date, nullable=False),
    Column("review", Date, nullable=False),
    Column("ends", Date),
    Column("signed_off_by", String(100), nullable=False),
    Column("signed_off_on", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("imported_at", UTCDateTime, nullable=False),
    CheckConstraint(
        "status IN ('draft', 'active', 'suspended', 'expired')", name="agreement_status"
    ),
    CheckConstraint("release IN ('automatic', 'originator_approval')", name="release"),
)

# Every change of an agreement's status, with who made it and why: the register's history.
agreement_status_changes = Table(
    "agreement_status_changes",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("agreement_id", ForeignKey("agreements.id"), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("changed_by", String(100), nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
)

practitioners = Table(
    "practitioners",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ref", String(64), nullable=False, unique=True),  # pseudonymous, e.g. sw-0042
    Column("agency_id", ForeignKey("agencies.id"), nullable=False),
    Column("roles", JSON, nullable=False),
    Column("active", Boolean, nullable=False),
)

# A practitioner's legitimate relationship with a child (a person of the latest link run),
# from `starts` until `ends` (open while null).
relationships = Table(
    "relationships",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("practitioner_id", ForeignKey("practitioners.id"), nullable=False, index=True),
    Column("person_id", String(64), nullable=False, index=True),
    Column("starts", UTCDateTime, nullable=False),
    Column("ends", UTCDateTime),
    Column("reason", String(200), nullable=False),
)

# A young person's sharing choices, shaped as ISO/IEC TS 27560 consent records: who the
# record is about, what it covers (a category and a kind of recipient), the choice, when and
# by whom it was recorded, and how. Never updated: the latest per (person, category, kind)
# holds, and the rows before it are the history.
sharing_preferences = Table(
    "sharing_preferences",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("person_id", String(64), nullable=False, index=True),
    Column("category", String(64), nullable=False),  # or "*"
    Column("recipient_kind", String(32), nullable=False),  # an agency kind, or "*"
    Column("choice", String(16), nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("recorded_by", String(64), nullable=False),  # the young person, or a practitioner ref
    Column("method", String(32), nullable=False),  # how it was given: self_service, in_person
    Column("notice", String(64), nullable=False),  # the version of the explanation shown
    CheckConstraint("choice IN ('share', 'ask_first', 'do_not_share')", name="choice"),
)

# The audit log (seen.audit): append-only. Migration 0007 adds triggers on both backends that
# refuse every UPDATE and DELETE, so not even the hub's own code can rewrite history.
audit_entries = Table(
    "audit_entries",
    metadata,
    # The entry's position in the Merkle tree, from 0; the entry's JSON carries it too.
    Column("entry_index", BigId, primary_key=True, autoincrement=False),
    Column("entry", LargeBinary, nullable=False),  # canonical JSON (seen.audit.entry)
    Column("leaf_hash", LargeBinary, nullable=False),  # SHA-256(0x00 || entry)
    Column("appended_at", UTCDateTime, nullable=False),
)

# The log's next index, one row: each append takes and moves it, in turn (seen.audit.log).
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("next_index", BigInteger, nullable=False),
    CheckConstraint("id = 1", name="one_row"),
)

# Signed tree heads: C2SP tlog-checkpoint notes, signed by the hub's log key and any
# agency that countersigned.
audit_checkpoints = Table(
    "audit_checkpoints",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tree_size", BigInteger, nullable=False),
    Column("root_hash", LargeBinary, nullable=False),
    Column("note", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# The web app's accounts (seen.web). A user name is pseudonymous (sw-amara, yp-0042), never a
# real name; a practitioner's account points at their practitioner entry, a young person's at
# their person id, an agency DPO's at their agency.
accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),  # argon2id, with its parameters
    Column("role", String(32), nullable=False),
    Column("practitioner_id", ForeignKey("practitioners.id")),
    Column("agency_id", ForeignKey("agencies.id")),
    Column("person_id", String(64)),
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # Login throttling: failures since the last success, and when the account opens again.
    Column("failed_logins", Integer, nullable=False),
    Column("locked_until", UTCDateTime),
    CheckConstraint(
        "role IN ('practitioner', 'dpo', 'administrator', 'analyst', 'young_person')",
        name="account_role",
    ),
)

# Sessions live on the server. The cookie (browser) or bearer token (API) is a random token;
# only its SHA-256 is stored, so a copy of the database opens no session.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("token_hash", LargeBinary, nullable=False, unique=True),
    Column("account_id", ForeignKey("accounts.id"), nullable=False, index=True),
    Column("kind", String(8), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    CheckConstraint("kind IN ('browser', 'api')", name="kind"),
)

# A practitioner's request for a joined-up chronology of one child, for a stated purpose and
# lawful basis; with a justification, it is a break-glass request (docs/policy.md, rule 4).
sharing_requests = Table(
    "sharing_requests",
    metadata,
    Column("id", String(32), primary_key=True),  # random hex: also the audit entries' request
    Column("practitioner_id", ForeignKey("practitioners.id"), nullable=False),
    Column("person_id", String(64), nullable=False, index=True),
    Column("purpose", String(64), nullable=False),
    Column("lawful_basis", String(64), nullable=False),
    # Free text, so kept here with the request; the audit log holds only its SHA-256.
    Column("justification", Text),
    Column("asked_at", UTCDateTime, nullable=False),
)

# A record a request may see once someone says yes: the young person (they asked to be asked
# first) or the agency that holds it (its agreement releases by originator approval). The
# agency's inbox lists those pending on it; the young person's pages those pending on them.
pending_releases = Table(
    "pending_releases",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("request_id", ForeignKey("sharing_requests.id"), nullable=False),
    Column("event_id", BigId, ForeignKey("events.id"), nullable=False),
    Column("pending_on", String(16), nullable=False),
    Column("agency_id", ForeignKey("agencies.id"), nullable=False, index=True),  # the holder
    Column("person_id", String(64), nullable=False, index=True),
    Column("urgent", Boolean, nullable=False),  # asked under break-glass
    Column("status", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("answered_by", String(64)),
    Column("answered_at", UTCDateTime),
    Column("reason", String(1000)),
    UniqueConstraint("request_id", "event_id"),
    CheckConstraint("pending_on IN ('young_person', 'originator')", name="pending_on"),
    CheckConstraint("status IN ('pending', 'approved', 'declined')", name="release_status"),
)

# Records a practitioner has recorded that telling the young person about would put them at
# risk: the young person's own pages do not show them (docs/policy.md, rule 2).
withheld_from_subject = Table(
    "withheld_from_subject",
    metadata,
    Column("event_id", BigId, ForeignKey("events.id"), primary_key=True, autoincrement=False),
    Column("reason", String(1000), nullable=False),
    Column("recorded_by", String(64), nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
)

# The young person's own pages (docs/web.md, "The young person's pages").

VOICE_TEXT_LENGTH = 2000
CONTEST_TEXT_LENGTH = 2000

# "My voice": what the young person says in their own words, shown beside the professional
# records with equal prominence. Free text, so it lives here and never in the audit log.
voice_entries = Table(
    "voice_entries",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("person_id", String(64), nullable=False, index=True),
    Column("text", String(VOICE_TEXT_LENGTH), nullable=False),
    Column("about_event_id", BigId, ForeignKey("events.id")),  # null: about nothing in particular
    Column("created_at", UTCDateTime, nullable=False),
)

# A young person saying a record is wrong: it goes to the holding agency's inbox, and the
# agency's answer comes back to them. The words of both are free text, kept only here; the
# audit log records the opening and the answer by ids and codes.
contests = Table(
    "contests",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("person_id", String(64), nullable=False, index=True),
    Column("event_id", BigId, ForeignKey("events.id"), nullable=False),
    Column("agency_id", ForeignKey("agencies.id"), nullable=False, index=True),  # the holder
    Column("text", String(CONTEST_TEXT_LENGTH), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False),
    Column("outcome", String(16)),  # agreed (and corrected) or disagreed, once answered
    Column("answer", String(CONTEST_TEXT_LENGTH)),
    Column("answered_by", String(64)),
    Column("answered_at", UTCDateTime),
    CheckConstraint("status IN ('open', 'answered')", name="contest_status"),
    CheckConstraint("outcome IN ('agreed', 'disagreed')", name="contest_outcome"),
)

# A young person telling Seen they look after someone at home, and which kinds of agency may
# know. Never updated: the latest row per person holds (looks_after false: withdrawn, or no).
young_carer_statements = Table(
    "young_carer_statements",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("person_id", String(64), nullable=False, index=True),
    Column("looks_after", Boolean, nullable=False),
    Column("who_may_know", JSON, nullable=False),  # [agency kind]
    Column("stated_at", UTCDateTime, nullable=False),
)

# Which audit entries are about which person, so "who looked at my records" reads a young
# person's entries without reading the whole log. Derived from the log (seen.audit.people)
# and caught up from it on each read; the log stays the only source of truth.
audit_people = Table(
    "audit_people",
    metadata,
    Column("entry_index", BigId, primary_key=True, autoincrement=False),
    Column("person_id", String(64), nullable=False, index=True),
)

# Issue 5, governance (migration 0013). An agreement's reviews: its terms never change, so a
# review is a row saying who reviewed it, when, and the next review date it set (the latest
# row's date is the agreement's next review); the notes are free text, kept here only.
agreement_reviews = Table(
    "agreement_reviews",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("agreement_id", ForeignKey("agreements.id"), nullable=False, index=True),
    Column("reviewed_by", String(64), nullable=False),
    Column("reviewed_at", UTCDateTime, nullable=False),
    Column("next_review", Date, nullable=False),
    Column("notes", String(1000), nullable=False),
)

# A data protection officer's or the administrator's review of one break-glass request: was
# it appropriate? One review per request. The notes are free text, so they stay here; the
# audit log's `break_glass_review` entry holds the ids and the outcome code only.
break_glass_reviews = Table(
    "break_glass_reviews",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("request_id", ForeignKey("sharing_requests.id"), nullable=False, unique=True),
    Column("reviewer", String(64), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("notes", String(2000), nullable=False),
    Column("reviewed_at", UTCDateTime, nullable=False),
    CheckConstraint("outcome IN ('appropriate', 'not_appropriate')", name="outcome"),
)

# Decision tracking (docs/web.md, "A practitioner's journeys"): what a practitioner decided to
# do after reading a chronology, and why, and later what came of it. The reason and the note
# are the practitioner's own words, so they are kept here, with a length limit; the audit log
# records only the codes (case_decision and case_outcome entries).
case_decisions = Table(
    "case_decisions",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("request_id", ForeignKey("sharing_requests.id"), nullable=False, index=True),
    Column("practitioner_id", ForeignKey("practitioners.id"), nullable=False),
    Column("person_id", String(64), nullable=False, index=True),
    Column("decision", String(32), nullable=False),
    Column("reason", String(2000), nullable=False),
    Column("decided_at", UTCDateTime, nullable=False),
    Column("outcome", String(32)),
    Column("outcome_note", String(2000)),
    Column("outcome_on", Date),  # the day it came about, as the practitioner says
    Column("outcome_recorded_at", UTCDateTime),
    CheckConstraint(
        "outcome IS NULL OR (outcome_on IS NOT NULL AND outcome_recorded_at IS NOT NULL)",
        name="outcome_complete",
    ),
)

# Issue 6 (migration 0014): prompts to consider offering support, for a human to review; never
# decisions and never permanent. A prompt is open until `expires_on`; only new evidence renews
# it (`renewed_on`, and `expires_on` moves on). Evidence is JSON of indicator names, values,
# log-odds and the store's event ids, and `model` the weights that scored it: codes and
# numbers only, no free text.
identify_prompts = Table(
    "identify_prompts",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("person_id", String(64), nullable=False, index=True),
    Column("need", String(32), nullable=False),
    Column("acting_agency", String(32), nullable=False),
    Column("raised_on", Date, nullable=False),
    Column("renewed_on", Date),
    Column("expires_on", Date, nullable=False),
    Column("probability", Float, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("model", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("need IN ('young_carer', 'exploitation')", name="need"),
    CheckConstraint("expires_on > raised_on", name="expiry"),
)

# Issue 6, review and tracking (migration 0016; docs/identify.md). When a reviewer first
# opened a prompt for its current evidence (the day it was raised or last renewed): kept so
# that monitoring can tell a decision taken after reading from one taken at a glance.
identify_prompt_views = Table(
    "identify_prompt_views",
    metadata,
    Column("prompt_id", BigId, ForeignKey("identify_prompts.id"), primary_key=True),
    Column("practitioner_id", ForeignKey("practitioners.id"), primary_key=True),
    Column("evidence_on", Date, primary_key=True),
    Column("first_viewed_at", UTCDateTime, nullable=False),
)

# A reviewer's decision on a prompt, one per prompt and evidence (a prompt renewed by new
# evidence takes a new decision; the earlier ones stay), and later its outcome. The reason
# and note are the reviewer's own words, so they are kept here only, with a length limit;
# the audit log's prompt_decision and prompt_outcome entries hold ids and codes.
identify_decisions = Table(
    "identify_decisions",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("prompt_id", BigId, ForeignKey("identify_prompts.id"), nullable=False),
    Column("evidence_on", Date, nullable=False),  # the prompt's raised_on or renewed_on
    Column("decision", String(16), nullable=False),
    Column("reason", String(2000), nullable=False),
    Column("practitioner_id", ForeignKey("practitioners.id"), nullable=False),
    Column("agency_id", ForeignKey("agencies.id"), nullable=False),
    Column("first_viewed_at", UTCDateTime),  # null: decided without opening the prompt
    Column("decided_at", UTCDateTime, nullable=False),
    Column("outcome", String(32)),
    Column("outcome_note", String(2000)),
    Column("outcome_on", Date),  # the day it came about, as the reviewer says
    Column("outcome_by", ForeignKey("practitioners.id")),
    Column("outcome_recorded_at", UTCDateTime),
    UniqueConstraint("prompt_id", "evidence_on"),
    CheckConstraint(
        "decision IN ('offer_support', 'refer', 'no_action', 'not_relevant')", name="decision"
    ),
    CheckConstraint(
        "outcome IS NULL OR (outcome_on IS NOT NULL AND outcome_by IS NOT NULL "
        "AND outcome_recorded_at IS NOT NULL)",
        name="outcome_complete",
    ),
)

# Issue 7: the partnership report as published, after disclosure control (seen.report): the
# dashboard and the public page show the latest. Aggregates only, never a child's record.
published_reports = Table(
    "published_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("tables", JSON, nullable=False),
)

# Evaluation reports of `seen identify evaluate --save`: aggregates only (counts and rates by
# need, method and group, model weights, the run's settings), as JSON (seen.identify.report).
identify_evaluations = Table(
    "identify_evaluations",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("reference_date", Date, nullable=False),
    Column("alerts", Integer, nullable=False),
    Column("report", JSON, nullable=False),
    CheckConstraint("alerts >= 0", name="alerts"),
)
