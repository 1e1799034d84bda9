"""The OpenAPI document as the gateway serves it: FastAPI's, with what it cannot know.

- Every operation documents its failures as one schema, ``Problem`` (gateway/errors.py,
  ``application/problem+json``), for each status the gateway answers with
  (``ERROR_STATUSES``) and as the ``default`` response for the rest (405, 5xx). FastAPI's
  own ``HTTPValidationError`` (``{"detail": [...]}``), which the gateway never sends, is
  gone.
- ``securitySchemes`` has the bearer token, and every operation whose access rule
  (gateway/rules/) is not public requires it, so ``/docs`` can sign in ("Authorize").
- The main schemas carry examples (gateway/openapi_examples.py).
- A path, query or header parameter is sent or not, never null: an optional one is
  documented without FastAPI's ``{"type": "null"}`` alternative (a client sending the
  text ``null`` would be refused).
- A time of day is documented as what the gateway sends and takes, ``HH:MM[:SS[.ffffff]]``
  without an offset: JSON Schema's ``format: time`` (RFC 3339 ``full-time``) demands an
  offset the platform's local times (IST, a stage's daily hours) never carry.

Built once per application, on the first request for ``/openapi.json``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from gateway.access import api_routes
from gateway.errors import PROBLEM_MEDIA_TYPE, ErrorInfo, Problem
from gateway.openapi_examples import SCHEMA_EXAMPLES

BEARER = "bearerAuth"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

# What each failure status means on any route; a route's own description is kept.
COMMON_ERRORS = {
    400: "The request cannot be read (e.g. an upload that ended early)",
    404: "No such object, or not one you may see",
    409: "The object is not in a state that allows this",
    413: "The body is over the size limit",
    422: "The request is not valid; `error.details.fields` names each field",
    429: "Too many requests; see `Retry-After`",
    503: "A service the request needs is not reachable; see `Retry-After`",
}
SIGNED_IN_ERRORS = {
    401: "Not signed in, or the token is not valid",
    403: "Your roles or their scope do not allow this",
}
ERROR_STATUSES = sorted({*COMMON_ERRORS, *SIGNED_IN_ERRORS})
DEFAULT_ERROR = "Any other failure (405, 500, 502, 504), as the same problem document"
TIME_OF_DAY = {"type": "string", "format": "partial-time",
               "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"}


def problem_response(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}}}


def _is_own_schema(response: dict[str, Any]) -> bool:
    """A failure status the route documents with a body of its own (``/health``'s 503)."""
    for media in response.get("content", {}).values():
        schema = media.get("schema") or {}
        if schema and "HTTPValidationError" not in schema.get("$ref", ""):
            return True
    return False


def _document_errors(operation: dict[str, Any], signed_in: bool) -> None:
    responses = operation.setdefault("responses", {})
    errors = {**COMMON_ERRORS, **(SIGNED_IN_ERRORS if signed_in else {})}
    for status, description in sorted(errors.items()):
        current = responses.get(str(status), {})
        if _is_own_schema(current):
            continue
        responses[str(status)] = problem_response(current.get("description") or description)
    for status, current in list(responses.items()):
        # Any other failure a route documented by hand gets the one schema too.
        if status.isdigit() and int(status) >= 400 and not _is_own_schema(current):
            responses[status] = problem_response(current.get("description") or status)
    responses["default"] = problem_response(DEFAULT_ERROR)


def _times_of_day(node: Any) -> None:
    """Every ``{"type": "string", "format": "time"}`` in the document as ``TIME_OF_DAY``."""
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "time":
            node.update(TIME_OF_DAY)
        for value in node.values():
            _times_of_day(value)
    elif isinstance(node, list):
        for value in node:
            _times_of_day(value)


def _never_null(parameter: dict[str, Any]) -> None:
    schema = parameter.get("schema") or {}
    options = schema.get("anyOf")
    if not options:
        return
    kept = [option for option in options if option != {"type": "null"}]
    if len(kept) == len(options):
        return
    del schema["anyOf"]
    if len(kept) == 1:
        schema.update({**kept[0], **schema})
    else:
        schema["anyOf"] = kept


def _components(schema: dict[str, Any]) -> dict[str, Any]:
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in problem.pop("$defs", {}).items():
        schemas[name] = definition
    schemas["Problem"] = problem
    schemas.setdefault(ErrorInfo.__name__, ErrorInfo.model_json_schema())
    for name, examples in SCHEMA_EXAMPLES.items():
        if name in schemas:
            schemas[name]["examples"] = examples
    components["securitySchemes"] = {BEARER: {
        "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
        "description": "The access token from `/v1/auth/sign-in` or `/v1/auth/otp/verify`",
    }}
    return schemas


def refine(app: FastAPI, schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error documents, security and examples to FastAPI's document, in place."""
    rules = app.state.access
    who = {}
    for route in api_routes(app):
        rule = rules.get(route.name)
        for method in route.methods or ():
            who[(route.path_format or route.path, method.lower())] = (
                rule.who if rule else "refused")
    _components(schema)
    _times_of_day(schema)
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for parameter in operation.get("parameters", []):
                _never_null(parameter)
            signed_in = who.get((path, method), "refused") != "public"
            _document_errors(operation, signed_in)
            if signed_in:
                operation["security"] = [{BEARER: []}]
    return schema


def install_openapi(app: FastAPI) -> None:
    """Serve the refined document at ``/openapi.json`` (and to ``/docs``)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = refine(app, FastAPI.openapi(app))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
