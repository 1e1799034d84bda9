"""Pure ASGI middleware: request ids, HTTP metrics and access lines, and the body size limit."""

from __future__ import annotations

import logging
import time

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway import metrics
from gateway.context import (
    REQUEST_ID_HEADER,
    accept_request_id,
    bind_request_id,
    reset_request_id,
)
from gateway.errors import error_response, internal_error_response

log = logging.getLogger(__name__)
access_log = logging.getLogger("gateway.access")

UNMATCHED_ROUTE = "<unmatched>"
# Probes and scrapes arrive every few seconds; their access lines are debug noise.
_QUIET_ROUTES = frozenset({"/metrics", "/health/live"})


def route_template(scope: Scope) -> str:
    """The route's path template (``/societies/{society_id}``), never the raw path, so a
    metrics label cannot grow with every id a client sends."""
    route = scope.get("route")
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    if isinstance(template, str):
        return template
    # Plain routes (the OpenAPI pages) and requests refused before routing leave no
    # route in the scope; find the template the path would have matched.
    path = scope.get("path", "")
    router = getattr(scope.get("app"), "router", None)
    for candidate in getattr(router, "routes", ()):
        regex = getattr(candidate, "path_regex", None)
        template = getattr(candidate, "path_format", None)
        if regex is not None and isinstance(template, str) and regex.match(path):
            return template
    return UNMATCHED_ROUTE


class RequestContextMiddleware:
    """Gives every request an id, answers unhandled errors, and measures each request.

    The id comes from the client's ``X-Request-ID`` when it is well formed; it is set in a
    context variable (for logs and RPC headers), in ``request.state.request_id``, and on
    the response.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        request_id = accept_request_id(Headers(scope=scope).get(REQUEST_ID_HEADER))
        scope.setdefault("state", {})["request_id"] = request_id
        token = bind_request_id(request_id)
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                message["headers"] = list(message.get("headers", ()))
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("unhandled error")
            if response_started:
                raise
            await internal_error_response()(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            method = scope.get("method", "")
            route = route_template(scope)
            metrics.HTTP_REQUESTS.labels(method, route, str(status)).inc()
            metrics.HTTP_DURATION.labels(method, route).observe(elapsed)
            access_log.log(
                logging.DEBUG if route in _QUIET_ROUTES else logging.INFO,
                "%s %s %d", method, scope.get("path", ""), status,
                extra={"method": method, "route": route, "status": status,
                       "duration_ms": round(elapsed * 1000, 2)},
            )
            reset_request_id(token)


class BodyTooLarge(StarletteHTTPException):
    def __init__(self, limit: int):
        super().__init__(413, f"The request body is larger than {limit} bytes.")
        self.details = {"limit_bytes": limit}


class BodySizeLimitMiddleware:
    """Refuses bodies over ``max_body_bytes`` with 413, declared or streamed.

    A declared ``Content-Length`` over the limit is refused before the app runs; a body
    without one is counted as it streams in and refused at the first chunk past the
    limit, so nothing beyond the limit is ever held.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int):
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        limit = self.max_body_bytes
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send)
            return

        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            # Routes that read the body themselves end up here; FastAPI's own body
            # parsing turns the error into a 413 through the exception handlers.
            if response_started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        too_large = BodyTooLarge(self.max_body_bytes)
        response = error_response(
            413, "payload_too_large", str(too_large.detail), too_large.details,
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)
