"""Remuneration of the RO, AROs and polling personnel (CEA order of 03.06.2024 and the
proforma of Annexure IV), paid by the CEA from the society's deposit.

- The RO and each ARO claim days of the basic pay drawn in the month the election
  programme was issued, at most 15 days; a day's pay is the month's basic pay over the
  days of that month (the order's date gives the month).
- Polling personnel claim a fixed honorarium, at most ₹1,000 each.
- The RO sends the claims (checklist item 18) once the board's result is declared; the
  CEA approves or rejects each with its reasons. One RO claim per election."""

from __future__ import annotations

import calendar
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.contracts import elections_accounts as contracts
from services.common.errors import Conflict, InvalidInput, NotFound
from services.common.india import paise_of, rupees_text
from services.elections.tables import declaration, remuneration_claim

MAX_DAYS_OF_PAY = 15
MAX_POLLING_PAISE = 1000_00


def pay_for_days(basic_pay_paise: int, days: int, month_days: int) -> int:
    """``days`` of a month's basic pay, to the paisa (half a paisa rounds up)."""
    return (basic_pay_paise * days * 2 + month_days) // (2 * month_days)


def amount_paise(command: contracts.RemunerationClaimInV1, order_date) -> int:
    if command.kind == "polling_personnel":
        amount = paise_of(command.amount)
        if amount > MAX_POLLING_PAISE:
            raise InvalidInput("Polling personnel are paid not more than ₹1,000 each (CEA "
                               "order of 03.06.2024).", fields={
                                   "amount": f"{rupees_text(amount)} is over ₹1,000"})
        return amount
    if command.days > MAX_DAYS_OF_PAY:
        raise InvalidInput("The RO and AROs are paid not more than 15 days of basic pay "
                           "(CEA order of 03.06.2024).", fields={
                               "days": f"{command.days} days is over {MAX_DAYS_OF_PAY}"})
    month_days = calendar.monthrange(order_date.year, order_date.month)[1]
    return pay_for_days(paise_of(command.basic_pay), command.days, month_days)


def claim_dict(r: Any) -> dict:
    return contracts.RemunerationClaimV1(
        id=r.id, election_id=r.election_id, kind=r.kind, name=r.name,
        designation=r.designation, service=r.service, pan=r.pan,
        bank_account=r.bank_account,
        cancelled_cheque_document_id=r.cancelled_cheque_document_id,
        basic_pay_paise=r.basic_pay_paise, days=r.days, amount_paise=r.amount_paise,
        amount_text=rupees_text(r.amount_paise), status=r.status, claimed_by=r.claimed_by,
        claimed_at=r.claimed_at, decided_by=r.decided_by, decided_at=r.decided_at,
        decision_reason=r.decision_reason).wire()


def _claim_row(session: Session, election_id: str, claim_id: str) -> Any:
    r = session.execute(select(remuneration_claim).where(
        remuneration_claim.c.id == claim_id,
        remuneration_claim.c.election_id == election_id)).one_or_none()
    if r is None:
        raise NotFound("No such remuneration claim in this election.", {"claim_id": claim_id})
    return r


def submit(session: Session, ctx: CallContext, row: Any,
           command: contracts.RemunerationClaimInV1, at: datetime) -> dict:
    if not session.execute(select(declaration.c.contest).where(
            declaration.c.election_id == row.id, declaration.c.contest == "board")).first():
        raise Conflict("Remuneration is claimed once the board's result is declared "
                       "(Annexure VI, item 18).", {"rule": "annexure_vi_18"})
    if command.kind == "returning_officer" and session.execute(
            select(remuneration_claim.c.id).where(
                remuneration_claim.c.election_id == row.id,
                remuneration_claim.c.kind == "returning_officer",
                remuneration_claim.c.status != "rejected")).first():
        raise Conflict("The Returning Officer's claim for this election was already made.",
                       {"kind": command.kind})
    amount = amount_paise(command, row.order_date)
    claim_id = str(uuid.uuid4())
    session.execute(remuneration_claim.insert().values(
        id=claim_id, election_id=row.id, kind=command.kind, name=command.name,
        designation=command.designation, service=command.service, pan=command.pan,
        bank_account=command.bank_account.wire(),
        cancelled_cheque_document_id=command.cancelled_cheque_document_id,
        basic_pay_paise=None if command.basic_pay is None else paise_of(command.basic_pay),
        days=command.days if command.kind != "polling_personnel" else None,
        amount_paise=amount, status="claimed", claimed_by=ctx.actor_id, claimed_at=at))
    return claim_dict(_claim_row(session, row.id, claim_id))


def decide(session: Session, ctx: CallContext, row: Any,
           command: contracts.RemunerationDecisionInV1, at: datetime) -> dict:
    r = _claim_row(session, row.id, command.claim_id)
    if r.status != "claimed":
        raise Conflict(f"This claim was already {r.status}.", {"status": r.status})
    session.execute(remuneration_claim.update().where(remuneration_claim.c.id == r.id).values(
        status="approved" if command.decision == "approve" else "rejected",
        decided_by=ctx.actor_id, decided_at=at, decision_reason=command.reason))
    return claim_dict(_claim_row(session, row.id, r.id))


def claims(session: Session, election_id: str) -> dict:
    items = [claim_dict(r) for r in session.execute(
        select(remuneration_claim).where(remuneration_claim.c.election_id == election_id)
        .order_by(remuneration_claim.c.claimed_at, remuneration_claim.c.id))]
    total = sum(i["amount_paise"] for i in items if i["status"] != "rejected")
    return contracts.RemunerationListV1(election_id=election_id, items=items,
                                        total_paise=total, total_text=rupees_text(total)).wire()
