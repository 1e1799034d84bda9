"""Hearings and orders on a session, and what anyone may read of a court case."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from services.common.errors import Conflict, NotFound
from services.common.india import INDIA, day_text, moment_text
from services.grievance.tables import case, hearing, order


def ensure_new_court_case(session: Session, court: str, number: str) -> None:
    found = session.execute(select(case.c.number).where(
        case.c.kind == "court_case", case.c.court == court,
        case.c.reference == number)).first()
    if found is not None:
        raise Conflict("This court's case is already recorded.",
                       {"court": court, "number": number, "case_number": found.number})


def add_hearing(session: Session, case_id: str, command: Any, actor_id: str,
                now: datetime) -> datetime:
    at = command.hearing_at
    if at.tzinfo is None:
        at = at.replace(tzinfo=INDIA)
    session.execute(insert(hearing).values(
        case_id=case_id, hearing_at=at, place=command.place, purpose=command.purpose,
        alert_phones=list(command.alert_phones), recorded_by=actor_id, recorded_at=now))
    return at


def add_order(session: Session, case_id: str, command: Any, actor_id: str,
              now: datetime) -> None:
    session.execute(insert(order).values(
        case_id=case_id, order_date=command.order_date, summary=command.summary,
        document_id=command.document_id, final=command.final, recorded_by=actor_id,
        recorded_at=now))


def hearings_of(session: Session, case_id: str) -> list[dict[str, Any]]:
    rows = session.execute(select(hearing).where(hearing.c.case_id == case_id)
                           .order_by(hearing.c.hearing_at, hearing.c.id))
    return [{"hearing_at": r.hearing_at.isoformat(), "when": moment_text(r.hearing_at),
             "place": r.place, "purpose": r.purpose} for r in rows]


def orders_of(session: Session, case_id: str) -> list[dict[str, Any]]:
    rows = session.execute(select(order).where(order.c.case_id == case_id)
                           .order_by(order.c.id))
    return [{"order_date": r.order_date.isoformat(), "dated": day_text(r.order_date),
             "summary": r.summary, "document_id": r.document_id, "final": r.final}
            for r in rows]


def public_status(session: Session, number: str, now: datetime) -> dict[str, Any]:
    """A court case by the court's number or the platform's: parties, state, hearings
    (the next one), orders. Other kinds are not public (404)."""
    row = session.execute(select(case).where(
        case.c.kind == "court_case",
        or_(case.c.reference == number, case.c.number == number))
        .order_by(case.c.opened_at)).first()
    if row is None:
        raise NotFound("No court case with this number.", {"number": number})
    hearings = hearings_of(session, row.id)
    upcoming = [h for h in hearings if datetime.fromisoformat(h["hearing_at"]) >= now]
    return {"number": row.reference, "case_number": row.number, "court": row.court,
            "subject": row.subject, "state": row.state,
            "petitioners": row.parties.get("petitioners", []),
            "respondents": row.parties.get("respondents", []),
            "hearings": hearings, "next_hearing": upcoming[0] if upcoming else None,
            "orders": [{k: v for k, v in o.items() if k != "document_id"}
                       for o in orders_of(session, row.id)]}
