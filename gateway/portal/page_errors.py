"""Errors on a portal page answer as pages, with the status the API would give: not
signed in is 401 with the sign-in page itself (which brings the visitor back after), a
refusal or a missing object is a page in the visitor's language, a service that did not
answer is a "try again" page. The API's routes keep the JSON error
body: each handler the gateway installed is wrapped, and only portal routes are diverted."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from gateway.portal.links import safe_next
from gateway.portal.rendering import render
from gateway.portal.session import FormExpired, with_cookies
from gateway.rpc import BrokerUnavailable, RpcTimeout, ServiceUnavailable
from services.common.errors import Forbidden, NotFound, PlatformError, Unauthenticated

log = logging.getLogger(__name__)

PORTAL_ROUTE_PREFIX = "portal."


def _is_portal_request(request: Request) -> bool:
    """A portal page's request. A path no route matched keeps the gateway's JSON answer
    (every unknown path answers the error shape, docs/gateway.md)."""
    route = request.scope.get("route")
    return (getattr(route, "name", "") or "").startswith(PORTAL_ROUTE_PREFIX) and hasattr(
        request.state, "portal_language")


def error_page(request: Request, exc: Exception):
    if isinstance(exc, Unauthenticated):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        response = render(request, "sign_in.html", status_code=401,
                          headers={"WWW-Authenticate": 'Bearer realm="portal"'},
                          destination="", username="", errors={}, next=safe_next(target),
                          asked_to_sign_in=True)
        if request.state.portal_signed_in:  # the cookies' session has ended
            with_cookies(response, request.state.portal_cookies.cleared())
        return response
    if isinstance(exc, FormExpired):
        return render(request, "error.html", status_code=422, kind="csrf")
    if isinstance(exc, NotFound):
        return render(request, "error.html", status_code=404, kind="not_found")
    if isinstance(exc, Forbidden):
        return render(request, "error.html", status_code=403, kind="forbidden")
    if isinstance(exc, RpcTimeout | BrokerUnavailable | ServiceUnavailable):
        return render(request, "error.html", status_code=503, kind="unavailable")
    if isinstance(exc, RequestValidationError):  # a path or query the page cannot take
        return render(request, "error.html", status_code=422, kind="invalid")
    if isinstance(exc, StarletteHTTPException):
        return render(request, "error.html", status_code=exc.status_code,
                      kind="not_found" if exc.status_code == 404 else "invalid")
    if isinstance(exc, PlatformError):
        return render(request, "error.html", status_code=400, kind="invalid")
    log.error("portal page failed", exc_info=exc)
    return render(request, "error.html", status_code=500, kind="unavailable")


class PortalRoute(APIRoute):
    """A portal page's route: an error no handler knows (a bug) answers as the portal's
    500 page here, because the gateway's middleware would otherwise answer it as JSON
    before any exception handler saw it. Known errors go on to their handlers."""

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def handle(request: Request):
            try:
                await _count_unread(request, self.name)
                return await handler(request)
            except Exception as exc:
                known = tuple(cls for cls in request.app.exception_handlers
                              if isinstance(cls, type) and cls is not Exception)
                if isinstance(exc, known) or not hasattr(request.state, "portal_language"):
                    raise
                return error_page(request, exc)
        return handle


async def _count_unread(request: Request, name: str) -> None:
    """The menu's unread count for a signed-in visitor's page (gateway/portal/mailbox.py);
    the mailbox's own pages count after what they change, and answers that only redirect
    count nothing."""
    from gateway.portal import mailbox

    if (name not in mailbox.NOT_COUNTED
            and getattr(request.state, "portal_signed_in", False)):
        request.state.portal_mailbox = await mailbox.unread_badge(request)


def install_page_errors(app: FastAPI) -> None:
    """Wrap every exception handler installed so far (gateway.errors)."""
    for exc_class, handler in list(app.exception_handlers.items()):
        app.exception_handlers[exc_class] = _diverting(handler)


def _diverting(handler):
    async def handle(request: Request, exc: Exception):
        if _is_portal_request(request):
            return error_page(request, exc)
        return await handler(request, exc)
    return handle
