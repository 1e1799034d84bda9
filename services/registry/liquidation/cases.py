"""Liquidation: an order places a society under liquidation with a liquidator; the
proceedings and the assets and liabilities are recorded until the case closes (the society
is wound up) or the society revives. ``return_counts`` answers what the half-yearly /
annual liquidation return RCS/LQR/01 (seed 002) asks, for an office and what lies below."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, insert, or_, select, update
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.contracts import registry as contracts
from services.common.errors import Conflict, InvalidInput, NotFound
from services.registry import scopes
from services.registry.liquidation import proposals
from services.registry.liquidation.tables import (
    liquidation_case,
    liquidation_entry,
    liquidation_proceeding,
)
from services.registry.societies import register as societies
from services.registry.societies.tables import society

LIQUIDABLE = ("registered", "revived")


def case_row(session: Session, case_id: str, *, lock: bool = False) -> Any:
    statement = select(liquidation_case).where(liquidation_case.c.id == case_id)
    row = session.execute(statement.with_for_update() if lock else statement).one_or_none()
    if row is None:
        raise NotFound("No such liquidation case.", {"case_id": case_id})
    return row


def ensure_case(session: Session, ctx: CallContext, row: Any) -> None:
    """Staff of the office (or above), or the liquidator of that society."""
    if scopes.reaches_office(session, ctx, row.office_id):
        return
    if ctx.actor_role == "liquidator" and row.society_id in scopes.scoped_ids(ctx, "society"):
        return
    raise NotFound("No such liquidation case.", {"case_id": row.id})


def order(session: Session, ctx: CallContext, command: Any) -> tuple[dict, list]:
    scopes.ensure_role(ctx, ("registrar",), "order a liquidation")
    target = societies.society_row(session, command.society_id, lock=True)
    scopes.ensure_society(session, ctx, target)
    if target.status not in LIQUIDABLE:
        raise Conflict(f"The society is {target.status}; it cannot be placed under "
                       f"liquidation.", {"society_status": target.status})
    if command.proposal_id:
        proposals.take_for_order(session, ctx, command.proposal_id, target.id)
    now = datetime.now(UTC)
    case_id = str(uuid.uuid4())
    session.execute(insert(liquidation_case).values(
        id=case_id, society_id=target.id, office_id=target.office_id, status="in_progress",
        order_ref=command.order_ref, ordered_on=command.ordered_on, reason=command.reason,
        liquidator_name=command.liquidator_name,
        liquidator_account_id=command.liquidator_account_id, charge_taken_over=False,
        traceable=True, created_at=now, updated_at=now))
    societies.set_status(session, target.id, "under_liquidation")
    if command.proposal_id:
        proposals.mark_ordered(session, ctx, command.proposal_id, case_id)
    event = contracts.SocietyStatusChangedV1(
        society_id=target.id, from_status=target.status, to_status="under_liquidation",
        reason=command.reason, order_ref=command.order_ref, office_id=target.office_id)
    return case_dict(session, case_row(session, case_id)), [event]


def _open_case(session: Session, ctx: CallContext, case_id: str) -> Any:
    row = case_row(session, case_id, lock=True)
    ensure_case(session, ctx, row)
    if row.status != "in_progress":
        raise Conflict(f"The liquidation is {row.status}.", {"status": row.status})
    return row


def add_proceeding(session: Session, ctx: CallContext, command: Any) -> dict:
    scopes.ensure_role(ctx, ("registrar", "dealing_officer", "liquidator"),
                       "record liquidation proceedings")
    row = _open_case(session, ctx, command.case_id)
    now = datetime.now(UTC)
    session.execute(insert(liquidation_proceeding).values(
        case_id=row.id, held_on=command.held_on, note=command.note, actor_id=ctx.actor_id,
        created_at=now))
    flags = {name: getattr(command, name) for name in ("charge_taken_over", "traceable")
             if getattr(command, name) is not None}
    session.execute(update(liquidation_case).where(liquidation_case.c.id == row.id)
                    .values(updated_at=now, **flags))
    return case_dict(session, case_row(session, row.id))


def add_entry(session: Session, ctx: CallContext, command: Any) -> dict:
    scopes.ensure_role(ctx, ("registrar", "dealing_officer", "liquidator"),
                       "record assets and liabilities")
    row = _open_case(session, ctx, command.case_id)
    if command.direction == "reduced":
        balance = _balance(session, row.id, command.side, None)
        if Decimal(str(command.amount)) > balance:
            raise InvalidInput("The reduction exceeds the balance.", fields={
                "amount": f"at most {balance} of {command.side}s remain"})
    session.execute(insert(liquidation_entry).values(
        case_id=row.id, side=command.side, direction=command.direction,
        amount=Decimal(str(command.amount)), entry_date=command.entry_date,
        description=command.description, actor_id=ctx.actor_id,
        created_at=datetime.now(UTC)))
    return case_dict(session, case_row(session, row.id))


def end(session: Session, ctx: CallContext, command: Any) -> tuple[dict, list]:
    scopes.ensure_role(ctx, ("registrar",), "close or revive a liquidation")
    row = _open_case(session, ctx, command.case_id)
    if command.ended_on < row.ordered_on:
        raise InvalidInput("The end precedes the order.", fields={
            "ended_on": f"must be on or after {row.ordered_on.isoformat()}"})
    to_status = "wound_up" if command.outcome == "closed" else "revived"
    session.execute(update(liquidation_case).where(liquidation_case.c.id == row.id).values(
        status=command.outcome, ended_on=command.ended_on, end_order_ref=command.order_ref,
        end_reason=command.reason, updated_at=datetime.now(UTC)))
    societies.set_status(session, row.society_id, to_status)
    event = contracts.SocietyStatusChangedV1(
        society_id=row.society_id, from_status="under_liquidation", to_status=to_status,
        reason=command.reason, order_ref=command.order_ref, office_id=row.office_id)
    return case_dict(session, case_row(session, row.id)), [event]


def _balance(session: Session, case_id: str, side: str, before: date | None) -> Decimal:
    signed = case((liquidation_entry.c.direction == "added", liquidation_entry.c.amount),
                  else_=-liquidation_entry.c.amount)
    statement = select(func.coalesce(func.sum(signed), 0)).where(
        liquidation_entry.c.case_id == case_id, liquidation_entry.c.side == side)
    if before is not None:
        statement = statement.where(liquidation_entry.c.entry_date < before)
    return Decimal(str(session.execute(statement).scalar_one()))


def case_dict(session: Session, row: Any) -> dict[str, Any]:
    proceedings = session.execute(select(liquidation_proceeding).where(
        liquidation_proceeding.c.case_id == row.id).order_by(liquidation_proceeding.c.id))
    entries = session.execute(select(liquidation_entry).where(
        liquidation_entry.c.case_id == row.id).order_by(liquidation_entry.c.id))
    return {
        "id": row.id, "society_id": row.society_id, "office_id": row.office_id,
        "status": row.status, "order_ref": row.order_ref,
        "ordered_on": row.ordered_on.isoformat(), "reason": row.reason,
        "liquidator": {"name": row.liquidator_name,
                       "account_id": row.liquidator_account_id},
        "charge_taken_over": row.charge_taken_over, "traceable": row.traceable,
        "ended_on": row.ended_on.isoformat() if row.ended_on else None,
        "end_order_ref": row.end_order_ref, "end_reason": row.end_reason,
        "assets": str(_balance(session, row.id, "asset", None)),
        "liabilities": str(_balance(session, row.id, "liability", None)),
        "proceedings": [{"held_on": p.held_on.isoformat(), "note": p.note,
                         "actor_id": p.actor_id} for p in proceedings],
        "entries": [{"side": e.side, "direction": e.direction, "amount": str(e.amount),
                     "entry_date": e.entry_date.isoformat(), "description": e.description}
                    for e in entries],
    }


def list_cases(session: Session, ctx: CallContext, *, status: str | None, limit: int,
               offset: int) -> dict[str, Any]:
    conditions = []
    reachable = scopes.offices_under(session, ctx)
    if ctx.actor_role == "liquidator":
        conditions.append(liquidation_case.c.society_id.in_(scopes.scoped_ids(ctx, "society")))
    elif reachable is not None:
        conditions.append(liquidation_case.c.office_id.in_(reachable))
    if status is not None:
        conditions.append(liquidation_case.c.status == status)
    rows = session.execute(select(liquidation_case).where(*conditions)
                           .order_by(liquidation_case.c.ordered_on.desc(),
                                     liquidation_case.c.id)
                           .limit(limit + 1).offset(offset)).all()
    more = len(rows) > limit
    return {"items": [{"id": r.id, "society_id": r.society_id, "office_id": r.office_id,
                       "status": r.status, "order_ref": r.order_ref,
                       "ordered_on": r.ordered_on.isoformat(),
                       "liquidator_name": r.liquidator_name} for r in rows[:limit]],
            "next_offset": offset + limit if more else None}


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def return_counts(session: Session, offices_in: list[str] | None, start: date,
                  end_: date) -> dict[str, Any]:
    """RCS/LQR/01 for the period ``start``..``end_`` (both inclusive). By construction
    closing = opening + placed - closed - revived, the return's own arithmetic."""
    c = liquidation_case.c
    scope = [c.office_id.in_(offices_in)] if offices_in is not None else []

    def count(*conditions) -> int:
        return session.execute(select(func.count()).select_from(liquidation_case)
                               .where(*scope, *conditions)).scalar_one()

    open_at_start = and_(c.ordered_on < start, or_(c.ended_on.is_(None), c.ended_on >= start))
    open_at_end = and_(c.ordered_on <= end_, or_(c.ended_on.is_(None), c.ended_on > end_))
    in_period = lambda col: and_(col >= start, col <= end_)  # noqa: E731
    opening = count(open_at_start)
    placed = count(in_period(c.ordered_on))
    closed = count(c.status == "closed", in_period(c.ended_on))
    revived = count(c.status == "revived", in_period(c.ended_on))
    closing = count(open_at_end)
    five, ten = _years_before(end_, 5), _years_before(end_, 10)

    def money(side: str) -> dict[str, str]:
        e = liquidation_entry.c
        base = (select(func.coalesce(func.sum(e.amount), 0))
                .select_from(liquidation_entry.join(liquidation_case,
                                                    e.case_id == c.id)).where(*scope,
                                                                              e.side == side))
        signed = case((e.direction == "added", e.amount), else_=-e.amount)
        opening_balance = Decimal(str(session.execute(
            base.with_only_columns(func.coalesce(func.sum(signed), 0))
            .where(e.entry_date < start)).scalar_one()))
        added = Decimal(str(session.execute(base.where(
            e.direction == "added", in_period(e.entry_date))).scalar_one()))
        reduced = Decimal(str(session.execute(base.where(
            e.direction == "reduced", in_period(e.entry_date))).scalar_one()))
        total = opening_balance + added
        return {"opening": str(opening_balance), "added": str(added), "total": str(total),
                "reduced": str(reduced), "closing": str(total - reduced)}

    by_type = session.execute(
        select(society.c.type, func.count()).select_from(
            liquidation_case.join(society, society.c.id == c.society_id))
        .where(*scope, open_at_end).group_by(society.c.type).order_by(society.c.type)).all()
    return {
        "period": {"from": start.isoformat(), "to": end_.isoformat()},
        "opening": opening, "placed_under_liquidation": placed, "closed": closed,
        "revived": revived, "closing": closing,
        "charge_taken_over": count(open_at_end, c.charge_taken_over.is_(True)),
        "charge_not_taken_over": {
            "traceable": count(open_at_end, c.charge_taken_over.is_(False),
                               c.traceable.is_(True)),
            "non_traceable": count(open_at_end, c.charge_taken_over.is_(False),
                                   c.traceable.is_(False))},
        "pending": {"up_to_5_years": count(open_at_end, c.ordered_on > five),
                    "5_to_10_years": count(open_at_end, c.ordered_on <= five,
                                           c.ordered_on > ten),
                    "above_10_years": count(open_at_end, c.ordered_on <= ten)},
        "assets": money("asset"), "liabilities": money("liability"),
        "by_type": [{"type": t, "count": n} for t, n in by_type],
    }
