"""Every failure becomes one status and the one error shape."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import APIRouter, FastAPI, Request
from pydantic import BaseModel, Field

from gateway.deps import CallContextDep, RpcDep
from gateway.errors import field_path, validation_fields
from gateway.rpc import (
    BrokerUnavailable,
    RemoteMethodNotFound,
    RemoteServiceError,
    RpcTimeout,
    ServiceUnavailable,
)
from services.common.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    OutsideWindow,
    Unauthenticated,
)

pytestmark = pytest.mark.anyio


class MemberIn(BaseModel):
    name: str = Field(min_length=1)
    share_count: int = Field(ge=0)


class SocietyIn(BaseModel):
    title: str
    members: list[MemberIn]


class SocietyOut(BaseModel):
    title: str
    member_count: int


RAISED: dict[str, Exception] = {
    "not_found": NotFound("No such society.", {"society_id": "s-1"}),
    "invalid_input": InvalidInput("Bad title.", fields={"title": "too short"}),
    "unauthenticated": Unauthenticated("Sign in first."),
    "forbidden": Forbidden("Not your society."),
    "conflict": Conflict("Already registered."),
    "outside_window": OutsideWindow("Nominations are closed.", {"opens_at": "2026-01-01"}),
    "timeout": RpcTimeout("registry", "get_society", 2.0),
    "broker": BrokerUnavailable("not connected"),
    "service": ServiceUnavailable("registry"),
    "method": RemoteMethodNotFound("registry", "get_society"),
    "remote": RemoteServiceError("registry", "get_society", "KeyError", "secret internals"),
    "bug": RuntimeError("a bug with private text"),
}


def add_test_routes(app: FastAPI) -> None:
    router = APIRouter(prefix="/t")

    @router.get("/raise/{kind}", response_model=SocietyOut)
    async def raise_it(kind: str) -> SocietyOut:
        raise RAISED[kind]

    @router.post("/societies", response_model=SocietyOut)
    async def create(body: SocietyIn, rpc: RpcDep, context: CallContextDep) -> SocietyOut:
        await rpc.call("alpha", "register_society", body.model_dump(), context=context)
        return SocietyOut(title=body.title, member_count=len(body.members))

    @router.post("/stream", response_model=dict[str, int])
    async def stream(request: Request) -> dict[str, int]:
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
        return {"size": size}

    app.include_router(router)


@pytest.fixture
def app(make_app) -> FastAPI:
    app = make_app()
    add_test_routes(app)
    return app


def assert_error_shape(body: dict[str, Any], code: str, request_id: str) -> None:
    assert set(body) == {"type", "title", "status", "detail", "instance", "error"}
    assert body["type"] == f"/problems/{code}"
    assert isinstance(body["title"], str) and body["title"]
    error = body["error"]
    assert body["detail"] == error["message"]
    assert set(error) == {"code", "message", "details", "request_id"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], dict)
    assert error["request_id"] == request_id


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        ("not_found", 404, "not_found"),
        ("invalid_input", 422, "invalid_input"),
        ("unauthenticated", 401, "unauthenticated"),
        ("forbidden", 403, "forbidden"),
        ("conflict", 409, "conflict"),
        ("outside_window", 409, "outside_window"),
        ("timeout", 504, "timeout"),
        ("broker", 503, "unavailable"),
        ("service", 503, "unavailable"),
        ("method", 502, "bad_gateway"),
        ("remote", 502, "bad_gateway"),
        ("bug", 500, "internal"),
    ],
)
async def test_each_error_maps_to_its_status_and_shape(app, client_for, kind, status, code):
    async with client_for(app) as client:
        response = await client.get(f"/t/raise/{kind}")
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    request_id = response.headers["X-Request-ID"]
    assert_error_shape(response.json(), code, request_id)
    assert response.json()["status"] == status
    assert response.json()["instance"] == f"/t/raise/{kind}"
    if status == 503:
        assert response.headers["Retry-After"] == "5"


async def test_typed_error_keeps_message_and_details(app, client_for):
    async with client_for(app) as client:
        not_found = (await client.get("/t/raise/not_found")).json()["error"]
        invalid = (await client.get("/t/raise/invalid_input")).json()["error"]
        window = (await client.get("/t/raise/outside_window")).json()["error"]
    assert not_found["message"] == "No such society."
    assert not_found["details"] == {"society_id": "s-1"}
    assert invalid["details"] == {"fields": {"title": "too short"}}
    assert window["details"] == {"opens_at": "2026-01-01"}


async def test_remote_text_does_not_reach_the_client(app, client_for):
    async with client_for(app) as client:
        remote = await client.get("/t/raise/remote")
        bug = await client.get("/t/raise/bug")
    assert "secret internals" not in remote.text
    assert remote.json()["error"]["details"] == {"service": "registry", "exc_type": "KeyError"}
    assert "private text" not in bug.text


async def test_rpc_error_from_a_route_call_is_mapped(app, client_for, fake_rpc):
    def refuse(payload):
        raise Conflict("Title taken.", {"title": payload["title"]})

    fake_rpc.on("alpha", "register_society", refuse)
    async with client_for(app) as client:
        response = await client.post("/t/societies", json={"title": "Milk", "members": []})
    assert response.status_code == 409
    assert response.json()["error"]["details"] == {"title": "Milk"}


async def test_validation_error_lists_every_bad_field(app, client_for):
    body = {"members": [{"name": "", "share_count": 2}, {"name": "Asha", "share_count": -1}]}
    async with client_for(app) as client:
        response = await client.post("/t/societies", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert_error_shape(response.json(), "invalid_input", response.headers["X-Request-ID"])
    fields = error["details"]["fields"]
    assert set(fields) == {"title", "members.0.name", "members.1.share_count"}
    assert all(isinstance(reason, str) and reason for reason in fields.values())


async def test_malformed_json_is_a_422_in_the_same_shape(app, client_for):
    async with client_for(app) as client:
        response = await client.post(
            "/t/societies", content=b"{not json", headers={"Content-Type": "application/json"},
        )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


async def test_unknown_route_and_wrong_method_keep_the_shape(app, client_for):
    async with client_for(app) as client:
        missing = await client.get("/no/such/route")
        wrong = await client.delete("/t/societies")
    assert missing.status_code == 404
    assert_error_shape(missing.json(), "not_found", missing.headers["X-Request-ID"])
    assert wrong.status_code == 405
    assert_error_shape(wrong.json(), "method_not_allowed", wrong.headers["X-Request-ID"])
    assert "POST" in wrong.headers["Allow"]


async def test_declared_body_over_the_limit_is_413(app, client_for, fake_rpc):
    big = {"title": "x" * 2000, "members": []}
    async with client_for(app) as client:
        response = await client.post("/t/societies", json=big)
    assert response.status_code == 413
    assert_error_shape(response.json(), "payload_too_large", response.headers["X-Request-ID"])
    assert response.json()["error"]["details"] == {"limit_bytes": 1024}
    assert fake_rpc.calls == []


async def chunks(count: int, size: int):
    for _ in range(count):
        yield b"x" * size


@pytest.mark.parametrize("path", ["/t/societies", "/t/stream"])
async def test_streamed_body_over_the_limit_is_413(app, client_for, path):
    async with client_for(app) as client:
        response = await client.post(path, content=chunks(10, 300))
    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert response.status_code == 413
    assert_error_shape(response.json(), "payload_too_large", response.headers["X-Request-ID"])


async def test_streamed_body_under_the_limit_passes(app, client_for):
    async with client_for(app) as client:
        response = await client.post("/t/stream", content=chunks(3, 300))
    assert response.status_code == 200
    assert response.json() == {"size": 900}


def test_field_path_drops_body_and_keeps_other_places():
    assert field_path(("body", "members", 0, "name")) == "members.0.name"
    assert field_path(("body",)) == "body"
    assert field_path(("query", "limit")) == "query.limit"
    assert field_path(("header", "Idempotency-Key")) == "header.Idempotency-Key"


def test_two_reasons_for_one_field_are_joined():
    fields = validation_fields([
        {"loc": ("body", "title"), "msg": "too short"},
        {"loc": ("body", "title"), "msg": "bad word"},
    ])
    assert fields == {"title": "too short; bad word"}
