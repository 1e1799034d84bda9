"""GET /health gathers every service's report; /health/live and /metrics."""

from __future__ import annotations

import asyncio
import time

import pytest

from gateway.routes.health import summarize
from gateway.rpc import (
    BrokerUnavailable,
    RemoteMethodNotFound,
    RemoteServiceError,
    RpcTimeout,
)

pytestmark = pytest.mark.anyio


def report(service: str, ok: bool = True, **extra) -> dict:
    return {
        "service": service,
        "ok": ok,
        "checks": [{"name": "database", "ok": ok, "detail": "" if ok else "refused"}],
        "outbox_backlog": 0,
        "outbox_oldest_age_seconds": 0.0,
        "migration_revision": "20260101_0001",
        "migration_head": "20260101_0001",
        **extra,
    }


async def test_all_services_ok_is_200(make_app, client_for, fake_rpc):
    fake_rpc.on("alpha", "health", lambda payload: report("alpha"))
    fake_rpc.on("beta", "health", lambda payload: report("beta", future_field=1))
    async with client_for(make_app()) as client:
        response = await client.get("/health", headers={"X-Request-ID": "health-check-1"})
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["broker"] == {"connected": True}
    assert body["services"]["alpha"] == {"ok": True, "report": report("alpha"), "error": None}
    # Tolerant in: a field the contract does not know is dropped, not refused.
    assert body["services"]["beta"]["report"] == report("beta")
    assert sorted((c.service, c.method, c.payload) for c in fake_rpc.calls) == [
        ("alpha", "health", {}), ("beta", "health", {}),
    ]
    assert all(c.timeout == 0.3 for c in fake_rpc.calls)
    assert all(c.context.request_id == "health-check-1" for c in fake_rpc.calls)


async def test_calls_run_concurrently_and_a_slow_service_times_out(make_app, client_for,
                                                                   fake_rpc):
    async def slow(payload):
        await asyncio.sleep(0.2)
        return report("alpha")

    async def stuck(payload):
        await asyncio.sleep(0.25)
        raise RpcTimeout("beta", "health", 0.3)

    fake_rpc.on("alpha", "health", slow)
    fake_rpc.on("beta", "health", stuck)
    started = time.perf_counter()
    async with client_for(make_app()) as client:
        response = await client.get("/health")
    assert time.perf_counter() - started < 0.4  # 0.2 and 0.25 overlap
    assert response.status_code == 503
    services = response.json()["services"]
    assert services["alpha"]["ok"] is True
    assert services["beta"] == {"ok": False, "report": None, "error": "timeout"}


async def test_one_unhealthy_service_is_503_with_its_report(make_app, client_for, fake_rpc):
    fake_rpc.on("alpha", "health", lambda payload: report("alpha"))
    fake_rpc.on("beta", "health", lambda payload: report("beta", ok=False))
    async with client_for(make_app()) as client:
        response = await client.get("/health")
    assert response.status_code == 503
    beta = response.json()["services"]["beta"]
    assert beta["ok"] is False
    assert beta["report"]["checks"][0]["detail"] == "refused"


async def test_a_service_that_never_started_is_unavailable(make_app, client_for, fake_rpc):
    fake_rpc.on("alpha", "health", lambda payload: report("alpha"))
    async with client_for(make_app()) as client:
        response = await client.get("/health")
    assert response.status_code == 503
    assert response.json()["services"]["beta"] == {
        "ok": False, "report": None, "error": "unavailable",
    }


async def test_broker_down_is_503_even_with_no_services(make_app, client_for, fake_rpc):
    fake_rpc.connected = False
    async with client_for(make_app(services=())) as client:
        response = await client.get("/health")
    assert response.status_code == 503
    assert response.json() == {
        "ok": False, "services": {}, "broker": {"connected": False},
        "database": {"ok": True, "revision": "gateway_0001", "head": "gateway_0001",
                     "error": None}}


async def test_the_gateways_own_database_behind_head_is_503(make_app, client_for, fake_rpc,
                                                             tmp_path):
    async with client_for(make_app(services=(), database_url=f"sqlite:///{tmp_path}/x.db")
                          ) as client:
        response = await client.get("/health")
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "revision": None,
                                           "head": "gateway_0001", "error": "not_at_head"}


async def test_the_gateways_own_database_unreachable_is_503(make_app, client_for, fake_rpc):
    url = "postgresql+psycopg2://nobody:wrong@127.0.0.1:1/nothing"
    async with client_for(make_app(services=(), database_url=url)) as client:
        response = await client.get("/health")
    assert response.status_code == 503
    assert response.json()["database"]["error"] == "unreachable"
    assert "wrong" not in response.text


def test_summarize_names_each_failure():
    names = ["a", "b", "c", "d", "e", "f", "g"]
    results = [
        report("a"),
        RpcTimeout("b", "health", 1),
        BrokerUnavailable("down"),
        RemoteMethodNotFound("d", "health"),
        RemoteServiceError("e", "health", "KeyError", "x"),
        {"service": "f", "ok": True},  # not a HealthReportV1
        ValueError("bug"),
    ]
    summary = summarize(names, results, broker_connected=True)
    assert summary.ok is False
    assert {name: s.error for name, s in summary.services.items()} == {
        "a": None, "b": "timeout", "c": "unavailable", "d": "method_not_found",
        "e": "remote_error", "f": "invalid_report", "g": "internal",
    }
    assert summary.services["a"].ok is True


async def test_live_is_always_200(make_app, client_for, fake_rpc):
    fake_rpc.connected = False
    async with client_for(make_app()) as client:
        response = await client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"ok": True}


async def test_metrics_are_exposed_with_route_templates(make_app, client_for, fake_rpc):
    app = make_app()

    @app.get("/t/items/{item_id}", response_model=dict[str, str])
    async def item(item_id: str) -> dict[str, str]:
        return {"id": item_id}

    async with client_for(app) as client:
        await client.get("/t/items/abc")
        await client.get("/t/items/def")
        await client.get("/health")
        await client.get("/docs")
        await client.get("/no/such/thing/42")
        response = await client.get("/metrics")
        schema = (await client.get("/openapi.json")).json()
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'route="/t/items/{item_id}"' in text
    assert "/t/items/abc" not in text
    assert 'route="/docs"' in text
    assert 'route="<unmatched>",status="404"' in text
    assert "/no/such/thing" not in text
    for name in ("gateway_http_requests_total", "gateway_http_request_duration_seconds",
                 "gateway_rpc_in_flight", "gateway_broker_connected",
                 "gateway_broker_reconnects_total"):
        assert name in text
    assert "/metrics" not in schema["paths"]
    assert {"/health", "/health/live"} <= set(schema["paths"])
