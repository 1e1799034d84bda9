"""Request ids in and out, the Idempotency-Key header, and the log lines that carry both."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi import APIRouter, FastAPI, Request, Response
from pydantic import BaseModel

from gateway.context import CallContext, accept_request_id, current_request_id
from gateway.deps import CallContextDep, IdempotentCallContextDep, RpcDep
from gateway.logging import RequestIdFilter, json_formatter

pytestmark = pytest.mark.anyio


class Seen(BaseModel):
    state: str
    contextvar: str | None
    call_context: str
    idempotency_key: str | None = None


class WriteIn(BaseModel):
    amount: int


class WriteOut(BaseModel):
    stored: dict


@pytest.fixture
def app(make_app) -> FastAPI:
    app = make_app()
    router = APIRouter(prefix="/t")

    @router.get("/whoami", response_model=Seen)
    async def whoami(request: Request, context: CallContextDep) -> Seen:
        logging.getLogger("gateway.test").info("inside the route")
        return Seen(
            state=request.state.request_id,
            contextvar=current_request_id(),
            call_context=context.request_id,
        )

    @router.post("/writes", response_model=WriteOut)
    async def write(body: WriteIn, rpc: RpcDep, context: IdempotentCallContextDep) -> WriteOut:
        stored = await rpc.call("alpha", "record_write", body.model_dump(), context=context)
        return WriteOut(stored=stored)

    app.include_router(router)
    return app


async def test_a_well_formed_client_id_is_kept_everywhere(app, client_for):
    async with client_for(app) as client:
        response = await client.get("/t/whoami", headers={"X-Request-ID": "client-req.0001_A"})
    assert response.headers["X-Request-ID"] == "client-req.0001_A"
    assert response.json() == {
        "state": "client-req.0001_A",
        "contextvar": "client-req.0001_A",
        "call_context": "client-req.0001_A",
        "idempotency_key": None,
    }


@pytest.mark.parametrize(
    "sent", ["short", "has space in it", "x" * 65, "semi;colon-000", "ünïcode-12345"],
)
async def test_a_malformed_client_id_is_replaced(app, client_for, sent):
    async with client_for(app) as client:
        response = await client.get("/t/whoami", headers={"X-Request-ID": sent.encode()})
    returned = response.headers["X-Request-ID"]
    assert returned != sent
    assert len(returned) == 32 and int(returned, 16) >= 0
    assert response.json()["state"] == returned


async def test_each_request_without_an_id_gets_a_fresh_one(app, client_for):
    async with client_for(app) as client:
        first = await client.get("/t/whoami")
        second = await client.get("/t/whoami")
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
    assert current_request_id() is None  # nothing leaks out of the request


def test_accept_request_id_bounds():
    assert accept_request_id("a" * 8) == "a" * 8
    assert accept_request_id("a" * 64) == "a" * 64
    assert accept_request_id("a" * 7) != "a" * 7
    assert accept_request_id(None)


async def test_idempotency_key_reaches_the_call_context(app, client_for, fake_rpc):
    fake_rpc.on("alpha", "record_write", lambda payload: {"amount": payload["amount"]})
    async with client_for(app) as client:
        response = await client.post(
            "/t/writes", json={"amount": 5},
            headers={"Idempotency-Key": "order:42.retry-1_x", "X-Request-ID": "req-0000-0001"},
        )
    assert response.status_code == 200
    assert response.json() == {"stored": {"amount": 5}}
    (call,) = fake_rpc.calls
    assert call.context == CallContext(
        request_id="req-0000-0001", idempotency_key="order:42.retry-1_x",
        # a public route still names its actor: anonymous, matching no object's scope
        actor_id="anonymous", actor_role="anonymous", actor_scope="public",
    )


async def test_no_idempotency_key_is_fine(app, client_for, fake_rpc):
    fake_rpc.on("alpha", "record_write", lambda payload: payload)
    async with client_for(app) as client:
        response = await client.post("/t/writes", json={"amount": 1})
    assert response.status_code == 200
    assert fake_rpc.calls[0].context.idempotency_key is None


@pytest.mark.parametrize("key", ["", "x" * 129, "has space", "slash/no", "ümlaut"])
async def test_a_malformed_idempotency_key_is_422(app, client_for, fake_rpc, key):
    fake_rpc.on("alpha", "record_write", lambda payload: payload)
    async with client_for(app) as client:
        response = await client.post(
            "/t/writes", json={"amount": 1}, headers={"Idempotency-Key": key.encode()},
        )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert "header.Idempotency-Key" in error["details"]["fields"]
    assert fake_rpc.calls == []


async def test_128_character_key_is_accepted(app, client_for, fake_rpc):
    fake_rpc.on("alpha", "record_write", lambda payload: payload)
    async with client_for(app) as client:
        response = await client.post(
            "/t/writes", json={"amount": 1}, headers={"Idempotency-Key": "k" * 128},
        )
    assert response.status_code == 200


def test_call_context_headers_leave_out_empty_values():
    anonymous = CallContext(request_id="r-12345678")
    assert anonymous.anonymous
    assert anonymous.headers() == {"nameko.request_id": "r-12345678"}
    known = anonymous.with_actor(actor_id="u1", actor_role="registrar", actor_scope="society:7")
    assert known.with_idempotency_key("k1").headers() == {
        "nameko.request_id": "r-12345678",
        "nameko.actor_id": "u1",
        "nameko.actor_role": "registrar",
        "nameko.actor_scope": "society:7",
        "nameko.idempotency_key": "k1",
    }


async def test_log_lines_carry_the_request_id(app, client_for):
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("gateway")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        async with client_for(app) as client:
            await client.get("/t/whoami", headers={"X-Request-ID": "log-test-0001"})
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)

    inside = [r for r in records if r.getMessage() == "inside the route"]
    access = [r for r in records if r.name == "gateway.access"]
    assert inside and inside[0].request_id == "log-test-0001"
    assert access and access[0].request_id == "log-test-0001"
    assert access[0].route == "/t/whoami" and access[0].status == 200

    line = json.loads(json_formatter().format(inside[0]))
    assert line["request_id"] == "log-test-0001"
    assert line["service"] == "gateway"
    assert line["level"] == "INFO"
    assert line["logger"] == "gateway.test"
    assert line["message"] == "inside the route"
    assert "timestamp" in line


class _Keep(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def _access_records(app: FastAPI, client_for, path: str) -> list[logging.LogRecord]:
    handler = _Keep()
    logger = logging.getLogger("gateway.access")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        async with client_for(app) as client:
            assert (await client.get(path)).status_code == 200
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    return [r for r in handler.records if r.name == "gateway.access"]


async def test_access_lines_can_be_turned_off_and_metrics_stay(make_app, client_for):
    from gateway.metrics import REGISTRY

    labels = {"method": "GET", "route": "/t/quiet-{n}", "status": "200"}

    def add_route(app: FastAPI) -> FastAPI:
        @app.get("/t/quiet-{n}", response_model=dict[str, str])
        async def quiet(n: str) -> dict[str, str]:
            return {"n": n}
        return app

    before = REGISTRY.get_sample_value("gateway_http_requests_total", labels) or 0.0
    quiet_app = add_route(make_app(access_log=False))
    assert await _access_records(quiet_app, client_for, "/t/quiet-1") == []
    assert REGISTRY.get_sample_value("gateway_http_requests_total", labels) == before + 1

    (line,) = await _access_records(add_route(make_app()), client_for, "/t/quiet-2")
    assert (line.route, line.status, line.method) == ("/t/quiet-{n}", 200, "GET")
    assert REGISTRY.get_sample_value("gateway_http_requests_total", labels) == before + 2


async def test_the_response_carries_exactly_one_request_id(make_app, client_for):
    app = make_app()

    @app.get("/t/own-id", response_model=dict[str, bool])
    async def own_id(response: Response) -> dict[str, bool]:
        response.headers["X-Request-ID"] = "set-by-the-route"
        return {"ok": True}

    async with client_for(app) as client:
        response = await client.get("/t/own-id", headers={"X-Request-ID": "the-request-0001"})
    assert response.headers.get_list("X-Request-ID") == ["the-request-0001"]
