"""Delivery records: queue them once per key, claim due ones in batches, record outcomes.

One row per (event or job, recipient, channel), its ``key`` UNIQUE: whatever repeats
upstream (a redelivered event, a re-read page of members, a restarted job), the message
is queued once. Workers claim small batches of due rows with ``FOR UPDATE SKIP LOCKED``
on PostgreSQL (replicas share the work; SQLite's one writer serialises instead), send
them while holding the claim, and record the outcomes in the same transaction. A process
killed mid-batch leaves its rows queued, with the locks released by the database; they
are sent again with the same key, which the providers deduplicate on.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import (
    DateTime,
    Integer,
    String,
    bindparam,
    cast,
    column,
    func,
    select,
    update,
    values,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.notify.models import delivery

QUEUED, SENT, DELIVERED, FAILED = "queued", "sent", "delivered", "failed"
STATUSES = (QUEUED, SENT, DELIVERED, FAILED)
SENDING_CHANNELS = ("sms", "email")
MAX_ERROR_CHARS = 500


def key(origin: str, origin_id: str, recipient_id: str, channel: str) -> str:
    """The idempotency key of one message; long ids are hashed to fit the column."""
    raw = f"{origin}:{origin_id}:{recipient_id}:{channel}"
    if len(raw) <= 200:
        return raw
    return f"{origin}:{hashlib.sha256(raw.encode()).hexdigest()}:{channel}"


def row(*, key: str, origin: str, origin_id: str, recipient_id: str, channel: str,
        destination: str, language: str, body: str, subject: str | None = None,
        job_id: str | None = None, status: str = QUEUED, error: str | None = None,
        provider_id: str | None = None, now: datetime | None = None) -> dict:
    now = now or datetime.now(UTC)
    return {"key": key, "origin": origin, "origin_id": origin_id, "job_id": job_id,
            "recipient_id": recipient_id, "channel": channel, "destination": destination,
            "language": language, "subject": subject, "body": body, "status": status,
            "attempts": 0, "next_attempt_at": now, "provider_id": provider_id,
            "error": error[:MAX_ERROR_CHARS] if error else None, "created_at": now,
            "sent_at": now if status in (SENT, DELIVERED) else None, "updated_at": now}


# Rows per INSERT statement while queueing a page of members.
QUEUE_CHUNK = 250


def pause() -> None:
    """Let other green threads run (a no-op outside eventlet). Preparing a statement of
    many rows is CPU work that does not yield; between chunks the senders, whose every
    SMTP round trip waits for the hub, get their turn."""
    time.sleep(0)


def queue(session: Session, rows: Sequence[dict]) -> None:
    """Insert delivery rows; a row whose key exists already is skipped, not an error."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # RETURNING makes SQLAlchemy send many rows per statement ("insertmanyvalues");
    # without it the driver's executemany is one round trip per row, which made
    # queueing a page of 5,000 members take seconds.
    statement = insert(delivery).on_conflict_do_nothing(index_elements=["key"]) \
        .returning(delivery.c.id)
    for start in range(0, len(rows), QUEUE_CHUNK):
        if start:
            pause()
        session.execute(statement, list(rows[start:start + QUEUE_CHUNK])).close()


_CLAIM = (
    select(delivery.c.id, delivery.c.key, delivery.c.destination, delivery.c.subject,
           delivery.c.body, delivery.c.language, delivery.c.attempts, delivery.c.origin,
           delivery.c.origin_id, delivery.c.job_id, delivery.c.recipient_id,
           delivery.c.channel)
    .where(delivery.c.channel == bindparam("channel"), delivery.c.status == QUEUED,
           delivery.c.next_attempt_at <= bindparam("now"))
    .order_by(delivery.c.id)
    .limit(bindparam("limit"))
)
_CLAIM_SKIP_LOCKED = _CLAIM.with_for_update(skip_locked=True)


def claim(session: Session, channel: str, limit: int, now: datetime | None = None) -> list:
    """Due queued rows of ``channel``, locked for this transaction (others skip them)."""
    statement = (_CLAIM_SKIP_LOCKED if session.get_bind().dialect.name == "postgresql"
                 else _CLAIM)
    return session.execute(statement, {"channel": channel, "limit": limit,
                                       "now": now or datetime.now(UTC)}).all()


@dataclass(frozen=True)
class Outcome:
    """What became of one claimed row."""

    delivery_id: int
    status: str                      # sent | queued (retry later) | failed
    attempts: int
    provider_id: str | None = None
    error: str | None = None
    next_attempt_at: datetime | None = None


def backoff(attempts: int, base: float, ceiling: float,
            retry_after: float | None = None) -> timedelta:
    """Exponential backoff after the ``attempts``-th failure, or the provider's wish."""
    delay = min(ceiling, base * (2 ** max(0, attempts - 1)))
    if retry_after is not None:
        delay = max(delay, min(ceiling, retry_after))
    return timedelta(seconds=delay)


_RECORD_ONE = (
    update(delivery).where(delivery.c.id == bindparam("_id"))
    .values(status=bindparam("_status"), attempts=bindparam("_attempts"),
            provider_id=bindparam("_provider_id"), error=bindparam("_error"),
            next_attempt_at=bindparam("_next"),
            sent_at=func.coalesce(bindparam("_sent"), delivery.c.sent_at),
            updated_at=bindparam("_now"))
)


def record(session: Session, outcomes: Iterable[Outcome], now: datetime | None = None) -> None:
    """Write the outcomes of one claimed batch: one statement on PostgreSQL."""
    now = now or datetime.now(UTC)
    params = [{"_id": o.delivery_id, "_status": o.status, "_attempts": o.attempts,
               "_provider_id": o.provider_id,
               "_error": o.error[:MAX_ERROR_CHARS] if o.error else None,
               "_next": o.next_attempt_at or now,
               "_sent": now if o.status == SENT else None, "_now": now}
              for o in outcomes]
    if not params:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(_RECORD_ONE, params)
        return
    data = values(column("id", Integer), column("status", String),
                  column("attempts", Integer), column("provider_id", String),
                  column("error", String), column("next_at", DateTime(timezone=True)),
                  column("sent_at", DateTime(timezone=True)), name="outcome").data(
        [(p["_id"], p["_status"], p["_attempts"], p["_provider_id"], p["_error"],
          p["_next"], p["_sent"]) for p in params])
    ts = DateTime(timezone=True)
    session.execute(
        update(delivery).where(delivery.c.id == data.c.id).values(
            status=data.c.status, attempts=data.c.attempts,
            provider_id=data.c.provider_id, error=data.c.error,
            next_attempt_at=cast(data.c.next_at, ts),
            # keep the first sent_at of a row sent once already
            sent_at=func.coalesce(cast(data.c.sent_at, ts), delivery.c.sent_at),
            updated_at=now))


_COUNTS = (
    select(delivery.c.channel, delivery.c.status, func.count())
    .where(delivery.c.job_id == bindparam("job_id"))
    .group_by(delivery.c.channel, delivery.c.status)
)


def progress(session: Session, job_id: str, channels: Sequence[str]) -> list[dict]:
    """Per channel, how many of a job's messages are in each state."""
    counts = {channel: dict.fromkeys(STATUSES, 0) for channel in channels}
    for channel, status, count in session.execute(_COUNTS, {"job_id": job_id}):
        counts.setdefault(channel, dict.fromkeys(STATUSES, 0))[status] = count
    return [{"channel": channel, **by_status} for channel, by_status in counts.items()]


_BACKLOG = (
    select(delivery.c.channel, func.count())
    .where(delivery.c.status == QUEUED).group_by(delivery.c.channel)
)


def backlog(session: Session) -> dict[str, int]:
    return dict(session.execute(_BACKLOG).all())
