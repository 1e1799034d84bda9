"""The office's compliance view of one form and period, as SQL over the roster: every
society the form applies to under the caller's office, filed (on time or late, by how
many days) or not (overdue by how many days, or not yet due), counted by status and
listed a page at a time in the order state, district, name.

A form may have a state's own version beside the national one; each version covers its
own societies with its own period and due date, so the query is one branch per version
(nearly always one). Counts come without joining the roster to its returns: who owes
from the roster's index (``ix_society_roster_owed``), who filed from ``filed_return``
(the filed returns with the roster's attributes beside them), the rest unfiled. The
office's societies come from ``roster_office`` by index, and a page from
``ix_society_roster_listing`` without sorting the whole roster (docs/performance.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, and_, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.errors import NotFound
from services.filings import scopes
from services.filings.compliance.due import society_forms
from services.filings.compliance.filed import FILED
from services.filings.forms import periods, schema
from services.filings.tables import filed_return, filing, roster_office, society_roster

STATUSES = ("filed_on_time", "filed_late", "overdue", "not_yet_due")


def compliance(session: Session, ctx: CallContext, query: Any, today: date) -> dict:
    versions = society_forms(session).get(query.form_code)
    if not versions:
        raise NotFound("No such form filed by societies.", {"form_code": query.form_code})
    summary = dict.fromkeys(STATUSES, 0)
    branches = []
    for jurisdiction, form in sorted(versions.items()):
        scope = _Branch.of(ctx, query, jurisdiction, form, versions, today)
        if scope is None:
            continue
        owed = session.execute(select(func.count()).select_from(society_roster)
                               .where(*scope.roster_where())).scalar_one()
        late, on_time = session.execute(
            select(func.count().filter(filed_return.c.days_late > 0), func.count())
            .where(*scope.filed_where())).one()
        on_time -= late
        summary["filed_late"] += late
        summary["filed_on_time"] += on_time
        summary[scope.unfiled] += owed - late - on_time
        branches.append(scope.rows())
    if not branches:
        return {"form_code": query.form_code, "as_on": today.isoformat(),
                "summary": summary, "items": [], "next_offset": None}
    rows = (branches[0] if len(branches) == 1 else union_all(*branches)).subquery("owed")
    page = select(rows)
    if query.status:
        page = page.where(rows.c.status == query.status)
    page = (page.order_by(rows.c.state, rows.c.district, rows.c.name, rows.c.society_id)
            .offset(query.offset).limit(query.limit + 1))
    found = session.execute(page).all()
    more = len(found) > query.limit
    return {"form_code": query.form_code, "as_on": today.isoformat(), "summary": summary,
            "items": [_item(query.form_code, r) for r in found[:query.limit]],
            "next_offset": query.offset + query.limit if more else None}


class _Branch:
    """One version of the form and the societies it covers under the caller's office:
    the same conditions over the roster (who owes the return) and over the filed
    returns (who filed it), and the page's rows with their status."""

    def __init__(self, form: schema.Form, end: date, due: date, today: date,
                 places: list[tuple[str, Any]], offices: list[str] | None):
        self.form, self.end, self.due = form, end, due
        self.places, self.offices = places, offices
        self.unfiled = "overdue" if today > due else "not_yet_due"
        self.days_overdue = max(0, (today - due).days)

    @classmethod
    def of(cls, ctx: CallContext, query: Any, jurisdiction: str, form: schema.Form,
           versions: dict[str, schema.Form], today: date) -> _Branch | None:
        """None when this version cannot apply: another state asked for, not one of its
        period ends, or an officer whose grant names no office."""
        national = jurisdiction == schema.JURISDICTION_NATIONAL
        if query.state and not national and query.state != jurisdiction:
            return None
        end = query.period_end or periods.latest_due_period(form, today)
        if not periods.is_period_end(form, end):
            return None
        # (column, condition) pairs, applied alike to the roster and the filed returns
        places: list[tuple[str, Any]] = []
        if national:
            own = sorted(j for j in versions if j != schema.JURISDICTION_NATIONAL)
            if own:
                places.append(("state", lambda c, own=own: c.notin_(own)))
        else:
            places.append(("state", lambda c: c == jurisdiction))
        if form.society_types:
            places.append(("type", lambda c: c.in_(form.society_types)))
        for column in ("state", "district", "type"):
            wanted = getattr(query, column)
            if wanted:
                places.append((column, lambda c, wanted=wanted: c == wanted))
        offices = None
        if not scopes.is_national_staff(ctx):
            offices = scopes.scoped_ids(ctx, "office")
            if not offices:
                return None
        return cls(form, end, periods.due_on(form, end), today, places, offices)

    def _where(self, table) -> list:
        where = [table.c.registration_date < self.end]
        where += [condition(table.c[column]) for column, condition in self.places]
        if self.offices is not None:
            where.append(table.c.society_id.in_(
                select(roster_office.c.society_id)
                .where(roster_office.c.office_id.in_(self.offices))))
        return where

    def roster_where(self) -> list:
        return self._where(society_roster)

    def filed_where(self) -> list:
        return [filed_return.c.form_code == self.form.code,
                filed_return.c.period_end == self.end, *self._where(filed_return)]

    def rows(self):
        roster = society_roster.c
        returned = filing.alias("returned")
        filed = returned.c.status.in_(FILED)
        return (select(
            roster.society_id, roster.name, roster.state, roster.district, roster.type,
            literal(self.end, Date).label("period_end"),
            literal(self.due, Date).label("due_on"),
            case((and_(filed, returned.c.days_late > 0), "filed_late"),
                 (filed, "filed_on_time"), else_=self.unfiled).label("status"),
            case((filed, returned.c.days_late),
                 else_=literal(self.days_overdue, Integer)).label("days_late"),
            returned.c.status.label("filing_status"), returned.c.ack_number,
            returned.c.submitted_at)
            .select_from(society_roster.outerjoin(returned, and_(
                returned.c.form_code == self.form.code,
                returned.c.filer_id == roster.society_id,
                returned.c.period_end == self.end)))
            .where(*self.roster_where()))


def _item(form_code: str, row: Any) -> dict:
    return {"society_id": row.society_id, "name": row.name, "state": row.state,
            "district": row.district, "type": row.type, "form_code": form_code,
            "period_end": _iso(row.period_end), "due_on": _iso(row.due_on),
            "status": row.status, "days_late": row.days_late,
            "filing_status": row.filing_status, "ack_number": row.ack_number,
            "submitted_at": row.submitted_at.isoformat() if row.submitted_at else None}


def _iso(value: Any) -> str:
    """A date the database handed back (SQLite may give the literal as text)."""
    return value if isinstance(value, str) else value.isoformat()
