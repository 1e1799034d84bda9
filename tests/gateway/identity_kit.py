"""Helpers for the gateway's identity tests: cheap settings, a capturing OTP channel, rules
for the test routes other tests add, and a client that makes accounts and signs them in."""

from __future__ import annotations

import ipaddress
import itertools
import os
import random
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from gateway.access import Access, public
from gateway.identity import roles as R
from gateway.identity.store import audit_context
from gateway.main import create_app
from gateway.settings import GatewaySettings
from services.common.migrate import upgrade

# argon2 at its cheapest: the tests check behaviour, not cost.
CHEAP: dict[str, Any] = {
    "argon2_time_cost": 1, "argon2_memory_kib": 64, "argon2_parallelism": 1,
    "session_check_seconds": 0,
    "trusted_proxies": ("127.0.0.1",),
}
PASSWORD = "a long enough passphrase"

# Routes the older gateway tests add to the app for their own checks; public.
TEST_ROUTE_ACCESS: dict[str, Access] = {
    name: public() for name in ("ping", "call", "whoami", "write", "quiet", "own_id", "item",
                                "raise_it", "create", "stream")
}


def migrated_copy(template: Path, directory: Path) -> str:
    target = directory / f"gateway-{uuid.uuid4().hex[:8]}.db"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def make_template(directory: Path) -> Path:
    path = directory / "gateway-template.db"
    upgrade("gateway", f"sqlite:///{path}")
    return path


def settings_for(url: str, **overrides: Any) -> GatewaySettings:
    values = {"services": (), "database_url": url, **CHEAP, **overrides}
    return GatewaySettings(**values)


class CapturingChannel:
    """An OTP channel that keeps what it was asked to send; ``fail`` makes it refuse."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.fail = False

    async def send(self, **message: Any) -> None:
        from gateway.identity.otp import OtpDeliveryFailed

        if self.fail:
            raise OtpDeliveryFailed("test says no")
        self.sent.append(message)

    def code_for(self, challenge_id: str) -> str:
        return next(m["code"] for m in self.sent if m["challenge_id"] == challenge_id)


_counter = itertools.count()


def unique_name(prefix: str = "user") -> str:
    return f"{prefix}-{next(_counter)}-{uuid.uuid4().hex[:6]}"


def random_address() -> str:
    return str(ipaddress.IPv4Address(random.randint(0x0B000000, 0xDF000000)))


@dataclass
class Kit:
    """An app on a migrated database, an HTTP client for it, and shortcuts."""

    app: FastAPI
    client: httpx.AsyncClient
    channel: CapturingChannel
    address: str = field(default_factory=random_address)

    @property
    def store(self):
        return self.app.state.identity.store

    def headers(self, token: str | None = None, address: str | None = None) -> dict[str, str]:
        headers = {"X-Forwarded-For": address or self.address}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def make_account(self, *, role: str | None = None, scope_kind: str | None = None,
                     scope_id: str | None = None, kind: str | None = None,
                     username: str | None = None, password: str = PASSWORD) -> dict[str, Any]:
        """An account made directly in the store (a password it need not change)."""
        if kind is None:
            kind = "society" if role in ("society_representative", "applicant") else "staff"
        ctx = audit_context(request_id="test-" + os.urandom(4).hex(), actor_id="test",
                            actor_role="system")
        account, _ = self.store.create_account(
            kind=kind, username=username or unique_name(role or "user"),
            display_name="Test account", email=None, phone=None, ctx=ctx, password=password,
            must_change=False)
        if role is not None:
            self.store.add_grant(account_id=account["id"], role=role, scope_kind=scope_kind,
                                 scope_id=scope_id, ctx=ctx)
        return account

    async def sign_in(self, username: str, password: str = PASSWORD,
                      address: str | None = None) -> httpx.Response:
        return await self.client.post("/v1/auth/sign-in", json={
            "username": username, "password": password}, headers=self.headers(address=address))

    async def tokens_for(self, *, role: str | None = None, scope_kind: str | None = None,
                         scope_id: str | None = None) -> dict[str, Any]:
        if role == R.CITIZEN:
            return await self.citizen_tokens()
        account = self.make_account(role=role, scope_kind=scope_kind, scope_id=scope_id)
        response = await self.sign_in(account["username"])
        assert response.status_code == 200, response.text
        return {**response.json(), "account": account}

    async def token_for(self, **kwargs: Any) -> str:
        return (await self.tokens_for(**kwargs))["access_token"]

    async def request_otp(self, destination: str, channel: str = "email",
                          address: str | None = None) -> httpx.Response:
        return await self.client.post("/v1/auth/otp/request", json={
            "channel": channel, "destination": destination}, headers=self.headers(
                address=address))

    async def citizen_tokens(self, destination: str | None = None) -> dict[str, Any]:
        destination = destination or f"{unique_name('c')}@example.in"
        response = await self.request_otp(destination)
        assert response.status_code == 202, response.text
        challenge = response.json()["challenge_id"]
        verified = await self.client.post("/v1/auth/otp/verify", json={
            "challenge_id": challenge, "code": self.channel.code_for(challenge)},
            headers=self.headers())
        assert verified.status_code == 200, verified.text
        return verified.json()


def make_kit(url: str, *, rpc: Any = None, extra_access: dict[str, Access] | None = None,
             **overrides: Any) -> Kit:
    channel = CapturingChannel()
    app = create_app(settings_for(url, **overrides), rpc=rpc, otp_channel=channel,
                     extra_access=extra_access)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw")
    return Kit(app, client, channel)
