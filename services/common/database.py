"""Each service's own database: the engine, and the unit of work its entrypoints use.

The entrypoint owns the transaction. ``db.unit_of_work()`` opens one; inside it the
service changes its tables, records events (outbox), makes audit entries, replays
or remembers an idempotent answer and claims an event it handles; leaving the block
commits all of it at once, or nothing. The audit entries are linked into the chain as
the transaction's last statements, just before the commit, so the chain's lock is held
over those inserts and the commit only. After a commit that recorded events the outbox
relay is woken, so events go out within milliseconds without polling hard.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from nameko.extensions import DependencyProvider
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common import audit, outbox
from services.common.call_context import CallContext
from services.common.context import call_context, event_headers
from services.common.contracts.base import Event
from services.common.engine import make_engine
from services.common.errors import Conflict
from services.common.metrics import service_metrics
from services.common.schema import PlatformTables
from services.common.settings import service_settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Replay:
    """The stored answer of a request already applied under the same Idempotency-Key."""

    response: Any


class UnitOfWork:
    """One transaction of one worker; use as a context manager."""

    def __init__(self, db: DatabaseHandle):
        self._db = db
        self.session = Session(db.engine, expire_on_commit=False)
        self.ctx = db.ctx
        self._events = 0
        self._audit: list[audit.Pending] = []
        self._idempotency_id: int | None = None

    def __enter__(self) -> UnitOfWork:
        self.session.begin()
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                self._commit()
                if self._events:
                    self._db.wake_relay()
            else:
                self.session.rollback()
        finally:
            self.session.close()
        return False

    def _commit(self) -> None:
        """Flush the transaction's own changes, then link its audit entries (the chain's
        lock, the head, the inserts) and commit: the lock is held over those alone."""
        try:
            if self._audit:
                self.session.flush()
                audit.append_pending(self.session, self._db.tables.audit, self._audit)
            self.session.commit()
        except BaseException:
            self.session.rollback()
            raise
        finally:
            self._audit = []

    # -- outbox and audit -------------------------------------------------
    def emit(self, event_: Event) -> str:
        """Record an event to publish once this transaction commits."""
        self._events += 1
        return outbox.record(self.session, self._db.tables, event_, self._db.headers)

    def audit(self, action: str, entity_type: str, entity_id: Any,
              changes: dict[str, Any] | None = None) -> None:
        """Make an audit entry (actor, role and request id come from the call). It is
        kept here and linked into the chain when the transaction commits, after every
        entry made before it; if the transaction rolls back it is never written."""
        self._audit.append(audit.pending(self.ctx, action=action, entity_type=entity_type,
                                         entity_id=str(entity_id), changes=changes or {}))

    # -- idempotent commands ---------------------------------------------
    def replay(self, request: Any) -> Replay | None:
        """If the call carries an Idempotency-Key already used for this method and
        actor, the stored answer; else reserve the key in this transaction."""
        key = self.ctx.idempotency_key
        if not key:
            return None
        table = self._db.tables.idempotency
        digest = hashlib.sha256(
            json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()
        where = ((table.c.method == self.ctx.entrypoint)
                 & (table.c.actor_id == self.ctx.actor_id) & (table.c.key == key))
        try:
            with self.session.begin_nested():
                result = self.session.execute(insert(table).values(
                    method=self.ctx.entrypoint, actor_id=self.ctx.actor_id, key=key,
                    request_hash=digest, response=None, created_at=datetime.now(UTC)))
            self._idempotency_id = result.inserted_primary_key[0]
            return None
        except IntegrityError:
            pass
        # The key is taken: by a committed request (read its answer) or by one still
        # running (PostgreSQL made us wait for it above, so it has committed by now).
        row = self.session.execute(
            select(table.c.request_hash, table.c.response).where(where)).one()
        if row.request_hash != digest:
            raise Conflict("This Idempotency-Key was already used with a different request.",
                           {"idempotency_key": key})
        if row.response is None:
            raise Conflict("A request with this Idempotency-Key is still being applied.",
                           {"idempotency_key": key})
        return Replay(row.response["value"])

    def respond(self, response: Any) -> Any:
        """Remember ``response`` under the call's Idempotency-Key; returns it."""
        if self._idempotency_id is not None:
            table = self._db.tables.idempotency
            self.session.execute(update(table).where(table.c.id == self._idempotency_id)
                                 .values(response={"value": response}))
        return response

    # -- idempotent event handling ---------------------------------------
    def claim_event(self) -> bool:
        """True the first time this handler sees the current event; False for a
        redelivery, which the handler then skips (its ack follows)."""
        event_id = self.ctx.event_id
        metrics = service_metrics(self.ctx.service)
        if not event_id:
            raise ValueError("claim_event() is for event handlers: the message has no "
                             "nameko.event_id header")
        table = self._db.tables.processed
        handler = self.ctx.entrypoint
        try:
            with self.session.begin_nested():
                self.session.execute(insert(table).values(
                    handler=handler, event_id=event_id, processed_at=datetime.now(UTC)))
        except IntegrityError:
            metrics.events_consumed.labels(*self._db.event_labels, "duplicate").inc()
            return False
        metrics.events_consumed.labels(*self._db.event_labels, "applied").inc()
        return True


class DatabaseHandle:
    """What a worker gets: its call's context plus ways into the database."""

    def __init__(self, provider: Database, worker_ctx):
        self.engine = provider.engine
        self.read_engine = provider.read_engine
        self.tables = provider.tables
        self.wake_relay = provider.relay.wake
        self._worker_ctx = worker_ctx

    # Computed on first use: most reads never need them.
    @cached_property
    def ctx(self) -> CallContext:
        return call_context(self._worker_ctx)

    @cached_property
    def headers(self) -> dict:
        return event_headers(self._worker_ctx)

    @cached_property
    def event_labels(self) -> tuple[str, str]:
        entrypoint = self._worker_ctx.entrypoint
        return (getattr(entrypoint, "source_service", ""),
                getattr(entrypoint, "event_type", ""))

    def unit_of_work(self) -> UnitOfWork:
        """The one transaction of a command or event handler (use ``with``)."""
        return UnitOfWork(self)

    def read(self) -> Session:
        """A session for reads outside a unit of work, each statement committed on its
        own (use ``with``). It sees committed data only and must not write."""
        return Session(self.read_engine)


class Database(DependencyProvider):
    """The service's database and its outbox relay, one of each per container."""

    def __init__(self, tables: PlatformTables, subscriptions=None):
        self.tables = tables
        self.subscriptions = subscriptions  # None: the platform's SUBSCRIPTIONS

    def setup(self):
        name = self.container.service_name
        settings = service_settings(name)
        url = settings.resolved_database_url()
        self.engine = make_engine(url, pool_size=settings.db_pool_size)
        self.read_engine = make_engine(url, pool_size=settings.db_pool_size, reads=True)
        metrics = service_metrics(name)
        metrics.track_pools(self.engine, self.read_engine)
        self.relay = outbox.OutboxRelay(
            service_name=name, engine=self.engine, tables=self.tables,
            amqp_uri=self.container.config["AMQP_URI"],
            heartbeat=self.container.config.get("HEARTBEAT", 10),
            poll_seconds=settings.outbox_poll_seconds,
            batch_size=settings.outbox_batch_size, metrics=metrics,
            retention_days=settings.retention_days, queue_type=settings.amqp_queue_type,
            subscriptions=self.subscriptions)

    def start(self):
        self._relay_thread = self.container.spawn_managed_thread(
            self.relay.run, identifier=f"{self.container.service_name}.outbox_relay")

    def stop(self):
        self.relay.stop()
        thread = getattr(self, "_relay_thread", None)
        if thread is not None:
            thread.wait()
        self.engine.dispose()
        self.read_engine.dispose()

    def kill(self):
        self.relay.stop()
        self.engine.dispose()
        self.read_engine.dispose()

    def get_dependency(self, worker_ctx) -> DatabaseHandle:
        return DatabaseHandle(self, worker_ctx)
