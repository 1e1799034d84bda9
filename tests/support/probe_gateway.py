"""The real gateway plus HTTP routes to the probe services (tests/support/probe.py).

The app is ``gateway.main.create_app`` exactly as production builds it (middleware, error
handlers, health, metrics, the RPC client and its lifespan); only a router is added:

- ``POST /probe/{suffix}/notes``           body ``{"text"}``, ``Idempotency-Key`` honoured -> 201
- ``GET  /probe/{suffix}/notes/{note_id}``
- ``POST /probe/{suffix}/slow?timeout=S``  body ``{"seconds", "tag"}``: the call's timeout is S
- ``POST /probe/{suffix}/fail``            body ``{"kind", "message", "details"}``
- ``POST /probe/{suffix}/echo``            any JSON object, answered as is

``{suffix}`` picks the probe pair: the routes call ``probesrc<suffix>``. Settings come from
the environment as for the real gateway; set ``GATEWAY_SERVICES`` to the probe names so
``/health`` asks only services that exist. Serve it with ``python -m tests.support.probe_gateway``
(uvicorn on ``GATEWAY_HOST``:``GATEWAY_PORT``, JSON logs on stdout).

The probe routes are public: they test the transport, not access. Their rules reach the app
through ``create_app(extra_access=PROBE_ACCESS)``, the documented way for routes outside the
production matrix. Without ``GATEWAY_DATABASE_URL`` the probe gateway migrates a database of
its own in a temporary directory (the real gateway's database is migrated by its deploy step).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from typing import Any

from fastapi import APIRouter, FastAPI, Query, status
from pydantic import BaseModel, Field

from gateway.access import Access, public
from gateway.deps import CallContextDep, IdempotentCallContextDep, RpcDep
from gateway.main import create_app
from gateway.settings import GatewaySettings, get_settings


class NoteIn(BaseModel):
    # No length rule here on purpose: the service's own InvalidInput must reach the client.
    text: str


class SlowIn(BaseModel):
    seconds: float = Field(ge=0, le=60)
    tag: str = Field(min_length=1, max_length=64)


class FailIn(BaseModel):
    kind: str
    message: str = "refused"
    details: dict[str, Any] = Field(default_factory=dict)


def source_service(suffix: str) -> str:
    return f"probesrc{suffix}"


router = APIRouter(prefix="/probe/{suffix}", tags=["probe"])


@router.post("/notes", name="probe.add_note", status_code=status.HTTP_201_CREATED)
async def add_note(suffix: str, body: NoteIn, rpc: RpcDep,
                   context: IdempotentCallContextDep) -> dict[str, Any]:
    return await rpc.call(source_service(suffix), "add_note", body.model_dump(),
                          context=context)


@router.get("/notes/{note_id}", name="probe.get_note")
async def get_note(suffix: str, note_id: int, rpc: RpcDep,
                   context: CallContextDep) -> dict[str, Any]:
    return await rpc.call(source_service(suffix), "get_note", {"id": note_id}, context=context)


@router.post("/slow", name="probe.slow")
async def slow(suffix: str, body: SlowIn, rpc: RpcDep, context: CallContextDep,
               timeout: float | None = Query(None, gt=0, le=60)) -> dict[str, Any]:
    return await rpc.call(source_service(suffix), "slow", body.model_dump(), timeout=timeout,
                          context=context)


@router.post("/fail", name="probe.fail")
async def fail(suffix: str, body: FailIn, rpc: RpcDep, context: CallContextDep) -> Any:
    return await rpc.call(source_service(suffix), "fail", body.model_dump(), context=context)


@router.post("/echo", name="probe.echo")
async def echo(suffix: str, body: dict[str, Any], rpc: RpcDep, context: CallContextDep) -> Any:
    return await rpc.call(source_service(suffix), "echo", body, context=context)


PROBE_ACCESS: dict[str, Access] = {
    name: public() for name in ("probe.add_note", "probe.get_note", "probe.slow", "probe.fail",
                                "probe.echo")
}


def with_own_database(settings: GatewaySettings) -> GatewaySettings:
    """``settings`` with a freshly migrated throwaway identity database, unless one is set."""
    if settings.database_url:
        return settings
    from services.common.migrate import upgrade

    directory = tempfile.mkdtemp(prefix="probe-gateway-")
    atexit.register(shutil.rmtree, directory, True)
    url = f"sqlite:///{directory}/gateway.db"
    upgrade("gateway", url)
    return settings.model_copy(update={"database_url": url})


def create_probe_app(settings: GatewaySettings | None = None) -> FastAPI:
    app = create_app(with_own_database(settings or get_settings()), extra_access=PROBE_ACCESS)
    app.include_router(router)
    return app


def main() -> None:
    import uvicorn

    from gateway.logging import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level)
    uvicorn.run(
        "tests.support.probe_gateway:create_probe_app", factory=True,
        host=settings.host, port=settings.port, loop="uvloop", http="httptools",
        workers=1, lifespan="on", access_log=False, log_config=None,
        log_level=settings.log_level.lower(), server_header=False,
    )


if __name__ == "__main__":
    main()
