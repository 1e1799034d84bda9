"""The gateway's one pure ASGI middleware: request ids, the body size limit, HTTP metrics and
access lines, in a single pass per request."""

from __future__ import annotations

import logging
import re
import time

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway import metrics
from gateway.context import accept_request_id, bind_request_id, reset_request_id
from gateway.errors import error_response, internal_error_response

log = logging.getLogger(__name__)
access_log = logging.getLogger("gateway.access")

UNMATCHED_ROUTE = "<unmatched>"
# Probes and scrapes arrive every few seconds; their access lines are debug noise.
_QUIET_ROUTES = frozenset({"/metrics", "/health/live"})

# Routes that stream their body instead of reading it whole get their own ceiling (a
# gateway setting) instead of the JSON limit: document uploads (the documents service then
# holds each kind to its own limit), member register CSV imports and the RO's booth file
# of an election. Only these paths, only for writes.
_STREAMED_UPLOADS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^/v1/documents(?:/[0-9a-f]{32}/versions|/verify)?/?$"),
     "documents_max_upload_bytes"),
    (re.compile(r"^/v1/societies/[A-Za-z0-9._-]{1,64}/members/import/?$"),
     "members_max_import_bytes"),
    (re.compile(r"^/v1/elections/[0-9a-f-]{36}/voter-list/booths/file/?$"),
     "elections_max_booth_file_bytes"),
)
_UPLOAD_METHODS = frozenset({"POST", "PUT"})

# ASGI servers hand header names over in lower case.
_REQUEST_ID = b"x-request-id"
_CONTENT_LENGTH = b"content-length"


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


class BodyTooLarge(StarletteHTTPException):
    def __init__(self, limit: int):
        super().__init__(413, f"The request body is larger than {limit} bytes.")
        self.details = {"limit_bytes": limit}


class GatewayMiddleware:
    """Wraps every HTTP request once, outside the app and its exception handlers.

    - **Request id**: the client's ``X-Request-ID`` when it is well formed, else a fresh
      one; set in a context variable (for logs and RPC headers), in
      ``request.state.request_id``, and on the response.
    - **Body size limit**: a declared ``Content-Length`` over ``max_body_bytes`` is refused
      with 413 before the app runs; a body without one is counted as it streams in and
      refused at the first chunk past the limit, so nothing beyond it is ever held.
    - **Unhandled errors** become the 500 error shape when no response has started.
    - **Metrics and access line**: one count and one duration per request by route
      template and status, and one JSON access line (``access_log=False`` turns the
      lines off; metrics stay).

    One middleware instead of one per concern: every layer costs an extra coroutine call
    per request and an extra wrapper on every ``send``.
    """

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, access_log: bool = True):
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = time.perf_counter()
        sent_id: bytes | None = None
        declared: bytes | None = None
        for name, value in scope["headers"]:
            if name == _REQUEST_ID:
                if sent_id is None:
                    sent_id = value
            elif name == _CONTENT_LENGTH and declared is None:
                declared = value
        request_id = accept_request_id(None if sent_id is None else sent_id.decode("latin-1"))
        request_id_header = (_REQUEST_ID, request_id.encode("latin-1"))
        scope.setdefault("state", {})["request_id"] = request_id
        token = bind_request_id(request_id)
        limit = self.body_limit(scope)
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                headers = [
                    header for header in message.get("headers", ()) if header[0] != _REQUEST_ID
                ]
                headers.append(request_id_header)
                message["headers"] = headers
            await send(message)

        too_large = False
        if declared is not None and declared.isdigit():
            # The server never delivers more than a declared length.
            too_large = int(declared) > limit
            app_receive = receive
        else:
            # No usable declared length (chunked, or no body at all): count what arrives.
            received = 0

            async def limited_receive() -> Message:
                nonlocal received
                message = await receive()
                if message["type"] == "http.request":
                    received += len(message.get("body", b""))
                    if received > limit:
                        raise BodyTooLarge(limit)
                return message

            app_receive = limited_receive

        try:
            if too_large:
                await self._refuse(scope, receive, send_with_id, limit)
            else:
                await self.app(scope, app_receive, send_with_id)
        except BodyTooLarge:
            # Routes that read the body themselves end up here; FastAPI's own body
            # parsing turns the error into a 413 through the exception handlers.
            if response_started:
                raise
            await self._refuse(scope, receive, send_with_id, limit)
        except Exception:
            log.exception("unhandled error")
            if response_started:
                raise
            await internal_error_response(scope["path"])(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            method = scope["method"]
            route = route_template(scope)
            metrics.observe_http(method, route, status, elapsed)
            if self.access_log:
                level = logging.DEBUG if route in _QUIET_ROUTES else logging.INFO
                if access_log.isEnabledFor(level):
                    access_log.log(
                        level, "%s %s %d", method, scope["path"], status,
                        extra={"method": method, "route": route, "status": status,
                               "duration_ms": round(elapsed * 1000, 2)},
                    )
            reset_request_id(token)

    def body_limit(self, scope: Scope) -> int:
        """The body limit of this request: a streamed route's own ceiling (from the app's
        settings), ``max_body_bytes`` everywhere else."""
        if scope["method"] in _UPLOAD_METHODS:
            for path, setting in _STREAMED_UPLOADS:
                if path.match(scope["path"]):
                    settings = getattr(getattr(scope.get("app"), "state", None), "settings",
                                       None)
                    return getattr(settings, setting, self.max_body_bytes)
        return self.max_body_bytes

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        too_large = BodyTooLarge(limit)
        response = error_response(
            413, "payload_too_large", str(too_large.detail), too_large.details,
            headers={"Connection": "close"}, instance=scope["path"],
        )
        await response(scope, receive, send)
