"""The office's compliance view of one form and period, as SQL over the roster: every
society the form applies to under the caller's office, filed (on time or late, by how
many days) or not (overdue by how many days, or not yet due), counted by status and
listed a page at a time in the order state, district, name.

A form may have a state's own version beside the national one; each version covers its
own societies with its own period and due date, so the query is one branch per version
(nearly always one). Nothing joins the roster to its returns for the counts: who owes is
counted from ``roster_office`` and who filed from ``filed_return``, each the caller's
reach (the offices of the grant, or "*" for national staff) as a range of one index;
the rest are unfiled. A page is read from ``ix_roster_office_listing`` in order, and
only its societies' returns are looked up (docs/performance.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, and_, case, false, func, literal, select, union_all
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.errors import NotFound
from services.filings import scopes
from services.filings.compliance.due import society_forms
from services.filings.compliance.filed import FILED
from services.filings.forms import periods, schema
from services.filings.tables import REACH_NATIONAL, filed_return, filing, roster_office

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
        owed = session.execute(scope.owed()).scalar_one()
        late, on_time = session.execute(scope.filed()).one()
        on_time -= late
        summary["filed_late"] += late
        summary["filed_on_time"] += on_time
        summary[scope.unfiled] += owed - late - on_time
        branches.append(scope)
    if not branches:
        return {"form_code": query.form_code, "as_on": today.isoformat(),
                "summary": summary, "items": [], "next_offset": None}
    if len(branches) == 1:
        # the page of the roster first, then its 50 returns (not every society's)
        page = branches[0].rows(query.offset, query.limit + 1, query.status)
    else:
        rows = union_all(*(b.rows() for b in branches)).subquery("owed")
        page = select(rows)
        if query.status:
            page = page.where(rows.c.status == query.status)
        page = page.order_by(*_order(rows.c)).offset(query.offset).limit(query.limit + 1)
    found = session.execute(page).all()
    more = len(found) > query.limit
    return {"form_code": query.form_code, "as_on": today.isoformat(), "summary": summary,
            "items": [_item(query.form_code, r) for r in found[:query.limit]],
            "next_offset": query.offset + query.limit if more else None}


class _Branch:
    """One version of the form and the societies it covers under the caller's reach
    (the offices of the grant, or "*" for national staff): the same conditions over
    ``roster_office`` (who owes the return) and ``filed_return`` (who filed it), and the
    page's rows with their status."""

    def __init__(self, form: schema.Form, end: date, due: date, today: date,
                 places: list[tuple[str, Any]], reach: list[str]):
        self.form, self.end, self.due = form, end, due
        self.places, self.reach = places, reach
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
        # (column, condition) pairs, applied alike to both tables
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
        reach = [REACH_NATIONAL] if scopes.is_national_staff(ctx) \
            else scopes.scoped_ids(ctx, "office")
        if not reach:
            return None
        return cls(form, end, periods.due_on(form, end), today, places, reach)

    def _where(self, table) -> list:
        where = [table.c.office_id.in_(self.reach), table.c.registration_date < self.end]
        return where + [condition(table.c[column]) for column, condition in self.places]

    def _tally(self, table):
        """count(*); over two offices of one grant a society is counted once."""
        if len(self.reach) == 1:
            return func.count()
        return func.count(table.c.society_id.distinct())

    def owed(self):
        return select(self._tally(roster_office)).where(*self._where(roster_office))

    def filed(self):
        """(filed late, filed) of this form and period."""
        tally = self._tally(filed_return)
        return select(tally.filter(filed_return.c.days_late > 0), tally).where(
            filed_return.c.form_code == self.form.code,
            filed_return.c.period_end == self.end, *self._where(filed_return))

    def _having(self, status: str):
        """The roster rows whose return has ``status``, as a condition on
        ``filed_return`` (the filed row of the same reach, form, period and society)."""
        if status in ("overdue", "not_yet_due"):
            if status != self.unfiled:
                return false()
            return ~self._filed_row().exists()
        late = filed_return.c.days_late > 0
        return self._filed_row().where(late if status == "filed_late" else ~late).exists()

    def _filed_row(self):
        return select(filed_return.c.society_id).where(
            filed_return.c.office_id == roster_office.c.office_id,
            filed_return.c.form_code == self.form.code,
            filed_return.c.period_end == self.end,
            filed_return.c.society_id == roster_office.c.society_id)

    def rows(self, offset: int | None = None, limit: int | None = None,
             status: str | None = None):
        """Each society with its status; given ``offset`` and ``limit``, that page of
        the office's roster in the view's order (of those with ``status``, told by
        ``filed_return`` alone), with those societies' returns alone."""
        reach = roster_office.c
        societies = (select(reach.society_id, reach.name, reach.state, reach.district,
                            reach.type).where(*self._where(roster_office)))
        if status is not None:
            societies = societies.where(self._having(status))
        if len(self.reach) > 1:
            societies = societies.distinct()
        if limit is not None:
            societies = societies.order_by(*_order(reach)).offset(offset).limit(limit)
        listed = societies.subquery("listed")
        returned = filing.alias("returned")
        filed = returned.c.status.in_(FILED)
        rows = (select(
            listed.c.society_id, listed.c.name, listed.c.state, listed.c.district,
            listed.c.type, literal(self.end, Date).label("period_end"),
            literal(self.due, Date).label("due_on"),
            case((and_(filed, returned.c.days_late > 0), "filed_late"),
                 (filed, "filed_on_time"), else_=self.unfiled).label("status"),
            case((filed, returned.c.days_late),
                 else_=literal(self.days_overdue, Integer)).label("days_late"),
            returned.c.status.label("filing_status"), returned.c.ack_number,
            returned.c.submitted_at)
            .select_from(listed.outerjoin(returned, and_(
                returned.c.form_code == self.form.code,
                returned.c.filer_id == listed.c.society_id,
                returned.c.period_end == self.end))))
        return rows.order_by(*_order(listed.c)) if limit is not None else rows


def _order(columns) -> tuple:
    return (columns.state, columns.district, columns.name, columns.society_id)


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
