"""The API's error answers, one shape each, shared by every route's documentation.

Every 422 has the same body, whether FastAPI found the request malformed or Seen found the
input invalid: a sentence and every problem by field, as the pages' error summaries list them.
`document_problems` rewrites the OpenAPI document so it says exactly this.
"""

from __future__ import annotations

from typing import Any, Final

from pydantic import BaseModel


class Problem(BaseModel):
    detail: str


class FieldProblem(BaseModel):
    field: str
    message: str


class Invalid(BaseModel):
    detail: str
    problems: list[FieldProblem]


Responses = dict[int | str, dict[str, Any]]
DENIED: Final[Responses] = {
    401: {"model": Problem, "description": "No bearer token, or it has lapsed"},
    403: {"model": Problem, "description": "Your role may not use this"},
}
NOT_FOUND: Final[Responses] = {
    404: {"model": Problem, "description": "Not found, or not yours to see: the same answer"},
}
INVALID: Final[Responses] = {
    422: {"model": Invalid, "description": "Not valid: every problem, by field"},
}


def document_problems(document: dict[str, Any]) -> dict[str, Any]:
    """Point every 422 answer in the OpenAPI document at `Invalid` (FastAPI documents its own
    validation error shape, which the app's handler replaces) and drop the unused schemas."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("FieldProblem", FieldProblem.model_json_schema())
    invalid = Invalid.model_json_schema(ref_template="#/components/schemas/{model}")
    invalid.pop("$defs", None)
    schemas.setdefault("Invalid", invalid)
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            answer = operation.get("responses", {}).get("422")
            if answer is not None:
                answer["content"] = {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Invalid"}}
                }
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return document
