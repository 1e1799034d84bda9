"""The append-only, hash-chained audit log: append an entry, verify the chain.

Each entry's hash covers its own fields and the previous entry's hash, so changing,
removing or reordering any committed entry breaks every hash after it. Writers are
serialised per database (an advisory lock on PostgreSQL, ``BEGIN IMMEDIATE`` on
SQLite) so the chain never forks; the tables also refuse UPDATE and DELETE.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, insert, select, text
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


def append(session: Session, table: Table, ctx: CallContext, *, action: str,
           entity_type: str, entity_id: str, changes: dict[str, Any]) -> str:
    """Add one entry in the caller's transaction; returns its hash."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _AUDIT_LOCK_KEY})
    prev = session.execute(
        select(table.c.hash).order_by(table.c.id.desc()).limit(1)
    ).scalar_one_or_none() or GENESIS_HASH
    fields = {
        "at": datetime.now(UTC),
        "actor_id": ctx.actor_id,
        "actor_role": ctx.actor_role,
        "action": action,
        "entity_type": entity_type,
        "entity_id": str(entity_id),
        "request_id": ctx.request_id,
        # Round-trip through JSON so what is hashed is exactly what is stored.
        "changes": json.loads(_canonical(changes)),
    }
    digest = entry_hash(prev, fields)
    session.execute(insert(table).values(prev_hash=prev, hash=digest, **fields))
    return digest


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


def read(session: Session, table: Table, *, entity_type: str | None = None,
         entity_id: str | None = None, actor_id: str | None = None,
         action: str | None = None, since: datetime | None = None,
         until: datetime | None = None, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """One page of entries, newest first, matching every filter given."""
    query = select(table)
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
