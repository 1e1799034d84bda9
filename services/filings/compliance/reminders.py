"""The due-soon and overdue reminders of society returns, set-based: for each form that
applies (its state's version or the national one, its types) and each of its periods of
the last two years now due soon or overdue, one ``INSERT ... SELECT`` over a batch of the
roster (``roster_office``'s national rows, in society order) that leaves out the
societies registered after the period ended and those whose return is filed
(``filed_return``), and skips what ``due_reminder`` already holds (``ON CONFLICT DO
NOTHING``). The rows it did insert, and only those, become events.

Once each, with two replicas: ``due_reminder``'s primary key decides. A replica inserting
a row another has inserted and not yet committed waits for that commit and then inserts
nothing; so a reminder is announced by the one transaction that stored it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Text, and_, cast, exists, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from services.common.contracts import filings as contracts
from services.filings.forms import periods, schema
from services.filings.tables import (
    REACH_NATIONAL,
    due_reminder,
    filed_return,
    roster_office,
    society_roster,
)

DUE_SOON_DAYS = 15
# Societies per transaction: the batch's reminders, their events and its audit entry
# commit together; other RPCs run between batches.
BATCH = 2000


@dataclass(frozen=True)
class Owed:
    """One form version's period whose return is due soon or overdue as on the day."""
    form: schema.Form
    period_end: date
    due_on: date
    kind: str                     # due_soon | overdue
    other_states: tuple[str, ...]  # for the national version: states with their own


def owed(forms: dict[str, dict[str, schema.Form]], today: date) -> list[Owed]:
    found = []
    for by_place in forms.values():
        own = tuple(sorted(j for j in by_place if j != schema.JURISDICTION_NATIONAL))
        for form in by_place.values():
            for end in periods.period_ends_between(form, today - timedelta(days=730),
                                                   today):
                due = periods.due_on(form, end)
                kind = ("overdue" if today > due else
                        "due_soon" if (due - today).days <= DUE_SOON_DAYS else None)
                if kind is not None:
                    found.append(Owed(form, end, due, kind, own))
    return sorted(found, key=lambda o: (o.form.code, o.form.jurisdiction, o.period_end))


def batch_end(session: Session, after: str) -> str | None:
    """The last society of the batch after ``after`` (None: the roster's rest)."""
    return session.execute(
        select(roster_office.c.society_id)
        .where(roster_office.c.office_id == REACH_NATIONAL,
               roster_office.c.society_id > after)
        .order_by(roster_office.c.society_id).offset(BATCH - 1).limit(1)).scalar()


def insert_for(session: Session):
    """The dialect's INSERT (with ON CONFLICT)."""
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def send(session: Session, owing: list[Owed], after: str, upto: str | None,
         now: datetime) -> list:
    """The reminders of the societies in (``after``, ``upto``] not sent before, stored
    and answered as events."""
    r = roster_office.c
    events = []
    for item in owing:
        form = item.form
        where = [r.office_id == REACH_NATIONAL, r.society_id > after,
                 r.registration_date < item.period_end,
                 ~exists().where(and_(filed_return.c.office_id == REACH_NATIONAL,
                                      filed_return.c.form_code == form.code,
                                      filed_return.c.period_end == item.period_end,
                                      filed_return.c.society_id == r.society_id))]
        if upto is not None:
            where.append(r.society_id <= upto)
        if form.jurisdiction == schema.JURISDICTION_NATIONAL:
            if item.other_states:
                where.append(r.state.notin_(item.other_states))
        else:
            where.append(r.state == form.jurisdiction)
        if form.society_types:
            where.append(r.type.in_(form.society_types))
        stored = session.execute(
            insert_for(session)(due_reminder).from_select(
                ["form_code", "society_id", "period_end", "kind", "sent_at"],
                select(literal(form.code), r.society_id, literal(item.period_end),
                       literal(item.kind), literal(now)).where(*where))
            .on_conflict_do_nothing().returning(due_reminder.c.society_id)).scalars().all()
        if not stored:
            continue
        names = dict(session.execute(
            select(r.society_id, r.name).where(r.office_id == REACH_NATIONAL,
                                               r.society_id.in_(stored))).all())
        model = (contracts.FilingOverdueV1 if item.kind == "overdue"
                 else contracts.FilingDueSoonV1)
        events += [model(form_code=form.code, form_title=form.title, society_id=society,
                         society_name=names[society], period_end=item.period_end,
                         due_on=item.due_on) for society in sorted(stored)]
    return events


def standing_moved(session: Session, events: list) -> list[str]:
    """The societies whose standing a batch's overdue events change: those whose last
    announced standing names no overdue return of that form (a return already overdue
    for an earlier period is what the standing rests on, and stays so)."""
    by_form: dict[str, set[str]] = {}
    for event in events:
        if isinstance(event, contracts.FilingOverdueV1):
            by_form.setdefault(event.form_code, set()).add(event.society_id)
    moved: set[str] = set()
    roster = society_roster.c
    for code, societies in by_form.items():
        basis = cast(roster.standing_basis, Text)
        moved.update(session.execute(
            select(roster.society_id).where(
                roster.society_id.in_(sorted(societies)),
                roster.standing_basis.is_(None)
                | ~basis.contains(f'"{code}@', autoescape=True))).scalars())
    return sorted(moved)
