"""The gateway's short-lived store of public directory answers: served again within its
time, refreshed in the background just after, one call for many concurrent misses,
failures never kept, off at 0 seconds."""

from __future__ import annotations

import asyncio
import json

import pytest

from gateway.public_answers import PublicAnswers
from services.common.errors import NotFound

pytestmark = pytest.mark.anyio


class Registry:
    def __init__(self, fail: bool = False):
        self.calls = 0
        self.fail = fail

    async def __call__(self):
        self.calls += 1
        await asyncio.sleep(0.01)
        if self.fail:
            raise NotFound("No such society.")
        return {"items": [], "call": self.calls}


def call_of(body: bytes) -> int:
    return json.loads(body)["call"]


async def test_an_answer_is_kept_then_refreshed_behind_the_scenes_then_dropped():
    store, registry = PublicAnswers(), Registry()
    first = await store.get("q", 0.2, registry)
    assert await store.get("q", 0.2, registry) == first and registry.calls == 1
    await asyncio.sleep(0.25)  # expired: served once more while a refresh runs
    assert call_of(await store.get("q", 0.2, registry)) == 1
    await asyncio.sleep(0.05)
    assert call_of(await store.get("q", 0.2, registry)) == 2
    await asyncio.sleep(0.45)  # past twice its time: never served, asked again
    assert call_of(await store.get("q", 0.2, registry)) == 3


async def test_concurrent_misses_share_one_call():
    store, registry = PublicAnswers(), Registry()
    answers = await asyncio.gather(*(store.get("q", 5, registry) for _ in range(20)))
    assert registry.calls == 1 and len(set(answers)) == 1


async def test_a_failure_reaches_every_waiter_and_is_not_kept():
    store, registry = PublicAnswers(), Registry(fail=True)
    results = await asyncio.gather(*(store.get("q", 5, registry) for _ in range(3)),
                                   return_exceptions=True)
    assert all(isinstance(r, NotFound) for r in results) and registry.calls == 1
    registry.fail = False
    assert call_of(await store.get("q", 5, registry)) == 2


async def test_zero_seconds_turns_it_off_and_the_store_is_bounded():
    store, registry = PublicAnswers(max_entries=2), Registry()
    await store.get("q", 0, registry)
    await store.get("q", 0, registry)
    assert registry.calls == 2
    for key in ("a", "b", "c"):
        await store.get(key, 5, registry)
    await store.get("a", 5, registry)  # pushed out by c
    assert registry.calls == 6


async def test_an_answer_is_sent_as_compact_utf8_json():
    async def registry():
        return {"items": [{"name": "सहकारी समिति", "area_of_operation": ["Meghalaya"]}],
                "next_cursor": None}

    body = await PublicAnswers().get("q", 5, registry)
    assert body == ('{"items":[{"name":"सहकारी समिति","area_of_operation":["Meghalaya"]}],'
                    '"next_cursor":null}').encode()
