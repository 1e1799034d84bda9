"""The offices' monthly roll-up (``grievance_case_month``, with one
``grievance_case_resolution`` row per resolved case for the medians), kept in the
transaction of every change that moves it; cases/performance.py reads it.

- opening a case: ``opened`` + 1 in India's month it was received;
- a case entering a closed state other than ``withdrawn``: ``resolved`` + 1 (and
  ``resolved_with_sla``, ``resolved_within_sla``) in the month it closed, and its
  resolution row; leaving that (reopened, or moved on to another closed state): the same
  taken away again, as its resolution row recorded it;
- the escalation sweep: ``escalated`` + 1 for each case it moves up a level that had no
  escalation yet this month: one statement per batch.

A case counts for its office chain as stored (``office_ids``, as text, so an office
grant matches the roll-up as it matches the case) and for the first office of it.

``rebuild`` fills both tables from the stored cases, a page of cases at a time (the
migration that creates them; tests and benchmarks that store cases with SQL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Float,
    Integer,
    String,
    cast,
    delete,
    exists,
    extract,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy import case as when
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from services.common.india import INDIA
from services.grievance.tables import case, case_event, case_month, case_resolution

# Closed in these states, a case was not resolved (the complainant gave up).
NOT_RESOLVED = ("withdrawn",)
KEY = ("chain", "kind", "month")
RESOLVED = ("resolved", "resolved_with_sla", "resolved_within_sla")
PAGE = 20_000

chain = cast(case.c.office_ids, String)
routed = func.coalesce(case.c.office_ids[0].as_string(), "")    # '': a case of no office


def month_of(moment: datetime) -> str:
    """``YYYY-MM`` of India's month ``moment`` falls in."""
    return moment.astimezone(INDIA).strftime("%Y-%m")


def month_start(moment: datetime) -> datetime:
    """The moment India's month of ``moment`` began."""
    local = moment.astimezone(INDIA)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _postgres(db: Any) -> bool:
    bind = db if hasattr(db, "dialect") else db.get_bind()
    return bind.dialect.name == "postgresql"


def _month_sql(db: Any, column):
    """India's month of a stored moment, in SQL (India keeps +05:30 all year)."""
    if _postgres(db):
        return func.to_char(func.timezone(literal_column("INTERVAL '+05:30'"), column),
                            literal_column("'YYYY-MM'"))
    return func.strftime(literal_column("'%Y-%m'"), column,
                         literal_column("'+330 minutes'"))


def _days(db: Any):
    """(closed - received) in days as the median reads it: on PostgreSQL the expression
    the series always used, kept as a double; on SQLite (its median is taken in Python
    from the two moments) Julian days."""
    if _postgres(db):
        return cast(extract("epoch", case.c.closed_at - case.c.opened_at) / 86400.0, Float)
    return func.julianday(case.c.closed_at) - func.julianday(case.c.opened_at)


def _add(db: Any, rows, counters: tuple[str, ...]) -> None:
    """Add ``rows`` (chain, office, kind, month, then one value per counter) to the
    roll-up: a new row, or the counters summed into the row already there."""
    insert = pg_insert if _postgres(db) else sqlite_insert
    statement = insert(case_month).from_select(["chain", "office", "kind", "month",
                                                *counters], rows)
    db.execute(statement.on_conflict_do_update(
        index_elements=list(KEY),
        set_={c: case_month.c[c] + statement.excluded[c] for c in counters}))


def opened(db: Any, case_id: str, now: datetime) -> None:
    _add(db, select(chain, routed, case.c.kind, literal(month_of(now), String),
                    literal(1, Integer)).where(case.c.id == case_id), ("opened",))


def _resolve(db: Any, which: Callable, month) -> None:
    """Resolution rows for the resolved cases ``which`` picks (by case id), in the
    month ``month`` says, and their counts."""
    res = case_resolution
    db.execute(res.insert().from_select(
        ["case_id", "chain", "kind", "month", "office", "opened_at", "closed_at", "days",
         "with_sla", "within_sla"],
        select(case.c.id, chain, case.c.kind, month, routed, case.c.opened_at,
               case.c.closed_at, _days(db),
               when((case.c.overall_due_at.is_not(None), 1), else_=0),
               when((case.c.closed_at <= case.c.overall_due_at, 1), else_=0))
        .where(which(case.c.id), case.c.closed_at.is_not(None),
               case.c.state.not_in(NOT_RESOLVED))))
    _add(db, select(res.c.chain, res.c.office, res.c.kind, res.c.month, func.count(),
                    func.sum(res.c.with_sla), func.sum(res.c.within_sla))
         .where(which(res.c.case_id))
         .group_by(res.c.chain, res.c.office, res.c.kind, res.c.month)
         .order_by(res.c.chain, res.c.kind, res.c.month), RESOLVED)


def _unresolve(db: Any, case_id: str) -> None:
    res = case_resolution
    _add(db, select(res.c.chain, res.c.office, res.c.kind, res.c.month, literal(-1, Integer),
                    -res.c.with_sla, -res.c.within_sla).where(res.c.case_id == case_id),
         RESOLVED)
    db.execute(delete(res).where(res.c.case_id == case_id))


def is_resolved(state: str, closed_at: datetime | None) -> bool:
    """Whether a case in ``state``, closed at ``closed_at``, counts as resolved."""
    return closed_at is not None and state not in NOT_RESOLVED


def moved(db: Any, case_id: str, was_resolved: bool, now_resolved: bool,
          now: datetime) -> None:
    """A case's state changed (already written): its resolution follows."""
    if was_resolved:
        _unresolve(db, case_id)
    if now_resolved:
        _resolve(db, lambda column: column == case_id, literal(month_of(now), String))


def escalated(db: Any, case_ids: list[str], now: datetime) -> None:
    """Cases the sweep moved up a level at ``now`` (before their history is written):
    each counts in this month unless it was escalated already this month."""
    if not case_ids:
        return
    earlier = exists().where(case_event.c.case_id == case.c.id,
                             case_event.c.action == "escalate",
                             case_event.c.at >= month_start(now))
    _add(db, select(chain, routed, case.c.kind, literal(month_of(now), String),
                    func.count())
         .where(case.c.id.in_(case_ids), ~earlier)
         .group_by(chain, routed, case.c.kind).order_by(chain, case.c.kind),
         ("escalated",))


def rebuild(db: Any, page: int = PAGE) -> None:
    """Empty the roll-up and fill it from the stored cases and their history, ``page``
    cases at a time (by id)."""
    db.execute(delete(case_month))
    db.execute(delete(case_resolution))
    after = ""
    while True:
        upto = db.execute(select(case.c.id).where(case.c.id > after).order_by(case.c.id)
                          .offset(page - 1).limit(1)).scalar()

        def which(column, after=after, upto=upto):
            return (column > after) if upto is None else (column > after) & (column <= upto)

        received = _month_sql(db, case.c.opened_at)
        _add(db, select(chain, routed, case.c.kind, received, func.count())
             .where(which(case.c.id))
             .group_by(chain, routed, case.c.kind, received), ("opened",))
        _resolve(db, which, _month_sql(db, case.c.closed_at))
        moment = _month_sql(db, case_event.c.at)
        _add(db, select(chain, routed, case.c.kind, moment,
                        func.count(func.distinct(case_event.c.case_id)))
             .join_from(case_event, case, case.c.id == case_event.c.case_id)
             .where(case_event.c.action == "escalate", which(case.c.id))
             .group_by(chain, routed, case.c.kind, moment), ("escalated",))
        if upto is None:
            return
        after = upto
