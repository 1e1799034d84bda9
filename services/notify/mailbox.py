"""Mailboxes: the messages of a society, an office or a user; read/unread, archive,
search, and pages with an opaque cursor over (created_at, id), newest first."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.common import like
from services.common.errors import InvalidInput, NotFound
from services.notify.models import mailbox_message

T = mailbox_message


def post(session: Session, *, mailbox_kind: str, mailbox_id: str, kind: str, subject: str,
         body: str, links: list[dict], source_key: str,
         now: datetime | None = None) -> bool:
    """Put a message in a mailbox once per ``source_key``; False when it was there."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    result = session.execute(insert(T).values(
        id=str(uuid.uuid4()), mailbox_kind=mailbox_kind, mailbox_id=mailbox_id, kind=kind,
        subject=subject[:300], body=body, links=links, source_key=source_key[:200],
        created_at=now or datetime.now(UTC), read_at=None, archived_at=None,
    ).on_conflict_do_nothing(index_elements=["mailbox_kind", "mailbox_id", "source_key"]))
    return bool(result.rowcount)


def _utc(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def wire(row) -> dict:
    return {"id": row.id, "mailbox_kind": row.mailbox_kind, "mailbox_id": row.mailbox_id,
            "kind": row.kind, "subject": row.subject, "body": row.body,
            "links": row.links, "created_at": _utc(row.created_at),
            "read_at": _utc(row.read_at), "archived_at": _utc(row.archived_at)}


def encode_cursor(created_at: datetime, message_id: str) -> str:
    raw = json.dumps([_utc(created_at).isoformat(), message_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        created_at, message_id = json.loads(base64.urlsafe_b64decode(padded))
        return datetime.fromisoformat(created_at), str(message_id)
    except (ValueError, TypeError):
        raise InvalidInput("Not a cursor of this list.",
                           fields={"cursor": "use next_cursor of the previous page"}) from None


def _like(text: str) -> str:
    return f"%{like.literal(text.lower())}%"


def list_page(session: Session, *, mailbox_kind: str, mailbox_id: str, state: str,
              archived: bool, kind: str | None, q: str | None, limit: int,
              cursor: str | None) -> dict:
    box = and_(T.c.mailbox_kind == mailbox_kind, T.c.mailbox_id == mailbox_id)
    where = [box, T.c.archived_at.is_not(None) if archived else T.c.archived_at.is_(None)]
    if state == "unread":
        where.append(T.c.read_at.is_(None))
    elif state == "read":
        where.append(T.c.read_at.is_not(None))
    if kind:
        where.append(T.c.kind == kind)
    if q:
        pattern = _like(q)
        where.append(or_(func.lower(T.c.subject).like(pattern, escape=like.ESCAPE),
                         func.lower(T.c.body).like(pattern, escape=like.ESCAPE)))
    if cursor:
        created_at, message_id = decode_cursor(cursor)
        where.append(or_(T.c.created_at < created_at,
                         and_(T.c.created_at == created_at, T.c.id < message_id)))
    rows = session.execute(select(T).where(*where)
                           .order_by(T.c.created_at.desc(), T.c.id.desc())
                           .limit(limit + 1)).all()
    unread = session.execute(select(func.count()).select_from(T).where(
        box, T.c.read_at.is_(None), T.c.archived_at.is_(None))).scalar_one()
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": [wire(row) for row in rows],
            "next_cursor": encode_cursor(rows[-1].created_at, rows[-1].id) if more else None,
            "unread": unread}


def update_message(session: Session, *, mailbox_kind: str, mailbox_id: str,
                   message_id: str, read: bool | None, archived: bool | None,
                   now: datetime | None = None) -> tuple[dict, dict]:
    """Mark read/unread and archive/unarchive; returns (message, what changed)."""
    now = now or datetime.now(UTC)
    where = and_(T.c.id == message_id, T.c.mailbox_kind == mailbox_kind,
                 T.c.mailbox_id == mailbox_id)
    row = session.execute(select(T).where(where)).one_or_none()
    if row is None:
        raise NotFound("No such message in this mailbox.")
    changes = {}
    if read is not None and (row.read_at is not None) != read:
        changes["read_at"] = now if read else None
    if archived is not None and (row.archived_at is not None) != archived:
        changes["archived_at"] = now if archived else None
    if changes:
        session.execute(update(T).where(where).values(**changes))
        row = session.execute(select(T).where(where)).one()
    return wire(row), {name: (value.isoformat() if value else None)
                       for name, value in changes.items()}
