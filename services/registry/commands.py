"""How a registry entrypoint writes: one command in one unit of work, the change, its
audit entry and its events committed together (with the Idempotency-Key's stored answer).
A mixin of the aggregates' entrypoint mixins, so the helper is written once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Commands:
    """For the entrypoint mixins that change something (needs the service's ``db``)."""

    def _write(self, payload: Any, apply: Callable[[Any], tuple[Any, list, tuple]]) -> Any:
        """One command: replay a repeated Idempotency-Key, else apply, audit, emit."""
        with self.db.unit_of_work() as uow:
            prior = uow.replay(payload)
            if prior is not None:
                return prior.response
            result, events, (action, entity_type, entity_id, changes) = apply(uow)
            uow.audit(action, entity_type, entity_id, changes)
            for event in events:
                uow.emit(event)
            return uow.respond(result)
