"""The portal's cookie session and the headers of its pages, as one ASGI middleware.

- **Session**: the access and refresh tokens the identity issues (``/v1/auth/*`` issues
  the same ones), kept in HttpOnly, SameSite=Lax cookies, Secure unless
  ``PORTAL_COOKIE_SECURE=false``. A page request carrying them gets
  ``Authorization: Bearer <access token>`` added, so ``gateway.access.authorize`` checks
  it against the same matrix as any API call; an expired access token is renewed with the
  refresh token (rotated) on the way. The API (``/v1``) never reads these cookies, so no
  other site can make a browser call the API with them.
- **CSRF**: a random token in its own cookie and in a hidden field of every form; every
  POST must send both, equal (``read_form``). With Secure cookies the names carry the
  ``__Host-`` prefix, which a sibling sub-domain cannot set.
- **Language**: the remembered choice (``portal_lang`` cookie) or the browser's.
- **Headers**: a Content-Security-Policy without ``'unsafe-inline'`` (scripts, styles and
  images from the portal itself only; no framing), ``nosniff``, a same-origin
  Referrer-Policy, and ``no-store`` on pages of a signed-in visitor.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Iterable
from http.cookies import SimpleCookie

from fastapi import Request
from starlette.datastructures import FormData
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.context import new_request_id
from gateway.identity.tokens import TokenInvalid
from gateway.portal.i18n import LANGUAGES, choose_language
from gateway.portal.settings import PortalSettings
from services.common.errors import InvalidInput, Unauthenticated

log = logging.getLogger(__name__)

# Paths that are not the portal's: the API, health and metrics.
API_PREFIXES = ("/v1/", "/health", "/metrics", "/docs", "/redoc", "/openapi.json")
CSRF_FIELD = "csrf"
LANGUAGE_COOKIE = "portal_lang"
LANGUAGE_COOKIE_SECONDS = 365 * 86400
CSRF_TOKEN_BYTES = 32

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
PAGE_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


def is_portal_path(path: str) -> bool:
    return path != "/v1" and not path.startswith(API_PREFIXES)


class CookieNames:
    """The session's cookie names; ``__Host-`` ones when they are Secure."""

    def __init__(self, secure: bool):
        prefix = "__Host-" if secure else ""
        self.secure = secure
        self.access = f"{prefix}portal_access"
        self.refresh = f"{prefix}portal_refresh"
        self.csrf = f"{prefix}portal_csrf"

    def header(self, name: str, value: str, max_age: int, *, http_only: bool = True) -> bytes:
        parts = [f"{name}={value}", "Path=/", f"Max-Age={max_age}", "SameSite=Lax"]
        if http_only:
            parts.append("HttpOnly")
        if self.secure:
            parts.append("Secure")
        return "; ".join(parts).encode("latin-1")

    def session(self, access: str, access_seconds: int, refresh: str,
                refresh_seconds: int) -> list[bytes]:
        return [self.header(self.access, access, access_seconds),
                self.header(self.refresh, refresh, refresh_seconds)]

    def cleared(self) -> list[bytes]:
        return [self.header(self.access, "", 0), self.header(self.refresh, "", 0)]

    def language(self, language: str) -> bytes:
        return self.header(LANGUAGE_COOKIE, language, LANGUAGE_COOKIE_SECONDS)


def _cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: S112 - a malformed cookie header is ignored
                continue
    return {key: morsel.value for key, morsel in jar.items()}


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def _looks_like_csrf(value: str | None) -> bool:
    return bool(value) and 32 <= len(value) <= 64 and value.replace("-", "").replace(
        "_", "").isalnum()


class PortalMiddleware:
    """Session cookies to bearer token, CSRF cookie, language and headers (module doc)."""

    def __init__(self, app: ASGIApp, *, settings: PortalSettings):
        self.app = app
        self.names = CookieNames(settings.cookie_secure)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_portal_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        cookies = _cookies(scope)
        set_cookies: list[bytes] = []
        csrf = cookies.get(self.names.csrf)
        if not _looks_like_csrf(csrf):
            csrf = secrets.token_urlsafe(CSRF_TOKEN_BYTES)
            set_cookies.append(self.names.header(self.names.csrf, csrf, LANGUAGE_COOKIE_SECONDS))
        token = None
        if _header(scope, b"authorization") is None:
            token = await self._session_token(scope, cookies, set_cookies)
            if token is not None:
                scope["headers"] = [*scope["headers"],
                                    (b"authorization", f"Bearer {token}".encode("latin-1"))]
        state = scope.setdefault("state", {})
        state.update(portal_language=choose_language(cookies.get(LANGUAGE_COOKIE),
                                                     _header(scope, b"accept-language")),
                     portal_csrf=csrf, portal_signed_in=token is not None,
                     portal_cookies=self.names)
        signed_in = token is not None

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {key.lower() for key, _ in headers}
                headers += [pair for pair in PAGE_HEADERS if pair[0] not in present]
                if signed_in and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                headers += [(b"set-cookie", value) for value in set_cookies]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _session_token(self, scope: Scope, cookies: dict[str, str],
                             set_cookies: list[bytes]) -> str | None:
        """The access token of the session cookies, renewed if it expired; None (and the
        cookies cleared) when there is no session left."""
        access, refresh = cookies.get(self.names.access), cookies.get(self.names.refresh)
        if not access and not refresh:
            return None
        identity = scope["app"].state.identity
        if access:
            try:
                identity.tokens.verify(access)
                return access
            except TokenInvalid:
                pass
        if refresh:
            from gateway.routes.auth import tokens

            try:
                issued = await identity.run(identity.store.refresh, refresh_token=refresh,
                                            request_id=new_request_id())
            except Unauthenticated:
                log.info("portal session could not be renewed")
            else:
                fresh = tokens(identity, issued)
                set_cookies += self.names.session(fresh.access_token, fresh.expires_in,
                                                  fresh.refresh_token, fresh.refresh_expires_in)
                return fresh.access_token
        set_cookies += self.names.cleared()
        return None


class FormExpired(InvalidInput):
    """A form without this visitor's CSRF token: another site's, or one sent after the
    token changed. Answered 422, as a form that cannot be taken (Rails does the same)."""


async def read_form(request: Request) -> FormData:
    """The posted form, refused unless its CSRF field equals the CSRF cookie."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    expected = request.state.portal_csrf
    if not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise FormExpired("The form has expired; open the page again and resend it.",
                          fields={CSRF_FIELD: "missing or not this visitor's"})
    return form


def cookie_names(request: Request) -> CookieNames:
    return request.state.portal_cookies


def with_cookies(response, values: Iterable[bytes]):
    """``response`` with these Set-Cookie lines added."""
    for value in values:
        response.raw_headers.append((b"set-cookie", value))
    return response


__all__ = ["LANGUAGES", "PortalMiddleware", "cookie_names", "is_portal_path", "read_form",
           "with_cookies"]
