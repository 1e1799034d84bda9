"""The one way a grievance entrypoint writes: replay a repeated Idempotency-Key, else
apply the change, append its audit entry and queue its events, in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

# apply(uow, now) -> (answer, events, (action, entity_type, entity_id, changes))
Apply = Callable[[Any, Any], tuple[Any, list, tuple[str, str, str, dict]]]


class Commands:
    def _write(self, payload: Any, apply: Apply) -> Any:
        with self.db.unit_of_work() as uow:
            prior = uow.replay(payload)
            if prior is not None:
                return prior.response
            result, events, (action, entity_type, entity_id, changes) = apply(
                uow, datetime.now(UTC))
            uow.audit(action, entity_type, entity_id, changes)
            for event in events:
                uow.emit(event)
            return uow.respond(result)
