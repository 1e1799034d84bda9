"""Exception handlers: every failure becomes one HTTP status and one error document.

The body is an RFC 9457 problem document (``application/problem+json``): ``type``
(``/problems/<code>``), ``title``, ``status``, ``detail`` and ``instance`` (the request
path), with the platform's own ``error`` member (``{"code", "message", "details",
"request_id"}``) as its extension. ``Problem`` is the model the OpenAPI documents.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from gateway.context import current_request_id
from gateway.rpc import (
    BrokerUnavailable,
    RemoteMethodNotFound,
    RemoteServiceError,
    RpcTimeout,
    ServiceUnavailable,
)
from services.common.errors import PlatformError, RateLimited, Unauthenticated

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "too_many_requests",
}


PROBLEM_MEDIA_TYPE = "application/problem+json"
# Where each code's problem type is described (docs/gateway.md, "Errors"); relative, so
# it resolves against whichever host serves the API.
PROBLEM_TYPE_PREFIX = "/problems/"

# A short summary per code, the same for every occurrence (RFC 9457 §3.1.3).
_TITLES = {
    "bad_request": "Bad request",
    "unauthenticated": "Not signed in",
    "forbidden": "Not allowed",
    "password_change_required": "Password change required",
    "not_found": "Not found",
    "method_not_allowed": "Method not allowed",
    "not_acceptable": "Not acceptable",
    "conflict": "Conflict",
    "outside_window": "Outside the window",
    "payload_too_large": "Payload too large",
    "unsupported_media_type": "Unsupported media type",
    "invalid_input": "Invalid input",
    "rate_limited": "Too many attempts",
    "too_many_requests": "Too many requests",
    "internal": "Internal error",
    "bad_gateway": "Bad gateway",
    "unavailable": "Service unavailable",
    "timeout": "Gateway timeout",
}


class ErrorInfo(BaseModel):
    """The platform's error member, what clients read."""

    code: str = Field(description="stable machine-readable code, e.g. `not_found`")
    message: str = Field(description="a sentence for people")
    details: dict[str, Any] = Field(
        description="code-specific facts, e.g. `fields` (field -> reason) for "
                    "`invalid_input`, `retry_after_seconds` for `rate_limited`")
    request_id: str | None = Field(description="quote it when asking about this answer")


class Problem(BaseModel):
    """Every answer that is not a success (RFC 9457 problem details)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "type": "/problems/not_found", "title": "Not found", "status": 404,
        "detail": "No such society.", "instance": "/v1/societies/MH-2021-000042",
        "error": {"code": "not_found", "message": "No such society.",
                  "details": {"society_id": "MH-2021-000042"},
                  "request_id": "4f1c2b7a9e0d4c36b1a8f2e5d7c90b13"}}]})

    type: str = Field(description="`/problems/<code>`, the same URI for the same code")
    title: str = Field(description="a short summary of the code")
    status: int = Field(ge=400, le=599, description="the HTTP status")
    detail: str = Field(description="this occurrence, for people (= `error.message`)")
    instance: str | None = Field(None, description="the path that was asked")
    error: ErrorInfo


def problem_title(code: str) -> str:
    return _TITLES.get(code) or code.replace("_", " ").capitalize()


def problem_body(status: int, code: str, message: str,
                 details: Mapping[str, Any] | None = None,
                 instance: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_PREFIX + code,
        "title": problem_title(code),
        "status": status,
        "detail": message,
        "error": {
            "code": code,
            "message": message,
            "details": dict(details or {}),
            "request_id": current_request_id(),
        },
    }
    if instance is not None:
        body["instance"] = instance
    return body


def error_response(
    status: int,
    code: str,
    message: str,
    details: Mapping[str, Any] | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    instance: str | None = None,
) -> JSONResponse:
    """The one error document, carrying the id of the request being answered and, as
    ``instance``, the path that was asked."""
    return JSONResponse(problem_body(status, code, message, details, instance),
                        status_code=status, headers=dict(headers or {}),
                        media_type=PROBLEM_MEDIA_TYPE)


def internal_error_response(instance: str | None = None) -> JSONResponse:
    return error_response(500, "internal", "The gateway failed to answer; quote the request id.",
                          instance=instance)


def unavailable_response(message: str, instance: str | None = None) -> JSONResponse:
    return error_response(
        503, "unavailable", message, headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        instance=instance,
    )


def field_path(loc: Sequence[str | int]) -> str:
    """``("body", "members", 0, "name")`` -> ``"members.0.name"``; other places keep
    their prefix (``"query.limit"``, ``"header.Idempotency-Key"``)."""
    parts = [str(part) for part in loc]
    if parts and parts[0] == "body" and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts) or "body"


def validation_fields(errors: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in errors:
        path = field_path(error.get("loc", ()))
        reason = str(error.get("msg", "invalid"))
        fields[path] = f"{fields[path]}; {reason}" if path in fields else reason
    return fields


async def _platform_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PlatformError)
    data = exc.to_dict()
    headers: dict[str, str] = {}
    if isinstance(exc, Unauthenticated):
        headers["WWW-Authenticate"] = 'Bearer realm="coop-platform"'
    elif isinstance(exc, RateLimited):
        seconds = exc.details.get("retry_after_seconds")
        if isinstance(seconds, int | float) and seconds > 0:
            headers["Retry-After"] = str(int(seconds))
    return error_response(exc.http_status, data["code"], data["message"], data["details"],
                          headers=headers, instance=request.url.path)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(
        422,
        "invalid_input",
        "The request is not valid; see details.fields.",
        {"fields": validation_fields(exc.errors())},
        instance=request.url.path,
    )


async def _timeout(request: Request, exc: Exception) -> JSONResponse:
    log.warning("rpc timeout: %s", exc)
    return error_response(504, "timeout", "A service did not answer in time; try again.",
                          instance=request.url.path)


async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.warning("rpc unavailable: %s", exc)
    return unavailable_response("A service the request needs is not reachable; try again later.",
                                instance=request.url.path)


async def _bad_gateway(request: Request, exc: Exception) -> JSONResponse:
    # The remote text stays in the log: it may hold internals a client must not see.
    if isinstance(exc, RemoteServiceError):
        log.error("remote error from %s.%s: %s: %s", exc.service, exc.method, exc.exc_type,
                  exc.value)
        details = {"service": exc.service, "exc_type": exc.exc_type}
    else:
        assert isinstance(exc, RemoteMethodNotFound)
        log.error("remote method not found: %s", exc)
        details = {"service": exc.service, "exc_type": "MethodNotFound"}
    return error_response(502, "bad_gateway", "A service failed to answer the request.", details,
                          instance=request.url.path)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    details = getattr(exc, "details", None)
    return error_response(exc.status_code, code, message, details, headers=exc.headers,
                          instance=request.url.path)


async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error", exc_info=exc)
    return internal_error_response(request.url.path)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(PlatformError, _platform_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(RpcTimeout, _timeout)
    app.add_exception_handler(BrokerUnavailable, _unavailable)
    app.add_exception_handler(ServiceUnavailable, _unavailable)
    app.add_exception_handler(RemoteMethodNotFound, _bad_gateway)
    app.add_exception_handler(RemoteServiceError, _bad_gateway)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unhandled)
