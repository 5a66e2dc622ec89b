"""What the partnership tells the public (issue 7): the agreements in force, the latest
signed audit checkpoint with the key and steps to check it independently, and the headline
figures of the latest published report. The public page and its API read this; nothing in it
is about a child: agreements are between agencies, the checkpoint is a hash, and the figures
have been through disclosure control.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from seen.audit.log import latest_checkpoint
from seen.audit.prove import hub_verifiers
from seen.domain.agreements import SharingAgreement
from seen.domain.categories import CATEGORY_LABELS
from seen.domain.sharing import ANY
from seen.report.partnership import Headline, headlines
from seen.settings import Settings
from seen.store import Store
from seen.store.governance import list_agreements
from seen.store.published_reports import latest_report

ALL_CATEGORIES = "Every kind of record except restricted ones (mental health)"


@dataclass(frozen=True)
class PublicFlow:
    source: str
    recipient: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class PublicAgreement:
    ref: str
    title: str
    purpose_description: str
    parties: tuple[tuple[str, str], ...]  # (agency, role)
    purposes: tuple[str, ...]
    lawful_bases: tuple[str, ...]
    flows: tuple[PublicFlow, ...]
    special_category: bool
    criminal_offence_data: bool
    starts: dt.date
    review: dt.date
    ends: dt.date | None


@dataclass(frozen=True)
class PublicCheckpoint:
    tree_size: int
    note: str  # the signed note as the hub serves it
    created_at: dt.datetime
    verifier_keys: tuple[str, ...]  # name+keyid+base64


@dataclass(frozen=True)
class Transparency:
    agreements: tuple[PublicAgreement, ...]
    checkpoint: PublicCheckpoint | None
    report_number: int | None
    report_created_at: dt.datetime | None
    headlines: tuple[Headline, ...]


def transparency(store: Store, settings: Settings, now: dt.datetime) -> Transparency:
    agreements = tuple(
        _public(entry.agreement) for entry in list_agreements(store) if entry.in_force(now)
    )
    stored = latest_checkpoint(store)
    checkpoint = None
    if stored is not None:
        keys = tuple(str(v) for v in hub_verifiers(settings, required=False))
        checkpoint = PublicCheckpoint(stored.tree_size, stored.note, stored.created_at, keys)
    report = latest_report(store)
    return Transparency(
        agreements,
        checkpoint,
        None if report is None else report.number,
        None if report is None else report.created_at,
        tuple(headlines(report.tables)) if report is not None else (),
    )


def _public(terms: SharingAgreement) -> PublicAgreement:
    return PublicAgreement(
        ref=terms.ref,
        title=terms.title,
        purpose_description=terms.purpose_description,
        parties=tuple((p.agency, p.role.value.replace("_", " ")) for p in terms.parties),
        purposes=tuple(sorted(p.label for p in terms.purposes)),
        lawful_bases=tuple(sorted(b.label for b in terms.lawful_bases)),
        flows=tuple(
            PublicFlow(
                flow.source,
                flow.recipient,
                tuple(
                    ALL_CATEGORIES if c == ANY else CATEGORY_LABELS.get(c, c)
                    for c in sorted(flow.categories)
                ),
            )
            for flow in terms.flows
        ),
        special_category=terms.special_category,
        criminal_offence_data=terms.criminal_offence_data,
        starts=terms.starts,
        review=terms.review,
        ends=terms.ends,
    )
