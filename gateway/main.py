"""The application factory: routes, error handlers, middleware and the RPC client's lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version

from fastapi import Depends, FastAPI
from starlette.concurrency import run_in_threadpool

from gateway import portal
from gateway.access import Access, access_rules, authorize, check_routes
from gateway.errors import install_error_handlers
from gateway.identity.otp import OtpChannel
from gateway.identity.runtime import Identity
from gateway.middleware import GatewayMiddleware
from gateway.office_reach import OfficeReach
from gateway.openapi import install_openapi
from gateway.public_answers import PublicAnswers
from gateway.routes import (
    admin,
    applications,
    audit,
    auth,
    documents,
    elections,
    elections_accounts,
    elections_counting,
    elections_nominations,
    elections_voters,
    filings,
    filings_assistance,
    filings_audits,
    grievance,
    grievance_hearings,
    health,
    liquidation,
    members,
    metrics,
    notify,
    offices,
    reports,
    societies,
)
from gateway.rpc import RpcClient
from gateway.settings import GatewaySettings, get_settings

log = logging.getLogger(__name__)

# How long start-up waits for the first broker connection before serving anyway.
STARTUP_CONNECT_WAIT_SECONDS = 3.0
# How often old attempt counts and OTP challenges are deleted.
PRUNE_EVERY_SECONDS = 600.0


async def _prune_forever(identity: Identity) -> None:
    while True:
        await asyncio.sleep(PRUNE_EVERY_SECONDS)
        try:
            await run_in_threadpool(identity.store.prune)
        except Exception:  # the next round tries again; serving must not stop for this
            log.exception("pruning old attempt counts failed")

DESCRIPTION = """
HTTP API of the co-operative societies platform. Every answer that is not a success is an
RFC 9457 problem document (`application/problem+json`, schema `Problem`): `type`
(`/problems/<code>`), `title`, `status`, `detail`, `instance`, and the platform's
`error: {"code", "message", "details", "request_id"}`. Send `X-Request-ID` to choose the
request id, and `Idempotency-Key` on writes you may retry. Sign in at `/v1/auth/sign-in`
(or `/v1/auth/otp/*`) and send `Authorization: Bearer <access token>` ("Authorize" on
/docs); who may call which route is in docs/access.md.
"""


def _version() -> str:
    try:
        return version("coop-platform")
    except PackageNotFoundError:
        return "0.0.0"


def create_app(
    settings: GatewaySettings | None = None, *, rpc: RpcClient | None = None,
    otp_channel: OtpChannel | None = None, extra_access: Mapping[str, Access] | None = None,
) -> FastAPI:
    """Build the gateway. ``rpc`` replaces the RPC client built from settings (tests pass
    a fake); the lifespan connects it on start-up and closes it on shutdown.

    ``otp_channel`` replaces the channel the settings name (tests capture codes with it).
    ``extra_access`` gives access rules, by route name, to routes added to the app
    afterwards (test and probe routes); it can never replace a rule of the matrix in
    gateway/rules/, where every production route's rule lives.
    """
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        check_routes(app)  # a route without an access rule: refuse to serve at all
        client = app.state.rpc or RpcClient.from_settings(settings)
        app.state.rpc = client
        if not await client.connect(wait=STARTUP_CONNECT_WAIT_SECONDS):
            log.warning("serving without the broker; calls answer 503 until it is reachable")
        pruning = asyncio.create_task(_prune_forever(app.state.identity))
        try:
            yield
        finally:
            pruning.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pruning
            await client.close()
            documents_http = getattr(app.state, "documents_http", None)
            if documents_http is not None:  # made on the first upload or download
                await documents_http.aclose()
            app.state.identity.close()

    app = FastAPI(
        title="Co-operative platform gateway",
        version=_version(),
        description=DESCRIPTION,
        lifespan=lifespan,
        # FastAPI's OpenTelemetry bridge asks the global tracer, meter and logger providers
        # on every request whether one is configured; the gateway runs no OpenTelemetry SDK
        # and has its own metrics, so it is off.
        telemetry={"tracing": False, "metrics": False, "logs": False},
        # THE access check, on every route, added later ones included (gateway/access.py;
        # the rules are in gateway/rules/).
        dependencies=[Depends(authorize)],
    )
    app.state.settings = settings
    app.state.rpc = rpc
    app.state.access = access_rules(extra_access)
    app.state.identity = Identity(settings, rpc=lambda: app.state.rpc, otp_channel=otp_channel)
    app.state.office_reach = OfficeReach(lambda: app.state.rpc)
    app.state.public_answers = PublicAnswers()

    install_error_handlers(app)
    install_openapi(app)  # the Problem responses, bearer security, examples
    # Request ids, the body limit, metrics and access lines wrap everything, the 413
    # included, in one pass.
    app.add_middleware(
        GatewayMiddleware,
        max_body_bytes=settings.max_body_bytes,
        access_log=settings.access_log,
    )

    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(auth.router)
    app.include_router(admin.router)
    app.include_router(audit.router)
    app.include_router(filings_assistance.router)
    app.include_router(filings_audits.router)
    for domain in (societies, members, offices, applications, liquidation, reports,
                   documents, notify,
                   # the parts first: their fixed paths (/disqualifications) before the
                   # order's /{election_id}
                   elections_voters, elections_nominations, elections_counting,
                   elections_accounts, elections, filings, grievance,
                   grievance_hearings):
        app.include_router(domain.router)
    portal.install(app)  # the web portal's pages (gateway/portal/, docs/portal.md)
    return app
