"""A society's board as its elections declared it. The elections service announces each
declared result (the directors, then the office bearers); the register keeps every one and
shows the newest of each contest as the board today."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.contracts.elections_counting import ResultDeclaredV1
from services.registry.societies.tables import society_board

CONTESTS = ("board", "office_bearer")


def record(session: Session, event: ResultDeclaredV1, at: datetime) -> bool:
    """Keep a declared result; False when this election's result was already kept."""
    if session.execute(select(society_board.c.election_id).where(
            society_board.c.society_id == event.society_id,
            society_board.c.election_id == event.election_id,
            society_board.c.contest == event.contest)).first():
        return False
    session.execute(society_board.insert().values(
        society_id=event.society_id, election_id=event.election_id, contest=event.contest,
        election_number=event.number,
        members=[{"name": e.candidate_name, "membership_number": e.membership_number,
                  "category": e.category} for e in event.elected],
        declared_at=event.declared_at, recorded_at=at))
    return True


def current(session: Session, society_id: str) -> dict[str, Any] | None:
    """The newest declared directors and office bearers (None before any election)."""
    found: dict[str, Any] = {}
    for r in session.execute(select(society_board).where(
            society_board.c.society_id == society_id)
            .order_by(society_board.c.declared_at)):
        found[r.contest] = r
    if not found:
        return None
    directors, bearers = found.get("board"), found.get("office_bearer")
    return {
        "election_id": (directors or bearers).election_id,
        "election_number": (directors or bearers).election_number,
        "directors": list(directors.members) if directors else [],
        "directors_declared_at": directors.declared_at.isoformat() if directors else None,
        "office_bearers": list(bearers.members) if bearers else [],
        "office_bearers_declared_at": bearers.declared_at.isoformat() if bearers else None,
    }
