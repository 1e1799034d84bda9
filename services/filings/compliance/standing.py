"""A society's good standing, from what this service knows: no return overdue (each
form that applies to it) and its audit up to date. The answer names each reason."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from services.filings.audits import status as audits
from services.filings.compliance import due


def good_standing(session: Session, society: Any, today: date) -> dict:
    calendar = due.calendar(session, society, today)
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
