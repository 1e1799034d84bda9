"""Which offices a society lies under, for ``office:`` grants on society routes.

A registrar or dealing officer granted ``office:<id>`` acts on every society under that
office (district under state under national). The registry keeps the hierarchy and
answers ``registry.society_offices {"society_id"}`` → ``{"office_ids": [...]}`` (the
society's own office first, the national one last). The answer changes only when a
society moves office, which is rare, so it is kept for a short while per society.

Fail closed: when the registry does not answer, the RPC failure propagates (503/504);
an unknown society is simply under no office.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any

from gateway.context import CallContext
from services.common.errors import NotFound

# How long one society's office chain is reused, and how many chains are kept.
REACH_TTL_SECONDS = 60.0
REACH_MAX_ENTRIES = 50_000


class OfficeReach:
    def __init__(self, rpc: Any, *, ttl: float = REACH_TTL_SECONDS,
                 max_entries: int = REACH_MAX_ENTRIES, clock=time.monotonic):
        self._rpc = rpc  # a callable returning the app's RpcClient (it starts later)
        self._ttl = ttl
        self._max = max_entries
        self._clock = clock
        self._chains: OrderedDict[str, tuple[float, frozenset[str]]] = OrderedDict()

    async def offices_of(self, society_id: str, context: CallContext) -> frozenset[str]:
        now = self._clock()
        cached = self._chains.get(society_id)
        if cached is not None and cached[0] > now:
            self._chains.move_to_end(society_id)
            return cached[1]
        try:
            answer = await self._rpc().call("registry", "society_offices",
                                            {"society_id": society_id}, context=context)
            chain = frozenset(str(office) for office in answer.get("office_ids", ()))
        except NotFound:
            chain = frozenset()
        self._chains[society_id] = (now + self._ttl, chain)
        self._chains.move_to_end(society_id)
        while len(self._chains) > self._max:
            self._chains.popitem(last=False)
        return chain
