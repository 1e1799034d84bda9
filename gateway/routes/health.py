"""Health: every service's own report, gathered at once, and the process's liveness."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, ValidationError

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


class HealthOut(BaseModel):
    ok: bool
    services: dict[str, ServiceHealthOut]
    broker: BrokerHealthOut


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


def summarize(names: Sequence[str], results: Sequence[Any], *, broker_connected: bool) -> HealthOut:
    """All ok only when the broker is connected and every service reports ok."""
    services = {name: service_health(name, result) for name, result in zip(names, results,
                                                                           strict=True)}
    ok = broker_connected and all(service.ok for service in services.values())
    return HealthOut(ok=ok, services=services, broker=BrokerHealthOut(connected=broker_connected))


@router.get(
    "/health",
    response_model=HealthOut,
    summary="Health of the broker and every service",
    responses={503: {"model": HealthOut, "description": "Something is not healthy"}},
)
async def health(
    rpc: RpcDep, settings: SettingsDep, context: CallContextDep, response: Response,
) -> HealthOut:
    names = list(settings.services)
    timeout = settings.health_timeout
    results = await gather(
        *(rpc.call(name, "health", {}, timeout=timeout, context=context) for name in names),
        timeout=timeout + _GATHER_MARGIN_SECONDS,
    )
    summary = summarize(names, results, broker_connected=rpc.connected)
    if not summary.ok:
        response.status_code = 503
    return summary


@router.get("/health/live", response_model=LiveOut, summary="The process is running")
async def live() -> LiveOut:
    return LiveOut()
