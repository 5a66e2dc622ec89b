"""The audit log page: the latest signed checkpoint and the log's size now; verify the whole
log now (what `seen audit verify` does); sign a checkpoint (the administrator); and an
entry's inclusion proof, checked here (seen.audit.prove, which the API and CLI call too)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from seen.audit.log import latest_checkpoint, tree_size
from seen.audit.note import NoteVerifier
from seen.audit.prove import (
    EntryProof,
    hub_verifiers,
    show_entry_proof,
    sign_checkpoint,
    verify_hub_log,
)
from seen.audit.verify import VerifyReport
from seen.domain.accounts import AccountRole
from seen.errors import ConfigurationError, NotFound, VerificationFailed
from seen.web.access import ADMINISTRATOR_PAGE, GOVERNANCE_PAGE, Viewer
from seen.web.context import WebContext
from seen.web.templating import Pages

router = APIRouter(include_in_schema=False)


@router.get("/governance/audit")
def audit_page(request: Request, signed: int = 0, viewer: Viewer = GOVERNANCE_PAGE) -> Response:
    notice = f"Checkpoint {signed} has been signed." if signed > 0 else None
    return _render(request, viewer, notice=notice)


@router.post("/governance/audit/verify")
def verify_now(request: Request, viewer: Viewer = GOVERNANCE_PAGE) -> Response:
    context: WebContext = request.app.state.seen
    try:
        report = verify_hub_log(context.store, context.settings)
    except ConfigurationError as error:
        return _render(request, viewer, problem=_sentence(error.message))
    return _render(request, viewer, report=report)


@router.post("/governance/audit/checkpoints")
def checkpoint_now(request: Request, viewer: Viewer = ADMINISTRATOR_PAGE) -> Response:
    context: WebContext = request.app.state.seen
    try:
        stored = sign_checkpoint(context.store, context.settings, context.now())
    except (ConfigurationError, VerificationFailed) as error:
        return _render(request, viewer, problem=_sentence(error.message))
    return RedirectResponse(f"/governance/audit?signed={stored.number}", status_code=303)


@router.get("/governance/audit/proof")
def proof_page(request: Request, entry: str = "", viewer: Viewer = GOVERNANCE_PAGE) -> Response:
    context: WebContext = request.app.state.seen
    text = entry.strip()
    if not text.isdigit():
        message = "Enter the entry number, a whole number from 0"
        return _render(request, viewer, entry=entry, errors=[{"text": message, "href": "#entry"}])
    try:
        proof = show_entry_proof(
            context.store,
            int(text),
            _verifiers(context),
            viewer=viewer.signed_in.username,
            agency=audit_viewer_agency(viewer),
            now=context.now(),
        )
    except (NotFound, VerificationFailed, ConfigurationError) as error:
        errors = [{"text": _sentence(error.message), "href": "#entry"}]
        return _render(request, viewer, entry=entry, errors=errors)
    return _render_proof(request, viewer, proof)


def audit_viewer_agency(viewer: Viewer) -> str | None:
    """The DPO's agency, recorded with their look; None for the administrator."""
    account = viewer.signed_in
    return None if account.role is AccountRole.ADMINISTRATOR else account.agency


def _verifiers(context: WebContext) -> list[NoteVerifier]:
    return hub_verifiers(context.settings, required=False)


def _render(
    request: Request,
    viewer: Viewer,
    *,
    notice: str | None = None,
    problem: str | None = None,
    report: VerifyReport | None = None,
    entry: str = "",
    errors: list[dict[str, str]] | None = None,
) -> HTMLResponse:
    context: WebContext = request.app.state.seen
    pages: Pages = request.app.state.pages
    return pages.render(
        request,
        viewer,
        "governance/audit.html",
        "Audit log",
        status=400 if errors else 200,
        errors=errors or [],
        notice=notice,
        problem=problem,
        report=report,
        entry=entry,
        size=tree_size(context.store),
        checkpoint=latest_checkpoint(context.store),
        may_sign=viewer.signed_in.role is AccountRole.ADMINISTRATOR,
    )


def _render_proof(request: Request, viewer: Viewer, proof: EntryProof) -> HTMLResponse:
    pages: Pages = request.app.state.pages
    return pages.render(
        request,
        viewer,
        "governance/audit_proof.html",
        f"Audit log entry {proof.index}",
        proof=proof,
        entry_json=json.dumps(json.loads(proof.entry), indent=2, ensure_ascii=False),
    )


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
