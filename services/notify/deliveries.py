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
    func,
    select,
    update,
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
# On PostgreSQL rows travel as one array per column: the driver quotes a list in C,
# instead of SQLAlchemy handling each of ~17 values per row in Python.
PG_QUEUE_CHUNK = 2000


def pause() -> None:
    """Let other green threads run (a no-op outside eventlet). Preparing a statement of
    many rows is CPU work that does not yield; between chunks the senders, whose every
    SMTP round trip waits for the hub, get their turn."""
    time.sleep(0)


_QUEUED_COLUMNS = [c for c in delivery.c if c.name != "id"]
_PG_ROWS = func.unnest(*(cast(bindparam(c.name), postgresql.ARRAY(c.type))
                         for c in _QUEUED_COLUMNS)) \
    .table_valued(*(c.name for c in _QUEUED_COLUMNS)).render_derived()
_PG_QUEUE = postgresql.insert(delivery).from_select(
    [c.name for c in _QUEUED_COLUMNS], select(*_PG_ROWS.c)).on_conflict_do_nothing(
    index_elements=["key"])


def queue(session: Session, rows: Sequence[dict]) -> None:
    """Insert delivery rows; a row whose key exists already is skipped, not an error."""
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        for start in range(0, len(rows), PG_QUEUE_CHUNK):
            if start:
                pause()
            chunk = rows[start:start + PG_QUEUE_CHUNK]
            session.execute(_PG_QUEUE, {c.name: [r[c.name] for r in chunk]
                                        for c in _QUEUED_COLUMNS})
        return
    # RETURNING makes SQLAlchemy send many rows per statement ("insertmanyvalues");
    # without it the driver's executemany is one round trip per row, which made
    # queueing a page of 5,000 members take seconds.
    statement = sqlite.insert(delivery).on_conflict_do_nothing(index_elements=["key"]) \
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


_TS = DateTime(timezone=True)
# The outcomes as one array per column: a statement compiled once and cached. (A VALUES
# list with the batch's data in it was compiled anew for every batch, and compiling it
# was half of the process's CPU while a mass job was sent.)
_OUTCOMES = func.unnest(
    *(cast(bindparam(name), postgresql.ARRAY(kind)) for name, kind in (
        ("o_id", Integer), ("o_status", String), ("o_attempts", Integer),
        ("o_provider_id", String), ("o_error", String), ("o_next", _TS), ("o_sent", _TS)))
).table_valued("id", "status", "attempts", "provider_id", "error", "next_at", "sent_at",
               name="outcome").render_derived()
_PG_RECORD = update(delivery).where(delivery.c.id == _OUTCOMES.c.id).values(
    status=_OUTCOMES.c.status, attempts=_OUTCOMES.c.attempts,
    provider_id=_OUTCOMES.c.provider_id, error=_OUTCOMES.c.error,
    next_attempt_at=_OUTCOMES.c.next_at,
    # keep the first sent_at of a row sent once already
    sent_at=func.coalesce(_OUTCOMES.c.sent_at, delivery.c.sent_at),
    updated_at=bindparam("o_now", type_=_TS))


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
    session.execute(_PG_RECORD, {
        "o_id": [p["_id"] for p in params], "o_status": [p["_status"] for p in params],
        "o_attempts": [p["_attempts"] for p in params],
        "o_provider_id": [p["_provider_id"] for p in params],
        "o_error": [p["_error"] for p in params], "o_next": [p["_next"] for p in params],
        "o_sent": [p["_sent"] for p in params], "o_now": now})


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
