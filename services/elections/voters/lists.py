"""The voter list as the rest of the workflow reads it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from services.common import like
from services.elections.tables import publication, voter

_final_published = select(publication.c.id).where(
    publication.c.election_id == bindparam("election_id"),
    publication.c.kind == "final_voter_list")
_voter = select(voter).where(voter.c.election_id == bindparam("election_id"),
                             voter.c.membership_number == bindparam("number"))


def final_voter(session: Session, election_id: str, membership_number: str) -> Any:
    """The voter on the published final list, or None (no final list yet, not on it,
    or struck off by an upheld objection)."""
    if session.execute(_final_published, {"election_id": election_id}).first() is None:
        return None
    row = session.execute(_voter, {"election_id": election_id,
                                   "number": membership_number}).one_or_none()
    return row if row is not None and row.on_list else None


# ----------------------------------------------------------------------------- reading

KINDS = {"provisional": "provisional_voter_list", "final": "final_voter_list"}
STAGES = {"provisional": "provisional_list", "final": "final_list"}

_publication = select(publication).where(publication.c.election_id == bindparam("election_id"),
                                         publication.c.kind == bindparam("kind"))


def published(session: Session, election_id: str, kind: str) -> Any:
    """The publication row of the provisional or final list, or None."""
    return session.execute(_publication, {"election_id": election_id,
                                          "kind": KINDS[kind]}).one_or_none()


def on_list(session: Session, election_id: str, membership_number: str) -> Any:
    """The voter now on the list (provisional, as objections leave it), or None."""
    row = session.execute(_voter, {"election_id": election_id,
                                   "number": membership_number}).one_or_none()
    return row if row is not None and row.on_list else None


def voter_row(session: Session, election_id: str, membership_number: str) -> Any:
    return session.execute(_voter, {"election_id": election_id,
                                    "number": membership_number}).one_or_none()


def voter_dict(row: Any) -> dict:
    return {"serial_no": row.serial_no, "membership_number": row.membership_number,
            "name": row.name, "category": row.category, "on_list": row.on_list,
            "source": row.source, "changed_by_objection": row.changed_by_objection,
            "booth": row.booth}


def _escape(prefix: str) -> str:
    return like.literal(prefix) + "%"


def search(session: Session, election_id: str, *, category: str | None, q: str | None,
           include_struck_off: bool, limit: int, offset: int) -> dict:
    """Voters in serial order; ``q`` a prefix of the name or the membership number."""
    where = [voter.c.election_id == election_id]
    if not include_struck_off:
        where.append(voter.c.on_list.is_(True))
    if category:
        where.append(voter.c.category == category)
    if q:
        pattern = _escape(q.casefold())
        where.append(func.lower(voter.c.name).like(pattern, escape=like.ESCAPE)
                     | func.lower(voter.c.membership_number).like(pattern, escape=like.ESCAPE))
    total = session.execute(select(func.count()).select_from(voter).where(*where)).scalar()
    rows = session.execute(select(voter).where(*where).order_by(voter.c.serial_no)
                           .limit(limit).offset(offset))
    items = [voter_dict(r) for r in rows]
    more = offset + limit < total
    return {"items": items, "total": total, "next_offset": offset + limit if more else None}


def page(session: Session, election_id: str, kind: str, after: int | None,
         limit: int) -> tuple[list[dict], int | None]:
    """One page of a list in serial order. The final list: the voters on it. The
    provisional list: the voters drawn from the register (as objections left them)."""
    where = [voter.c.election_id == election_id, voter.c.serial_no > (after or 0)]
    if kind == "final":
        where.append(voter.c.on_list.is_(True))
    else:
        where.append(voter.c.source == "register")
    rows = list(session.execute(
        select(voter.c.serial_no, voter.c.membership_number, voter.c.name, voter.c.category,
               voter.c.booth)
        .where(*where).order_by(voter.c.serial_no).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    items = [{"serial_no": r.serial_no, "membership_number": r.membership_number,
              "name": r.name, "category": r.category, "booth": r.booth} for r in rows]
    return items, (rows[-1].serial_no if more else None)
