"""What a running gateway holds for identity: the store, the token issuer, the session
check cache and the OTP channel, built once per application from its settings."""

from __future__ import annotations

import functools
import ipaddress
import logging
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from gateway.identity.otp import LogChannel, NotifyChannel, OtpChannel
from gateway.identity.passwords import Passwords
from gateway.identity.ratelimit import client_address
from gateway.identity.sessions import SessionCheckCache, SessionState
from gateway.identity.store import IdentityStore
from gateway.identity.tokens import KeyRing, TokenIssuer
from gateway.settings import GatewaySettings

log = logging.getLogger(__name__)

T = TypeVar("T")


class Identity:
    def __init__(self, settings: GatewaySettings, *, rpc: Callable[[], Any],
                 otp_channel: OtpChannel | None = None):
        if settings.otp_pepper is not None:
            pepper = settings.otp_pepper.get_secret_value().encode()
        else:  # development only: the settings refuse this in production
            log.warning("GATEWAY_OTP_PEPPER is not set: using an ephemeral pepper; OTP "
                        "challenges die with this process (development only)")
            pepper = secrets.token_bytes(32)
        self.settings = settings
        self.store = IdentityStore(
            settings.resolved_database_url,
            passwords=Passwords(time_cost=settings.argon2_time_cost,
                                memory_kib=settings.argon2_memory_kib,
                                parallelism=settings.argon2_parallelism),
            pepper=pepper, refresh_seconds=settings.refresh_token_seconds,
            session_max_seconds=settings.session_max_seconds, otp_seconds=settings.otp_seconds,
            otp_max_attempts=settings.otp_max_attempts, pool_size=settings.db_pool_size)
        self.tokens = TokenIssuer(
            KeyRing.from_settings(settings), issuer=settings.jwt_issuer,
            audience=settings.jwt_audience, access_seconds=settings.access_token_seconds,
            password_change_seconds=settings.password_change_token_seconds)
        self.sessions = SessionCheckCache(settings.session_check_seconds)
        if otp_channel is None:
            if settings.resolved_otp_channel == "log":
                log.warning("GATEWAY_OTP_CHANNEL=log: one-time codes are written to the log "
                            "(DEVELOPMENT OTP lines) instead of being sent")
                otp_channel = LogChannel()
            else:
                otp_channel = NotifyChannel(rpc, timeout=min(settings.rpc_timeout, 10.0))
        self.otp_channel = otp_channel
        self.trusted_proxies = tuple(ipaddress.ip_network(item, strict=False)
                                     for item in settings.trusted_proxies)

    async def run(self, fn: Callable[..., T], /, **kwargs: Any) -> T:
        """Run a store function in the thread pool (the store is synchronous)."""
        return await run_in_threadpool(functools.partial(fn, **kwargs))

    async def session_state(self, session_id: str) -> SessionState:
        state = self.sessions.get(session_id)
        if state is None:
            state = await self.run(self.store.session_state, session_id=session_id)
            self.sessions.put(session_id, state)
        return state

    def client_address(self, request: Request) -> str:
        peer = request.client.host if request.client else None
        return client_address(peer, request.headers.get("x-forwarded-for"),
                              self.trusted_proxies)

    def close(self) -> None:
        self.store.dispose()
