"""Exception handlers: every failure becomes one HTTP status and one JSON error shape.

The body is always ``{"error": {"code", "message", "details", "request_id"}}``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
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


def error_response(
    status: int,
    code: str,
    message: str,
    details: Mapping[str, Any] | None = None,
    *,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """The one error shape, carrying the id of the request being answered."""
    body = {
        "error": {
            "code": code,
            "message": message,
            "details": dict(details or {}),
            "request_id": current_request_id(),
        },
    }
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


def internal_error_response() -> JSONResponse:
    return error_response(500, "internal", "The gateway failed to answer; quote the request id.")


def unavailable_response(message: str) -> JSONResponse:
    return error_response(
        503, "unavailable", message, headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
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


async def _platform_error(_: Request, exc: Exception) -> JSONResponse:
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
                          headers=headers)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(
        422,
        "invalid_input",
        "The request is not valid; see details.fields.",
        {"fields": validation_fields(exc.errors())},
    )


async def _timeout(_: Request, exc: Exception) -> JSONResponse:
    log.warning("rpc timeout: %s", exc)
    return error_response(504, "timeout", "A service did not answer in time; try again.")


async def _unavailable(_: Request, exc: Exception) -> JSONResponse:
    log.warning("rpc unavailable: %s", exc)
    return unavailable_response("A service the request needs is not reachable; try again later.")


async def _bad_gateway(_: Request, exc: Exception) -> JSONResponse:
    # The remote text stays in the log: it may hold internals a client must not see.
    if isinstance(exc, RemoteServiceError):
        log.error("remote error from %s.%s: %s: %s", exc.service, exc.method, exc.exc_type,
                  exc.value)
        details = {"service": exc.service, "exc_type": exc.exc_type}
    else:
        assert isinstance(exc, RemoteMethodNotFound)
        log.error("remote method not found: %s", exc)
        details = {"service": exc.service, "exc_type": "MethodNotFound"}
    return error_response(502, "bad_gateway", "A service failed to answer the request.", details)


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    details = getattr(exc, "details", None)
    return error_response(exc.status_code, code, message, details, headers=exc.headers)


async def _unhandled(_: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error", exc_info=exc)
    return internal_error_response()


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
