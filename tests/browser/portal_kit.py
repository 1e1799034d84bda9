"""The in-process portal's test kit: the gateway app with the portal over a fake RPC
(tests/gateway/unit/conftest.py ``FakeRpc``), its session cookies and what it called."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from tests.gateway.identity_kit import make_kit, make_template, migrated_copy


@asynccontextmanager
async def portal_kit(rpc, tmp_path, monkeypatch, services: Iterable[str]) -> AsyncIterator:
    """The app for the pages of ``services``, running, with plain-HTTP cookies."""
    monkeypatch.setenv("PORTAL_COOKIE_SECURE", "false")
    from gateway.portal.settings import get_portal_settings

    get_portal_settings.cache_clear()
    built = make_kit(migrated_copy(make_template(tmp_path), tmp_path), rpc=rpc,
                     services=tuple(services))
    try:
        async with built.app.router.lifespan_context(built.app):
            yield built
    finally:
        get_portal_settings.cache_clear()


async def signed_in(kit, **grant) -> dict[str, str]:
    """The portal's session cookie of a new account holding ``grant``."""
    tokens = await kit.tokens_for(**grant)
    return {"portal_access": tokens["access_token"]}


def calls(rpc, method: str) -> list:
    return [c for c in rpc.calls if c.method == method]


def csrf(kit) -> str:
    return kit.client.cookies.get("portal_csrf")
