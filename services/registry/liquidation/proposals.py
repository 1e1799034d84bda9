"""Proposals to wind a society up. An inquirer or inspector recommends it on a case (the
grievance service's ``case_winding_up_recommended``); the proposal waits in the queue of
the society's office, where the registrar orders the liquidation on it
(``order_liquidation`` with ``proposal_id``) or declines it with reasons. One proposal per
recommending case; each is decided once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.contracts.grievance import WindingUpRecommendedV1
from services.common.errors import Conflict, NotFound
from services.registry import scopes
from services.registry.liquidation.tables import liquidation_proposal
from services.registry.societies import register as societies

STATUSES = ("pending", "ordered", "declined")


def record(session: Session, event: WindingUpRecommendedV1) -> str | None:
    """Keep the recommendation as a pending proposal; None when it names no society or
    was already kept. An unknown society is refused (the event is dead-lettered)."""
    if not event.society_id:
        return None
    if session.execute(select(liquidation_proposal.c.id).where(
            liquidation_proposal.c.source_case_id == event.case_id)).first():
        return None
    target = societies.society_row(session, event.society_id)
    proposal_id = str(uuid.uuid4())
    session.execute(insert(liquidation_proposal).values(
        id=proposal_id, society_id=target.id, office_id=target.office_id,
        source_case_id=event.case_id, source_case_number=event.number,
        source_kind=event.kind, recommended_by=event.recommended_by, note=event.note,
        document_ids=list(event.document_ids), status="pending",
        received_at=datetime.now(UTC)))
    return proposal_id


def proposal_dict(r: Any) -> dict[str, Any]:
    return {"id": r.id, "society_id": r.society_id, "office_id": r.office_id,
            "source_case_id": r.source_case_id, "source_case_number": r.source_case_number,
            "source_kind": r.source_kind, "recommended_by": r.recommended_by,
            "note": r.note, "document_ids": list(r.document_ids), "status": r.status,
            "liquidation_case_id": r.liquidation_case_id,
            "decision_reason": r.decision_reason, "decided_by": r.decided_by,
            "decided_at": r.decided_at.isoformat() if r.decided_at else None,
            "received_at": r.received_at.isoformat()}


def _row(session: Session, ctx: CallContext, proposal_id: str, *, lock: bool) -> Any:
    statement = select(liquidation_proposal).where(liquidation_proposal.c.id == proposal_id)
    row = session.execute(statement.with_for_update() if lock else statement).one_or_none()
    if row is None or not scopes.reaches_office(session, ctx, row.office_id):
        raise NotFound("No such liquidation proposal.", {"proposal_id": proposal_id})
    return row


def get(session: Session, ctx: CallContext, proposal_id: str) -> dict[str, Any]:
    return proposal_dict(_row(session, ctx, proposal_id, lock=False))


def page(session: Session, ctx: CallContext, *, status: str | None, limit: int,
         offset: int) -> dict[str, Any]:
    """The proposals of the offices the caller's grant reaches, oldest first."""
    conditions = []
    reachable = scopes.offices_under(session, ctx)
    if reachable is not None:
        conditions.append(liquidation_proposal.c.office_id.in_(reachable))
    if status is not None:
        conditions.append(liquidation_proposal.c.status == status)
    rows = session.execute(select(liquidation_proposal).where(*conditions)
                           .order_by(liquidation_proposal.c.received_at,
                                     liquidation_proposal.c.id)
                           .limit(limit + 1).offset(offset)).all()
    more = len(rows) > limit
    return {"items": [proposal_dict(r) for r in rows[:limit]],
            "next_offset": offset + limit if more else None}


def _pending(session: Session, ctx: CallContext, proposal_id: str) -> Any:
    row = _row(session, ctx, proposal_id, lock=True)
    if row.status != "pending":
        raise Conflict(f"The proposal was already {row.status}.",
                       {"proposal_id": row.id, "status": row.status})
    return row


def take_for_order(session: Session, ctx: CallContext, proposal_id: str,
                   society_id: str) -> Any:
    """The pending proposal an order acts on (the same society), locked."""
    row = _pending(session, ctx, proposal_id)
    if row.society_id != society_id:
        raise Conflict("The proposal is about another society.",
                       {"proposal_id": row.id, "proposal_society_id": row.society_id})
    return row


def mark_ordered(session: Session, ctx: CallContext, proposal_id: str, case_id: str) -> None:
    session.execute(update(liquidation_proposal).where(
        liquidation_proposal.c.id == proposal_id).values(
        status="ordered", liquidation_case_id=case_id, decided_by=ctx.actor_id,
        decided_at=datetime.now(UTC)))


def decline(session: Session, ctx: CallContext, proposal_id: str,
            reason: str) -> dict[str, Any]:
    scopes.ensure_role(ctx, ("registrar",), "decline a liquidation proposal")
    row = _pending(session, ctx, proposal_id)
    session.execute(update(liquidation_proposal).where(
        liquidation_proposal.c.id == row.id).values(
        status="declined", decision_reason=reason, decided_by=ctx.actor_id,
        decided_at=datetime.now(UTC)))
    return proposal_dict(_row(session, ctx, row.id, lock=False))
