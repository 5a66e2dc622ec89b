"""The analyst's clerical review queue: the latest link run's uncertain pairs, each explained
comparison by comparison without plaintext (the hub has none), and a decision with a reason
that every later link run honours (seen.clerical_review, which the CLI and API use too)."""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from seen.clerical_review import REASON_LENGTH, decide, explain, prior_weight
from seen.errors import InvalidInput, NotFound
from seen.store.linkage import open_review_pairs
from seen.web.access import ANALYST_PAGE, Viewer
from seen.web.context import WebContext
from seen.web.forms import PostedForm
from seen.web.templating import Pages

router = APIRouter(include_in_schema=False)

SHOWN: Final = 20


@router.get("/linkage/review")
def queue_page(request: Request, decided: str = "", viewer: Viewer = ANALYST_PAGE) -> Response:
    notice = f"Your decision on pair {decided} has been recorded." if decided else None
    return _render(request, viewer, notice=notice)


@router.post("/linkage/review/{pair_id}")
def decide_pair(
    request: Request, pair_id: str, *, viewer: Viewer = ANALYST_PAGE, form: PostedForm
) -> Response:
    context: WebContext = request.app.state.seen
    decision, reason = str(form.get("decision", "")), str(form.get("reason", ""))
    try:
        pair = decide(
            context.store,
            pair_id,
            decision,
            reviewer=viewer.signed_in.username,
            reason=reason,
            now=context.now(),
            reason_required=True,
        )
    except NotFound:
        raise HTTPException(404) from None
    except InvalidInput as error:
        errors = [
            {"text": problem.message, "href": f"#{problem.field}-{pair_id}"}
            for problem in error.problems
        ]
        return _render(
            request, viewer, errors=errors, failed=pair_id, decision=decision, reason=reason
        )
    return RedirectResponse(f"/linkage/review?decided={pair.pair_id}", status_code=303)


def _render(
    request: Request,
    viewer: Viewer,
    *,
    notice: str | None = None,
    errors: list[dict[str, str]] | None = None,
    failed: str = "",
    decision: str = "",
    reason: str = "",
) -> HTMLResponse:
    context: WebContext = request.app.state.seen
    pages: Pages = request.app.state.pages
    queue = open_review_pairs(context.store, limit=SHOWN)
    pairs: list[dict[str, Any]] = []
    if queue is not None:
        for pair in queue.pairs:
            mine = pair.pair_id == failed
            pairs.append(
                {
                    "pair": pair,
                    "prior": prior_weight(pair, queue.model),
                    "comparisons": explain(pair, queue.model),
                    "decision": decision if mine else "",
                    "reason": reason if mine else "",
                    "errors": {
                        e["href"].removeprefix("#").rsplit("-", 2)[0]: e["text"]
                        for e in (errors or [])
                    }
                    if mine
                    else {},
                }
            )
    return pages.render(
        request,
        viewer,
        "linkage/review.html",
        "Linkage review",
        column="full",
        status=400 if errors else 200,
        errors=errors or [],
        notice=notice,
        queue=queue,
        pairs=pairs,
        reason_length=REASON_LENGTH,
    )
