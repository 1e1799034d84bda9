"""Fakes for the gateway's unit tests: an RPC client that answers from a table."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from gateway.context import CallContext
from gateway.main import create_app
from gateway.rpc import ServiceUnavailable
from gateway.settings import GatewaySettings
from tests.gateway.identity_kit import CHEAP, TEST_ROUTE_ACCESS


@dataclass
class RecordedCall:
    service: str
    method: str
    payload: dict[str, Any]
    timeout: float | None
    context: CallContext


class FakeRpc:
    """Stands in for RpcClient: each (service, method) answers through a function that
    returns a value or raises; anything not set up behaves like a service never started."""

    def __init__(self) -> None:
        self.connected = True
        self.calls: list[RecordedCall] = []
        self._answers: dict[tuple[str, str], Callable[[dict[str, Any]], Any]] = {}

    def on(self, service: str, method: str, answer: Callable[[dict[str, Any]], Any]) -> None:
        self._answers[(service, method)] = answer

    async def connect(self, *, wait: float = 0) -> bool:
        return self.connected

    async def close(self) -> None:
        self.connected = False

    async def call(
        self, service: str, method: str, payload: dict[str, Any], *,
        timeout: float | None = None, context: CallContext,
    ) -> Any:
        self.calls.append(RecordedCall(service, method, payload, timeout, context))
        answer = self._answers.get((service, method))
        if answer is None:
            raise ServiceUnavailable(service)
        result = answer(payload)
        if inspect.isawaitable(result):
            result = await result
        return result


@pytest.fixture
def fake_rpc() -> FakeRpc:
    return FakeRpc()


@pytest.fixture
def settings(gateway_db_url: str) -> GatewaySettings:
    return GatewaySettings(services=("alpha", "beta"), max_body_bytes=1024, health_timeout=0.3,
                           database_url=gateway_db_url, **CHEAP)


@pytest.fixture
def make_app(fake_rpc: FakeRpc, settings: GatewaySettings) -> Callable[..., FastAPI]:
    def build(**overrides: Any) -> FastAPI:
        return create_app(settings.model_copy(update=overrides), rpc=fake_rpc,
                          extra_access=TEST_ROUTE_ACCESS)
    return build


@pytest.fixture
def client_for() -> Callable[[FastAPI], httpx.AsyncClient]:
    def build(app: FastAPI) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw")
    return build
