"""Audit status (seed 000: accounts audited within six months of the financial year's
end, April to March; seed 002 counts societies whose audit is up to date, pending 1 to 3
years, or pending more than 3 years).

A year's audit is due once six months have passed since its 31 March. The years pending
are the due years, from the first one ending after registration, not audited."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.errors import Conflict, InvalidInput
from services.filings import scopes
from services.filings.tables import audit_record, society_roster

CATEGORIES = ("up_to_date", "pending_1_3", "pending_over_3")
_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def year_end(financial_year: str) -> date:
    """'2024-25' -> 31-03-2025; anything else is refused."""
    match = _YEAR.match(financial_year)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise InvalidInput("A financial year is written 2024-25.",
                           fields={"financial_year": "like 2024-25 (April to March)"})
    return date(int(match.group(1)) + 1, 3, 31)


def year_name(end_year: int) -> str:
    return f"{end_year - 1}-{end_year % 100:02d}"


def due_years(registered_on: date, today: date) -> list[str]:
    """Financial years whose audit is due by ``today`` (six months after 31 March)."""
    first = registered_on.year + (1 if registered_on > date(registered_on.year, 3, 31) else 0)
    last = today.year if today >= date(today.year, 9, 30) else today.year - 1
    return [year_name(y) for y in range(first, last + 1)]


def status_of(society: Any, audited: set[str], today: date) -> dict:
    pending = [y for y in due_years(society.registration_date, today) if y not in audited]
    category = ("up_to_date" if not pending else
                "pending_1_3" if len(pending) <= 3 else "pending_over_3")
    return {"society_id": society.society_id, "name": society.name,
            "as_on": today.isoformat(), "category": category,
            "years_pending": len(pending), "pending_years": pending,
            "last_audited_year": max(audited) if audited else None}


def record(session: Session, ctx: CallContext, society: Any, command: Any,
           now: datetime) -> None:
    end = year_end(command.financial_year)
    if end < society.registration_date:
        raise InvalidInput("The society was not registered in that year.",
                           fields={"financial_year": f"registered on "
                                   f"{society.registration_date.isoformat()}"})
    if command.audited_on <= end:
        raise InvalidInput("A year is audited after it ends.",
                           fields={"audited_on": f"after {end.isoformat()}"})
    try:
        with session.begin_nested():
            session.execute(audit_record.insert().values(
                society_id=society.society_id, financial_year=command.financial_year,
                audited_on=command.audited_on, auditor_name=command.auditor_name,
                report_document_id=command.report_document_id,
                recorded_by=ctx.actor_id or "system", recorded_at=now))
    except IntegrityError as exc:
        raise Conflict("That year's audit is already recorded.",
                       {"society_id": society.society_id,
                        "financial_year": command.financial_year}) from exc


def audited_years(session: Session, society_id: str) -> set[str]:
    return set(session.execute(select(audit_record.c.financial_year).where(
        audit_record.c.society_id == society_id)).scalars())


def position(session: Session, ctx: CallContext, query: Any, today: date) -> dict:
    """Societies under the caller's office by audit status (Table 1 item 17)."""
    stmt = select(society_roster)
    for column in ("state", "district", "type"):
        wanted = getattr(query, column)
        if wanted:
            stmt = stmt.where(society_roster.c[column] == wanted)
    audited: dict[str, set[str]] = {}
    for society_id, year in session.execute(select(audit_record.c.society_id,
                                                   audit_record.c.financial_year)):
        audited.setdefault(society_id, set()).add(year)
    counts = dict.fromkeys(CATEGORIES, 0)
    for society in session.execute(stmt).yield_per(1000):
        if not scopes.staff_reaches(ctx, society.office_chain):
            continue
        counts[status_of(society, audited.get(society.society_id, set()), today)[
            "category"]] += 1
    return {"as_on": today.isoformat(), "societies": sum(counts.values()), **counts}
