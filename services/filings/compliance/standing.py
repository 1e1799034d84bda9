"""A society's good standing, from what this service knows: no return overdue (each
form that applies to it) and its audit up to date. The answer names each reason.

``refresh`` recomputes it where something changed for the society (enrolled, a return
filed or decided or fallen overdue, an audit recorded) and gives the
``society_standing_changed`` event when the standing or what it rests on changed; the
registry shows it in its directory. Day counts are not part of what it rests on, so a
return one more day overdue announces nothing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from services.common.contracts.filings import SocietyStandingChangedV1
from services.common.india import INDIA
from services.filings.audits import status as audits
from services.filings.compliance import due
from services.filings.tables import society_roster


def good_standing(session: Session, society: Any, today: date,
                  forms: dict | None = None) -> dict:
    calendar = due.calendar(session, society, today, forms)
    overdue = [{"form_code": f["form_code"], "period_end": f["next_period_end"],
                "due_on": f["next_due_on"], "days_overdue": f["days_overdue"]}
               for f in calendar["forms"] if f["overdue"]]
    audit = audits.status_of(society, audits.audited_years(session, society.society_id),
                             today)
    reasons = [f"{o['form_code']} for the period ended {o['period_end']} is "
               f"{o['days_overdue']} days overdue" for o in overdue]
    if audit["category"] != "up_to_date":
        reasons.append(f"audit pending for {audit['years_pending']} year(s): "
                       + ", ".join(audit["pending_years"]))
    return {"society_id": society.society_id, "as_on": today.isoformat(),
            "good_standing": not reasons, "reasons": reasons,
            "overdue_returns": overdue, "audit": audit["category"]}


def refresh(session: Session, society_id: str, today: date, now: datetime,
            forms: dict | None = None) -> SocietyStandingChangedV1 | None:
    """Recompute and keep the society's standing; the event when it changed, else None.
    A society the roster does not hold (an office's filer, say) has no standing."""
    society = session.execute(society_roster.select().where(
        society_roster.c.society_id == society_id).with_for_update()).first()
    if society is None:
        return None
    found = good_standing(session, society, today, forms)
    basis = sorted([f"{o['form_code']}@{o['period_end']}" for o in found["overdue_returns"]]
                   + [f"audit:{found['audit']}"])
    if society.good_standing == found["good_standing"] and society.standing_basis == basis:
        return None
    session.execute(update(society_roster).where(society_roster.c.society_id == society_id)
                    .values(good_standing=found["good_standing"], standing_basis=basis))
    return SocietyStandingChangedV1(
        society_id=society_id, good_standing=found["good_standing"],
        reasons=found["reasons"], as_on=today, changed_at=now)


def changes(session: Session, society_id: str, now: datetime,
            today: date | None = None, forms: dict | None = None) -> list:
    """``refresh`` (as on today in India unless ``today``) as a list of events to emit,
    empty or one."""
    event = refresh(session, society_id, today or now.astimezone(INDIA).date(), now, forms)
    return [event] if event is not None else []
