"""Transactional outbox: record events in the caller's transaction, publish them later.

``record`` adds a row beside the state change it describes (one commit for both).
``OutboxRelay`` publishes pending rows to the service's topic exchange
``<service>.events`` in nameko's event wire format (JSON body; context in
``nameko.*`` headers; routing key = event type), waits for the broker's publisher
confirm, and only then marks the rows sent. A crash between commit and publish
leaves the rows pending and the relay sends them on restart; a crash between
publish and marking sends them twice, which consumers absorb (``processed_message``).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

from kombu import Connection, Exchange, Producer
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from services.common import topology
from services.common.contracts.base import Event
from services.common.metrics import ServiceMetrics
from services.common.schema import PlatformTables

log = logging.getLogger(__name__)

# A broker that neither confirms nor refuses within this is treated as gone.
CONFIRM_TIMEOUT_SECONDS = 10.0
PRUNE_EVERY_SECONDS = 600.0


def event_exchange(service_name: str) -> Exchange:
    """The exchange nameko's ``@event_handler(service_name, ...)`` binds to."""
    return Exchange(f"{service_name}.events", type="topic", durable=True, delivery_mode=2)


def record(session: Session, tables: PlatformTables, event: Event, headers: dict) -> str:
    """Add ``event`` to the outbox in the session's transaction; returns its id."""
    if not isinstance(event, Event):
        raise TypeError("the outbox takes contract Event models only")
    event_id = str(uuid.uuid4())
    session.execute(insert(tables.outbox).values(
        event_id=event_id,
        event_type=event.event_type,
        version=event.version,
        payload=event.wire(),
        headers={**headers, "nameko.event_id": event_id,
                 "nameko.event_version": event.version},
        created_at=datetime.now(UTC),
        sent_at=None,
        attempts=0,
    ))
    return event_id


class OutboxRelay:
    """Publishes one service's pending outbox rows; runs as a green thread."""

    def __init__(self, *, service_name: str, engine: Engine, tables: PlatformTables,
                 amqp_uri: str, heartbeat: int, poll_seconds: float, batch_size: int,
                 metrics: ServiceMetrics, retention_days: float = 30.0, subscriptions=None,
                 queue_type: str = "classic"):
        self.service_name = service_name
        self.engine = engine
        self.tables = tables
        self.amqp_uri = amqp_uri
        self.heartbeat = heartbeat
        self.poll_seconds = poll_seconds
        self.batch_size = batch_size
        self.metrics = metrics
        self.subscriptions = subscriptions
        self.queue_type = queue_type
        self.retention = timedelta(days=retention_days)
        self._last_prune = float("-inf")  # due at once: monotonic time may start near 0
        self.exchange = event_exchange(service_name)
        self._wake = threading.Event()
        self._stopping = False
        self._connection: Connection | None = None
        self._producer_obj: Producer | None = None

    # -- control ---------------------------------------------------------
    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    def run(self) -> None:
        """Loop until stopped: publish what is pending, then wait for a wake-up."""
        failures = 0
        while not self._stopping:
            try:
                self._producer()  # connect and declare our consumers' queues first
                sent = self.publish_pending()
                failures = 0
            except Exception as exc:  # broker or database away: keep the rows, retry
                failures += 1
                self._drop_connection()
                log.warning("outbox relay could not publish (%s); retrying", exc,
                            extra={"attempt": failures})
                sent = 0
                self._wake.wait(min(0.2 * failures, 2.0))
                continue
            try:
                self.report_backlog()
                self.prune_if_due()
            except Exception as exc:  # the database went away after the publish: next round
                log.warning("outbox relay could not read its backlog (%s)", exc)
            if self._connection is not None:
                # An idle relay still heartbeats, so the broker keeps its connection
                # and a dead broker is noticed before the next publish.
                try:
                    self._connection.heartbeat_check()
                except Exception:
                    self._drop_connection()
            if sent < self.batch_size:
                self._wake.wait(self.poll_seconds)
                self._wake.clear()
        self._drop_connection()

    # -- work --------------------------------------------------------------
    def publish_pending(self) -> int:
        """Publish one batch of pending rows; returns how many were sent."""
        outbox = self.tables.outbox
        with Session(self.engine) as session, session.begin():
            query = (select(outbox.c.id, outbox.c.event_id, outbox.c.event_type,
                            outbox.c.payload, outbox.c.headers)
                     .where(outbox.c.sent_at.is_(None))
                     .order_by(outbox.c.id)
                     .limit(self.batch_size))
            if self.engine.dialect.name == "postgresql":
                # Replicas of a service share the outbox without sending a row twice.
                query = query.with_for_update(skip_locked=True)
            rows = session.execute(query).all()
            if not rows:
                return 0
            producer = self._producer()
            for row in rows:
                producer.publish(
                    row.payload,
                    exchange=self.exchange,
                    routing_key=row.event_type,
                    headers=row.headers,
                    message_id=row.event_id,
                    serializer="json",
                    delivery_mode=2,
                    retry=False,
                    timeout=CONFIRM_TIMEOUT_SECONDS,
                    confirm_timeout=CONFIRM_TIMEOUT_SECONDS,
                )
                self.metrics.events_published.labels(event_type=row.event_type).inc()
            session.execute(
                update(outbox)
                .where(outbox.c.id.in_([row.id for row in rows]))
                .values(sent_at=datetime.now(UTC), attempts=outbox.c.attempts + 1)
            )
        return len(rows)

    def report_backlog(self) -> None:
        outbox = self.tables.outbox
        with Session(self.engine) as session:
            count, oldest = session.execute(
                select(func.count(), func.min(outbox.c.created_at))
                .where(outbox.c.sent_at.is_(None))
            ).one()
        self.metrics.outbox_backlog.set(count)
        age = 0.0
        if oldest is not None:
            oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
            age = max(0.0, (datetime.now(UTC) - oldest).total_seconds())
        self.metrics.outbox_oldest_age.set(age)

    def prune_if_due(self) -> None:
        """Forget what is older than the retention: sent outbox rows, the ids of
        applied events (a redelivery older than that cannot come) and idempotency records
        (a client retry older than that is a new request)."""
        if time.monotonic() - self._last_prune < PRUNE_EVERY_SECONDS:
            return
        self._last_prune = time.monotonic()
        cutoff = datetime.now(UTC) - self.retention
        t = self.tables
        with Session(self.engine) as session, session.begin():
            session.execute(delete(t.outbox).where(t.outbox.c.sent_at < cutoff))
            session.execute(delete(t.processed).where(t.processed.c.processed_at < cutoff))
            session.execute(delete(t.idempotency).where(t.idempotency.c.created_at < cutoff))

    def _producer(self) -> Producer:
        if self._connection is None or self._producer_obj is None:
            connection = Connection(self.amqp_uri, heartbeat=self.heartbeat,
                                    transport_options={"confirm_publish": True})
            connection.ensure_connection(max_retries=1)
            channel = connection.channel()
            self.exchange(channel).declare()
            # Every consumer queue of our events exists before the first publish,
            # so an event sent before its consumer ever started is kept for it.
            topology.declare_for_source(channel, self.service_name, self.subscriptions,
                                        self.queue_type)
            self._connection = connection
            self._producer_obj = Producer(channel, exchange=self.exchange)
        return self._producer_obj

    def _drop_connection(self) -> None:
        if self._connection is not None:
            try:
                self._connection.release()
            except Exception:  # noqa: S110 - the connection is already broken
                pass
            self._connection = None
