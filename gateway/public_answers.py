"""Answers that are the same for every caller (the public directory), kept a few seconds
as the JSON bytes sent. One store per app (``app.state.public_answers``); how long an
answer lives is the route's choice (``GATEWAY_DIRECTORY_CACHE_SECONDS`` for the
directory). docs/adr/0007 has the measurements that asked for it."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from prometheus_client import Counter

from gateway.metrics import REGISTRY

DIRECTORY_CACHE = Counter(
    "gateway_directory_cache_total",
    "Public directory answers served from the gateway's short-lived cache (hit) or "
    "asked of the registry (miss).", ("outcome",), registry=REGISTRY)


class PublicAnswers:
    """A bounded, time-limited store of public answers (kept as the JSON bytes sent).

    Within ``ttl`` an answer is served as stored. For another ``ttl`` after that it is
    still served while one call in the background refreshes it, so no request waits on a
    refresh and a burst of expiries never stalls the directory; older answers are never
    served. A key nobody has asked for is fetched once however many requests wait."""

    def __init__(self, max_entries: int = 20_000):
        self.max_entries = max_entries
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._pending: dict[str, asyncio.Future] = {}

    async def get(self, key: str, ttl: float,
                  fetch: Callable[[], Awaitable[Any]]) -> bytes:
        if ttl <= 0:
            return _encode(await fetch())
        now = time.monotonic()
        found = self._entries.get(key)
        if found is not None and found[0] + ttl > now:
            DIRECTORY_CACHE.labels("hit").inc()
            if found[0] <= now and key not in self._pending:
                self._start(key, ttl, fetch).add_done_callback(_ignore_failure)
            return found[1]
        pending = self._pending.get(key)
        if pending is not None:
            DIRECTORY_CACHE.labels("hit").inc()
            return await asyncio.shield(pending)
        DIRECTORY_CACHE.labels("miss").inc()
        return await self._start(key, ttl, fetch)

    def _start(self, key: str, ttl: float,
               fetch: Callable[[], Awaitable[Any]]) -> asyncio.Future:
        future = asyncio.ensure_future(self._fetch(key, ttl, fetch))
        self._pending[key] = future
        return future

    async def _fetch(self, key: str, ttl: float,
                     fetch: Callable[[], Awaitable[Any]]) -> bytes:
        try:
            body = _encode(await fetch())
        finally:
            self._pending.pop(key, None)
        self._entries[key] = (time.monotonic() + ttl, body)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        return body


def _encode(value: Any) -> bytes:
    """Compact UTF-8 JSON, as the RPC client decoded it (orjson: a fifteenth of json's cost
    for a page of twenty societies)."""
    return orjson.dumps(value)


def _ignore_failure(future: asyncio.Future) -> None:
    """A background refresh that failed leaves the stored answer to age out."""
    if not future.cancelled():
        future.exception()
