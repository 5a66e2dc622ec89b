"""Every route declares its access rule (docs/web.md), as GOV.UK Notify tests that every
blueprint has authentication: a new route without one fails here."""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute
from starlette.routing import Mount

from seen.web.access import AccessRule
from seen.web.app import PUBLIC_MOUNTS

# FastAPI's own routes: the OpenAPI document, which is public by design.
FRAMEWORK_ROUTES = {"/api/v1/openapi.json"}


def _rules(route: APIRoute) -> list[AccessRule]:
    found = []
    pending = list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        if isinstance(dependency.call, AccessRule):
            found.append(dependency.call)
        pending.extend(dependency.dependencies)
    return found


def all_routes(routes: list[Any]) -> list[Any]:
    """The app's routes, with included routers opened up (FastAPI keeps each included router
    as one entry whose `original_router` holds its routes; ours carry their full paths)."""
    flat = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        flat.extend(all_routes(inner.routes) if inner is not None else [route])
    return flat


def test_every_route_declares_exactly_one_access_rule(app: Any) -> None:
    missing = []
    for route in all_routes(app.routes):
        if isinstance(route, Mount):
            assert route.path in PUBLIC_MOUNTS, f"mount {route.path} is not declared public"
            continue
        if not isinstance(route, APIRoute):
            assert route.path in FRAMEWORK_ROUTES, f"{route.path} is not a declared route"
            continue
        rules = _rules(route)
        if len(rules) != 1:
            missing.append(f"{sorted(route.methods)} {route.path}: {rules}")
    assert not missing, "routes without exactly one access rule:\n" + "\n".join(missing)


def test_api_routes_use_api_rules_and_pages_use_page_rules(app: Any) -> None:
    for route in all_routes(app.routes):
        if isinstance(route, APIRoute):
            (rule,) = _rules(route)
            assert rule.api == route.path.startswith("/api/"), route.path
