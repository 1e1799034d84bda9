"""The application factory: routes, error handlers, middleware and the RPC client's lifespan."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version

from fastapi import FastAPI

from gateway.errors import install_error_handlers
from gateway.middleware import GatewayMiddleware
from gateway.routes import health, metrics
from gateway.rpc import RpcClient
from gateway.settings import GatewaySettings, get_settings

log = logging.getLogger(__name__)

# How long start-up waits for the first broker connection before serving anyway.
STARTUP_CONNECT_WAIT_SECONDS = 3.0

DESCRIPTION = """
HTTP API of the co-operative societies platform. Every answer that is not a success has
the body `{"error": {"code", "message", "details", "request_id"}}`; send `X-Request-ID`
to choose the request id, and `Idempotency-Key` on writes you may retry.
"""


def _version() -> str:
    try:
        return version("coop-platform")
    except PackageNotFoundError:
        return "0.0.0"


def create_app(
    settings: GatewaySettings | None = None, *, rpc: RpcClient | None = None,
) -> FastAPI:
    """Build the gateway. ``rpc`` replaces the RPC client built from settings (tests pass
    a fake); the lifespan connects it on start-up and closes it on shutdown."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        client = app.state.rpc or RpcClient.from_settings(settings)
        app.state.rpc = client
        if not await client.connect(wait=STARTUP_CONNECT_WAIT_SECONDS):
            log.warning("serving without the broker; calls answer 503 until it is reachable")
        try:
            yield
        finally:
            await client.close()

    app = FastAPI(
        title="Co-operative platform gateway",
        version=_version(),
        description=DESCRIPTION,
        lifespan=lifespan,
        # FastAPI's OpenTelemetry bridge asks the global tracer, meter and logger providers
        # on every request whether one is configured; the gateway runs no OpenTelemetry SDK
        # and has its own metrics, so it is off.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.settings = settings
    app.state.rpc = rpc

    install_error_handlers(app)
    # Request ids, the body limit, metrics and access lines wrap everything, the 413
    # included, in one pass.
    app.add_middleware(
        GatewayMiddleware,
        max_body_bytes=settings.max_body_bytes,
        access_log=settings.access_log,
    )

    app.include_router(health.router)
    app.include_router(metrics.router)
    return app
