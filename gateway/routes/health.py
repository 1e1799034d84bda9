"""Health: every service's own report, gathered at once, and the process's liveness."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from gateway.deps import CallContextDep, RpcDep, SettingsDep
from gateway.rpc import (
    BrokerUnavailable,
    RemoteMethodNotFound,
    RemoteServiceError,
    RpcTimeout,
    ServiceUnavailable,
    gather,
)
from services.common.contracts.platform import HealthReportV1
from services.common.errors import PlatformError
from services.common.migrate import revisions

log = logging.getLogger(__name__)

router = APIRouter(tags=["health"])

# Room for the calls' own timeouts to fire before the overall bound does.
_GATHER_MARGIN_SECONDS = 0.5


class ServiceHealthOut(BaseModel):
    ok: bool
    report: dict[str, Any] | None = None
    error: str | None = None


class BrokerHealthOut(BaseModel):
    connected: bool


class DatabaseHealthOut(BaseModel):
    """The gateway's own database (accounts, sessions): reachable and at head."""

    ok: bool
    revision: str | None = None
    head: str | None = None
    error: str | None = None


class HealthOut(BaseModel):
    ok: bool
    services: dict[str, ServiceHealthOut]
    broker: BrokerHealthOut
    database: DatabaseHealthOut | None = None


class LiveOut(BaseModel):
    ok: bool = True


def failure_name(exc: BaseException) -> str:
    """What went wrong with one service's health call, in one word."""
    if isinstance(exc, RpcTimeout):
        return "timeout"
    if isinstance(exc, BrokerUnavailable | ServiceUnavailable):
        return "unavailable"
    if isinstance(exc, RemoteMethodNotFound):
        return "method_not_found"
    if isinstance(exc, RemoteServiceError):
        return "remote_error"
    if isinstance(exc, PlatformError):
        return exc.code
    return "internal"


def service_health(name: str, result: Any) -> ServiceHealthOut:
    if isinstance(result, BaseException):
        return ServiceHealthOut(ok=False, error=failure_name(result))
    try:
        report = HealthReportV1.model_validate(result)
    except ValidationError:
        log.warning("%s answered health with something that is not a HealthReportV1", name)
        return ServiceHealthOut(ok=False, error="invalid_report")
    return ServiceHealthOut(ok=report.ok, report=report.wire())


def summarize(names: Sequence[str], results: Sequence[Any], *, broker_connected: bool,
              database: DatabaseHealthOut | None = None) -> HealthOut:
    """All ok only when the broker is connected, every service reports ok, and the
    gateway's own database (when given) is reachable and at head."""
    services = {name: service_health(name, result) for name, result in zip(names, results,
                                                                           strict=True)}
    ok = (broker_connected and all(service.ok for service in services.values())
          and (database is None or database.ok))
    return HealthOut(ok=ok, services=services, broker=BrokerHealthOut(connected=broker_connected),
                     database=database)


def database_health(engine: Any) -> DatabaseHealthOut:
    """Blocking: run it in the thread pool."""
    try:
        current, head = revisions("gateway", engine)
    except Exception as exc:  # any failure to reach or read the database is "not ok"
        log.warning("the gateway's database is not reachable: %s", type(exc).__name__)
        return DatabaseHealthOut(ok=False, error="unreachable")
    if current != head:
        return DatabaseHealthOut(ok=False, revision=current, head=head, error="not_at_head")
    return DatabaseHealthOut(ok=True, revision=current, head=head)


@router.get(
    "/health",
    name="health",
    response_model=HealthOut,
    summary="Health of the broker and every service",
    responses={503: {"model": HealthOut, "description": "Something is not healthy"}},
)
async def health(
    rpc: RpcDep, settings: SettingsDep, context: CallContextDep, response: Response,
    request: Request,
) -> HealthOut:
    names = list(settings.services)
    timeout = settings.health_timeout
    engine = request.app.state.identity.store.read_engine
    results = await gather(
        run_in_threadpool(database_health, engine),
        *(rpc.call(name, "health", {}, timeout=timeout, context=context) for name in names),
        timeout=timeout + _GATHER_MARGIN_SECONDS,
    )
    database = results[0]
    if not isinstance(database, DatabaseHealthOut):
        database = DatabaseHealthOut(ok=False, error="timeout")
    summary = summarize(names, results[1:], broker_connected=rpc.connected, database=database)
    if not summary.ok:
        response.status_code = 503
    return summary


@router.get("/health/live", name="health.live", response_model=LiveOut,
            summary="The process is running")
async def live() -> LiveOut:
    return LiveOut()
