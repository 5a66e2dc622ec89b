"""The public transparency page as JSON, for anyone (no credentials): the agreements in
force, the latest signed checkpoint and verifier key, and the headline figures after
disclosure control (seen.transparency)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from seen.transparency import transparency
from seen.web.access import PUBLIC_API, Viewer
from seen.web.context import WebContext

router = APIRouter(prefix="/api/v1", tags=["transparency"])


class FlowOut(BaseModel):
    source: str
    recipient: str
    categories: list[str]


class AgreementOut(BaseModel):
    ref: str
    title: str
    purpose_description: str
    parties: list[tuple[str, str]] = Field(description="(agency, role)")
    purposes: list[str]
    lawful_bases: list[str]
    flows: list[FlowOut]
    special_category: bool
    criminal_offence_data: bool
    starts: dt.date
    review: dt.date
    ends: dt.date | None


class CheckpointOut(BaseModel):
    tree_size: int
    note: str = Field(description="The signed note (C2SP signed-note format)")
    created_at: dt.datetime
    verifier_keys: list[str] = Field(description="name+keyid+base64 of the hub's key")


class HeadlineOut(BaseModel):
    label: str
    value: int | None
    marker: str = Field(description="'' for a figure shown; c where it is confidential")


class TransparencyOut(BaseModel):
    agreements: list[AgreementOut]
    checkpoint: CheckpointOut | None
    report_number: int | None
    headlines: list[HeadlineOut]


@router.get("/transparency")
def public_transparency(request: Request, viewer: Viewer = PUBLIC_API) -> TransparencyOut:
    """What the partnership publishes: nothing about any child."""
    context: WebContext = request.app.state.seen
    shown = transparency(context.store, context.settings, context.now())
    checkpoint = shown.checkpoint
    return TransparencyOut(
        agreements=[
            AgreementOut(
                ref=a.ref,
                title=a.title,
                purpose_description=a.purpose_description,
                parties=list(a.parties),
                purposes=list(a.purposes),
                lawful_bases=list(a.lawful_bases),
                flows=[
                    FlowOut(source=f.source, recipient=f.recipient, categories=list(f.categories))
                    for f in a.flows
                ],
                special_category=a.special_category,
                criminal_offence_data=a.criminal_offence_data,
                starts=a.starts,
                review=a.review,
                ends=a.ends,
            )
            for a in shown.agreements
        ],
        checkpoint=None
        if checkpoint is None
        else CheckpointOut(
            tree_size=checkpoint.tree_size,
            note=checkpoint.note,
            created_at=checkpoint.created_at,
            verifier_keys=list(checkpoint.verifier_keys),
        ),
        report_number=shown.report_number,
        headlines=[
            HeadlineOut(label=h.label, value=h.figure.value, marker=h.figure.marker.value)
            for h in shown.headlines
        ],
    )
