"""The draw of the voter list from the registry's register as on ``voters_as_on``
(31 March of the previous financial year, seed 003 para 12).

The RO's request only records a ``voter_list_draw`` row (status ``drawing``): an RPC
made inside the RO's call would carry the RO's scope and the registry would refuse it.
A timer of the service pages through the register as the platform, one page per
transaction (one INSERT per page, serial numbers in membership-number order), keeping
the registry's cursor in ``after`` so that a restart resumes where it stopped."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.errors import Conflict
from services.elections.tables import election, voter, voter_list_draw

DRAWING, DRAWN, FAILED = "drawing", "drawn", "failed"
PAGE_SIZE = 5000   # the registry's largest page (contracts.registry_members.MAX_PAGE)

_draw = select(voter_list_draw).where(voter_list_draw.c.election_id == bindparam("id"))


def draw_row(session: Session, election_id: str) -> Any:
    return session.execute(_draw, {"id": election_id}).one_or_none()


def start(session: Session, ctx: CallContext, row: Any, at: datetime) -> None:
    """Record the request; once per election (a failed draw may be asked for again)."""
    found = draw_row(session, row.id)
    if found is not None and found.status != FAILED:
        raise Conflict(f"The voter list is already {found.status}; it is drawn once.",
                       {"election_id": row.id, "status": found.status})
    values = {"status": DRAWING, "after": None, "drawn": 0, "error": None,
              "requested_by": ctx.actor_id, "started_at": at, "finished_at": None}
    if found is None:
        session.execute(voter_list_draw.insert().values(election_id=row.id, **values))
    else:
        session.execute(voter.delete().where(voter.c.election_id == row.id))
        session.execute(voter_list_draw.update().where(
            voter_list_draw.c.election_id == row.id).values(**values))


def _drawing():
    return (select(voter_list_draw, election.c.society_id, election.c.voters_as_on)
            .join(election, election.c.id == voter_list_draw.c.election_id)
            .where(voter_list_draw.c.status == DRAWING))


def next_job(session: Session, *, lock: bool = True) -> Any:
    """The oldest draw still drawing (locked, when asked: replicas take different ones)."""
    stmt = _drawing().order_by(voter_list_draw.c.started_at).limit(1)
    if lock:
        stmt = stmt.with_for_update(skip_locked=True, of=voter_list_draw)
    return session.execute(stmt).first()


def claim(session: Session, job: Any) -> Any:
    """The job again, locked, if it still stands where it stood when its page was asked
    for (no other worker wrote that page meanwhile); else None."""
    stmt = _drawing().where(voter_list_draw.c.election_id == job.election_id,
                            voter_list_draw.c.drawn == job.drawn,
                            voter_list_draw.c.started_at == job.started_at)
    stmt = stmt.where(voter_list_draw.c.after.is_(None) if job.after is None
                      else voter_list_draw.c.after == job.after)
    return session.execute(stmt.with_for_update(of=voter_list_draw)).first()


def registry_request(job: Any, limit: int | None = None) -> dict:
    return {"society_id": job.society_id, "as_on": job.voters_as_on.isoformat(),
            "filters": {"status": "active"}, "after": job.after, "limit": limit or PAGE_SIZE}


# On PostgreSQL a page goes in as one statement with one parameter, the page as JSON:
# 5,000 rows in about a tenth of the time executemany takes (docs/elections.md).
_PG_PAGE = text("""
INSERT INTO voter (election_id, serial_no, member_id, membership_number, name, category,
                   phone, email, language, on_list, source)
SELECT :election_id, r.serial_no, r.member_id, r.membership_number, r.name, r.category,
       r.phone, r.email, r.language, true, 'register'
FROM json_to_recordset(CAST(:rows AS json)) AS r(
    serial_no integer, member_id text, membership_number text, name text, category text,
    phone text, email text, language text)
""")


def add_page(session: Session, job: Any, page: dict, at: datetime) -> int:
    """Insert one page of members as voters; the last page ends the draw."""
    rows = [{"serial_no": job.drawn + n, "member_id": m["member_id"],
             "membership_number": m["membership_number"], "name": m["name"],
             "category": m["category"], "phone": m.get("phone"), "email": m.get("email"),
             "language": m.get("language") or "en"}
            for n, m in enumerate(page["items"], start=1)]
    if rows and session.get_bind().dialect.name == "postgresql":
        session.execute(_PG_PAGE, {"election_id": job.election_id, "rows": json.dumps(rows)})
    elif rows:
        session.execute(voter.insert(), [
            {**r, "election_id": job.election_id, "on_list": True, "source": "register",
             "changed_by_objection": None} for r in rows])
    values: dict[str, Any] = {"drawn": job.drawn + len(rows), "after": page.get("next")}
    if not page.get("next"):
        values.update(status=DRAWN, finished_at=at)
    session.execute(voter_list_draw.update().where(
        voter_list_draw.c.election_id == job.election_id).values(**values))
    return len(rows)


def fail(session: Session, job: Any, error: str, at: datetime) -> None:
    session.execute(voter_list_draw.update().where(
        voter_list_draw.c.election_id == job.election_id).values(
            status=FAILED, error=error[:2000], finished_at=at))


def ensure_drawn(session: Session, election_id: str) -> Any:
    found = draw_row(session, election_id)
    if found is None or found.status != DRAWN:
        state = "not drawn" if found is None else found.status
        raise Conflict(f"The voter list is {state}; it must be drawn from the register "
                       "first.", {"election_id": election_id,
                                  "status": found.status if found else "not_drawn"})
    return found


def counts(session: Session, election_id: str) -> dict[str, int]:
    found = {"individual": 0, "firm": 0, "society": 0}
    on_list = 0
    for category, listed, n in session.execute(
            select(voter.c.category, voter.c.on_list, func.count())
            .where(voter.c.election_id == election_id)
            .group_by(voter.c.category, voter.c.on_list)):
        if listed:
            found[category] = found.get(category, 0) + n
            on_list += n
    return {"on_list": on_list, "individuals": found["individual"],
            "firms": found["firm"], "societies": found["society"]}
