"""How replies turn into values or errors, and how gather() composes calls."""

from __future__ import annotations

import asyncio

import orjson
import pytest

from gateway.context import CallContext
from gateway.rpc import (
    BrokerUnavailable,
    RemoteMethodNotFound,
    RemoteServiceError,
    RpcClient,
    RpcTimeout,
    gather,
    outcome_of,
    unpack_reply,
)
from services.common.errors import Conflict, InvalidInput, NotFound


def reply(result=None, error=None) -> bytes:
    return orjson.dumps({"result": result, "error": error})


def remote_error(exc_type: str, exc_path: str, exc_args: list, value: str = "") -> dict:
    return {"exc_type": exc_type, "exc_path": exc_path, "exc_args": exc_args, "value": value}


def test_result_is_returned():
    assert unpack_reply("s", "m", reply({"id": 7})) == {"id": 7}
    assert unpack_reply("s", "m", reply(None)) is None


def test_typed_errors_are_rebuilt():
    error = remote_error(
        "InvalidInput", "services.common.errors.InvalidInput",
        ["Bad.", {"fields": {"name": "required"}}], "Bad.",
    )
    with pytest.raises(InvalidInput) as caught:
        unpack_reply("s", "m", reply(error=error))
    assert caught.value.fields == {"name": "required"}

    with pytest.raises(Conflict):
        unpack_reply("s", "m", reply(error=remote_error(
            "Conflict", "services.common.errors.Conflict", ["Taken.", {}])))


def test_nameko_method_not_found():
    error = remote_error("MethodNotFound", "nameko.exceptions.MethodNotFound", ["nope"], "nope")
    with pytest.raises(RemoteMethodNotFound):
        unpack_reply("registry", "nope", reply(error=error))


def test_other_remote_errors_keep_only_their_type_for_clients():
    error = remote_error("KeyError", "builtins.KeyError", ["'dsn'"], "'password=x'")
    with pytest.raises(RemoteServiceError) as caught:
        unpack_reply("registry", "get", reply(error=error))
    assert caught.value.exc_type == "KeyError"
    assert "password" not in str(caught.value)
    assert caught.value.value == "'password=x'"  # kept for the log


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", orjson.dumps({"error": "text"})])
def test_malformed_replies(body):
    with pytest.raises(RemoteServiceError) as caught:
        unpack_reply("s", "m", body)
    assert caught.value.exc_type == "MalformedReply"


def test_outcome_labels():
    assert outcome_of(NotFound("x")) == "not_found"
    assert outcome_of(RpcTimeout("s", "m", 1)) == "timeout"
    assert outcome_of(BrokerUnavailable("x")) == "broker_unavailable"
    assert outcome_of(ValueError()) == "internal"


@pytest.mark.anyio
async def test_gather_keeps_every_outcome_in_order():
    async def value(v, delay=0.0):
        await asyncio.sleep(delay)
        return v

    async def fails():
        await asyncio.sleep(0.01)
        raise NotFound("gone")

    results = await gather(value(1, 0.03), fails(), value(3))
    assert results[0] == 1 and results[2] == 3
    assert isinstance(results[1], NotFound)


@pytest.mark.anyio
async def test_gather_bounds_the_whole_page():
    cancelled = asyncio.Event()

    async def forever():
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    async def quick():
        return "ok"

    loop = asyncio.get_running_loop()
    started = loop.time()
    results = await gather(quick(), forever(), timeout=0.1)
    assert loop.time() - started < 0.5
    assert results[0] == "ok"
    assert isinstance(results[1], RpcTimeout)
    assert cancelled.is_set()


@pytest.mark.anyio
async def test_gather_of_nothing():
    assert await gather() == []


@pytest.mark.anyio
async def test_a_client_that_never_connected_fails_at_once():
    client = RpcClient("amqp://guest:guest@127.0.0.1:1/", default_timeout=5)
    with pytest.raises(BrokerUnavailable):
        await client.call("registry", "health", {}, context=CallContext(request_id="r-00000001"))
    assert client.connected is False
