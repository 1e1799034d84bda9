"""The one way an entrypoint writes: replay a repeated Idempotency-Key, else apply the
change, append its audit entry and queue its events, all in one transaction (the answer
stored with the key). A mixin of a service's entrypoint mixins (needs the service's
``db``); a service whose time is not the wall clock (elections' rehearsal clock)
overrides ``_now``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

# apply(uow, now) -> (answer, events, (action, entity_type, entity_id, changes))
Apply = Callable[[Any, datetime], tuple[Any, list, tuple[str, str, str, dict]]]


class Commands:
    def _now(self, session: Any) -> datetime:
        return datetime.now(UTC)

    def _write(self, payload: Any, apply: Apply) -> Any:
        with self.db.unit_of_work() as uow:
            prior = uow.replay(payload)
            if prior is not None:
                return prior.response
            result, events, (action, entity_type, entity_id, changes) = apply(
                uow, self._now(uow.session))
            uow.audit(action, entity_type, entity_id, changes)
            for event in events:
                uow.emit(event)
            return uow.respond(result)
