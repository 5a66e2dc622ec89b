"""Sharing decisions: may this principal see this record, for this purpose, now?
(docs/policy.md). Cedar decides, over a World of agencies, practitioners, children, records,
agreements and the young people's wishes."""

from seen.policy.engine import Decision, PolicyEngine, PolicyError
from seen.policy.world import (
    AccessRequest,
    World,
    load_request,
    load_world,
    request_from_json,
    world_from_json,
)

__all__ = [
    "AccessRequest",
    "Decision",
    "PolicyEngine",
    "PolicyError",
    "World",
    "load_request",
    "load_world",
    "request_from_json",
    "world_from_json",
]
