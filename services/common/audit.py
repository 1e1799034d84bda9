"""The append-only, hash-chained audit log: append an entry, verify the chain.

Each entry's hash covers its own fields and the previous entry's hash, so changing,
removing or reordering any committed entry breaks every hash after it. Writers are
serialised per database (an advisory lock on PostgreSQL, ``BEGIN IMMEDIATE`` on
SQLite) so the chain never forks; the tables also refuse UPDATE and DELETE.

A unit of work keeps its entries (``pending``) until it commits and then links them
all with ``append_pending``, its last statements: the lock is held over those inserts
and the commit only, not over the rest of the transaction (ADR 0014).

Removing the newest entries leaves a chain that still fits together; only a record of
the head kept elsewhere shows it. ``head`` is what gets anchored (services/common/
audit_anchor.py), and ``check_anchor`` compares the chain with an anchored head.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Table, TextClause, func, insert, select, text
from sqlalchemy.orm import Session

from services.common.call_context import CallContext

GENESIS_HASH = "0" * 64
# Any fixed 64-bit number: the key of the advisory lock that serialises appends.
_AUDIT_LOCK_KEY = 7_204_115_990_213


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)


def _as_utc(at: datetime) -> datetime:
    # SQLite hands datetimes back without a zone; they were written as UTC.
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    material = dict(fields)
    material["at"] = _as_utc(material["at"]).isoformat(timespec="microseconds")
    return hashlib.sha256((prev_hash + _canonical(material)).encode()).hexdigest()


_HASHED_FIELDS = ("at", "actor_id", "actor_role", "action", "entity_type", "entity_id",
                  "request_id", "changes")


def lock_chain(session: Session) -> None:
    """Serialise with every other writer of this chain until the transaction ends
    (SQLite's ``BEGIN IMMEDIATE`` already does)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _AUDIT_LOCK_KEY})


def _locked_head(session: Session, table: Table) -> str:
    """Take the chain's lock, then read the hash of its newest entry.

    On PostgreSQL both statements travel in one query string, one round trip fewer
    while the lock is held: under READ COMMITTED each statement of a string takes its
    own snapshot when it starts, so the read starts after the lock is granted and sees
    every entry committed before it, as it would on its own."""
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql":
        return session.execute(_lock_then_head(table, dialect)
                               ).scalar_one_or_none() or GENESIS_HASH
    lock_chain(session)
    return session.execute(_newest(table)).scalar_one_or_none() or GENESIS_HASH


def _newest(table: Table):
    return select(table.c.hash).order_by(table.c.id.desc()).limit(1)


@cache
def _lock_then_head(table: Table, dialect) -> TextClause:
    read = _newest(table).compile(dialect=dialect, compile_kwargs={"literal_binds": True})
    return text(f"SELECT pg_advisory_xact_lock({_AUDIT_LOCK_KEY}); {read}")


@dataclass(frozen=True)
class Pending:
    """An entry not yet in the chain: everything but its time and its hashes."""

    actor_id: str | None
    actor_role: str | None
    action: str
    entity_type: str
    entity_id: str
    request_id: str | None
    changes: Any


def pending(ctx: CallContext, *, action: str, entity_type: str, entity_id: str,
            changes: dict[str, Any]) -> Pending:
    """An entry as the call makes it now; ``changes`` is copied (through JSON, so what
    is hashed is exactly what is stored), so later edits of the dict do not reach it."""
    return Pending(actor_id=ctx.actor_id, actor_role=ctx.actor_role, action=action,
                   entity_type=entity_type, entity_id=str(entity_id),
                   request_id=ctx.request_id, changes=json.loads(_canonical(changes)))


def append_pending(session: Session, table: Table, entries: list[Pending]) -> list[str]:
    """Link ``entries`` into the chain, in order, in the caller's transaction: take the
    chain's lock, read the head, insert each entry after the one before. The lock is
    held to the end of the transaction, so call this last, just before the commit.
    Each entry's ``at`` is the moment it is linked: under the lock, so ``at`` does not
    go back along the chain. Returns the hashes."""
    if not entries:
        return []
    prev = _locked_head(session, table)
    digests = []
    for entry in entries:
        fields = {"at": datetime.now(UTC), "actor_id": entry.actor_id,
                  "actor_role": entry.actor_role, "action": entry.action,
                  "entity_type": entry.entity_type, "entity_id": entry.entity_id,
                  "request_id": entry.request_id, "changes": entry.changes}
        digest = entry_hash(prev, fields)
        session.execute(insert(table).values(prev_hash=prev, hash=digest, **fields))
        digests.append(digest)
        prev = digest
    return digests


def append(session: Session, table: Table, ctx: CallContext, *, action: str,
           entity_type: str, entity_id: str, changes: dict[str, Any]) -> str:
    """Add one entry in the caller's transaction now (for writers outside a unit of
    work; the chain's lock is then held from here to the commit); returns its hash."""
    return append_pending(session, table, [pending(
        ctx, action=action, entity_type=entity_type, entity_id=entity_id,
        changes=changes)])[0]


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries_checked: int
    first_bad_entry_id: int | None = None
    reason: str = ""


def verify(session: Session, table: Table, *, batch: int = 5000) -> Verification:
    """Walk the chain from the first entry; report the first entry that does not fit."""
    prev = GENESIS_HASH
    checked = 0
    last_id = 0
    while True:
        rows = session.execute(
            select(table).where(table.c.id > last_id).order_by(table.c.id).limit(batch)
        ).mappings().all()
        if not rows:
            return Verification(ok=True, entries_checked=checked)
        for row in rows:
            if row["prev_hash"] != prev:
                return Verification(False, checked, row["id"],
                                    "entry does not follow the one before it")
            fields = {name: row[name] for name in _HASHED_FIELDS}
            if entry_hash(prev, fields) != row["hash"]:
                return Verification(False, checked, row["id"],
                                    "entry was changed after it was written")
            prev = row["hash"]
            checked += 1
            last_id = row["id"]


@dataclass(frozen=True)
class Head:
    """The newest entry of a chain and how many entries it has."""

    last_id: int
    last_hash: str
    entries: int


def head(session: Session, table: Table, *, since: Head | None = None) -> Head | None:
    """The chain's head (None while it is empty). Given an earlier head whose entry is
    still there with its hash, only the entries after it are counted."""
    row = session.execute(select(table.c.id, table.c.hash).order_by(table.c.id.desc())
                          .limit(1)).first()
    if row is None:
        return None
    earlier = since is not None and session.execute(
        select(table.c.hash).where(table.c.id == since.last_id)).scalar() == since.last_hash
    if earlier:
        entries = since.entries + session.execute(
            select(func.count()).select_from(table).where(table.c.id > since.last_id)
        ).scalar_one()
    else:
        entries = session.execute(select(func.count()).select_from(table)).scalar_one()
    return Head(last_id=row.id, last_hash=row.hash, entries=entries)


@dataclass(frozen=True)
class AnchorCheck:
    """How a chain compares with an anchored head. ``status``: ``ok``; ``truncated``
    (the anchored entry is gone, or fewer entries than were anchored); ``rewritten``
    (the anchored entry is there with another hash)."""

    status: str
    entry_id: int
    expected_hash: str
    found_hash: str | None
    anchored_entries: int
    found_entries: int
    reason: str = ""


def holds(session: Session, table: Table, anchored: Head) -> bool:
    """True if the anchored entry is still there with its hash (one primary-key read)."""
    return session.execute(select(table.c.hash).where(table.c.id == anchored.last_id)
                           ).scalar() == anchored.last_hash


def check_anchor(session: Session, table: Table, anchored: Head) -> AnchorCheck:
    """Compare the chain with ``anchored``, a head recorded outside this database."""
    found = session.execute(select(table.c.hash).where(table.c.id == anchored.last_id)
                            ).scalar()
    count = session.execute(select(func.count()).select_from(table)
                            .where(table.c.id <= anchored.last_id)).scalar_one()
    check = {"entry_id": anchored.last_id, "expected_hash": anchored.last_hash,
             "found_hash": found, "anchored_entries": anchored.entries,
             "found_entries": count}
    if found is None:
        return AnchorCheck("truncated", **check, reason=(
            f"entry #{anchored.last_id}, the anchored head, is missing: {count} of the "
            f"{anchored.entries} anchored entries are left"))
    if found != anchored.last_hash:
        return AnchorCheck("rewritten", **check, reason=(
            f"entry #{anchored.last_id} carries {found}, not the anchored "
            f"{anchored.last_hash}"))
    if count < anchored.entries:
        return AnchorCheck("truncated", **check, reason=(
            f"{anchored.entries - count} of the {anchored.entries} entries up to "
            f"#{anchored.last_id} are missing"))
    return AnchorCheck("ok", **check)


def read(session: Session, table: Table, *, entity_type: str | None = None,
         entity_id: str | None = None, actor_id: str | None = None,
         action: str | None = None, since: datetime | None = None,
         until: datetime | None = None, limit: int = 50, offset: int = 0,
         where: ColumnElement[bool] | None = None) -> dict[str, Any]:
    """One page of entries, newest first, matching every filter given (``where``: a
    domain's own condition, e.g. the entities under an office)."""
    query = select(table)
    if where is not None:
        query = query.where(where)
    for column, value in (("entity_type", entity_type), ("entity_id", entity_id),
                          ("actor_id", actor_id), ("action", action)):
        if value is not None:
            query = query.where(table.c[column] == value)
    if since is not None:
        query = query.where(table.c.at >= since)
    if until is not None:
        query = query.where(table.c.at < until)
    rows = session.execute(query.order_by(table.c.id.desc()).offset(offset)
                           .limit(limit + 1)).mappings().all()
    items = [{"id": row["id"], "at": _as_utc(row["at"]).isoformat(),
              "actor_id": row["actor_id"], "actor_role": row["actor_role"],
              "action": row["action"], "entity_type": row["entity_type"],
              "entity_id": row["entity_id"], "request_id": row["request_id"],
              "changes": row["changes"], "hash": row["hash"]} for row in rows[:limit]]
    return {"items": items, "next_offset": offset + limit if len(rows) > limit else None}
