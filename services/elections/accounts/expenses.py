"""Accounts of election expenses (rules 19U-19X).

- Every contesting candidate (an accepted nomination of a declared contest) lodges with
  the RO, within 30 days of the declaration of the result (day 1 is the day after it), an
  account of the expenditure between the date of the order and the declaration, both
  inclusive (19U(1), (4)); a later lodging is refused, naming the window.
- Items follow 19W(1): a paid amount names its date of payment, its payee and its voucher
  serial unless no voucher was obtained (19W(3)); an outstanding amount names to whom
  it is payable. Vouchers are numbered 1, 2, 3 … in the order of their dates of payment
  and lodged with the account, one document each (19W(2)).
- The RO may post a notice of inspection within two days of the lodging (19X).
- After the window the RO reports who lodged nothing; the CEA orders each one
  disqualified for three years (19V) or accepts a good reason.
- The Authority may specify the most a candidate may spend (19U(3)); an account whose
  total (paid and outstanding) exceeds it is still lodged, as the record it is, and is
  shown with the excess to the RO and the CEA."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.contracts import elections_accounts as contracts
from services.common.contracts import elections_nominations as nomination_contracts
from services.common.errors import Conflict, InvalidInput, NotFound
from services.common.india import INDIA, day_text, moment_text, paise_of, rupees_text
from services.elections.nominations import disqualifications
from services.elections.tables import (
    declaration,
    expense_account,
    expense_default_decision,
    expense_limit,
    expense_report,
    nomination,
)

LODGING_DAYS = 30
NOTICE_DAYS = 2
WINDOW_NAME = "lodging of accounts of election expenses (rule 19U)"


def _declared_on(session: Session, election_id: str) -> dict[str, date]:
    """The India date each contest was declared on."""
    return {r.contest: r.declared_at.astimezone(INDIA).date() for r in session.execute(
        select(declaration.c.contest, declaration.c.declared_at).where(
            declaration.c.election_id == election_id))}


def window(declared_on: date) -> dict[str, str]:
    last = declared_on + timedelta(days=LODGING_DAYS)
    return {"stage": "expense_accounts", "opens_on": declared_on.isoformat(),
            "closes_on": last.isoformat(),
            "text": f"{day_text(declared_on)} to {day_text(last)}"}


def _nomination_row(session: Session, election_id: str, nomination_id: str) -> Any:
    r = session.execute(select(nomination).where(
        nomination.c.id == nomination_id,
        nomination.c.election_id == election_id)).one_or_none()
    if r is None:
        raise NotFound("No such nomination in this election.",
                       {"nomination_id": nomination_id})
    return r


def _contesting(session: Session, election_id: str, nomination_id: str,
                declared: dict[str, date]) -> Any:
    r = _nomination_row(session, election_id, nomination_id)
    if r.status != "accepted":
        raise Conflict("Only a contesting candidate lodges an account of election "
                       f"expenses; this nomination is {r.status}.",
                       {"nomination_id": r.id, "status": r.status})
    if r.contest not in declared:
        raise Conflict("The account is lodged after the result of the candidate's contest "
                       "is declared; it has not been.", {"contest": r.contest})
    return r


def _check_items(row: Any, command: contracts.LodgeExpenseAccountV1,
                 declared_on: date) -> None:
    """Every rule of 19U(1) and 19W a lodged account can be checked against."""
    problems: dict[str, str] = {}
    for n, item in enumerate(command.items):
        at = f"items[{n}]"
        if not row.order_date <= item.spent_on <= declared_on:
            problems[f"{at}.spent_on"] = (
                f"{day_text(item.spent_on)} is outside the account's period, the order's "
                f"date {day_text(row.order_date)} to the declaration "
                f"{day_text(declared_on)} (rule 19U(1))")
        if item.amount_paid == 0 and item.amount_outstanding == 0 and not item.no_voucher:
            problems[f"{at}.amount_paid"] = "an item has an amount paid or outstanding"
        if item.amount_paid > 0:
            if item.paid_on is None:
                problems[f"{at}.paid_on"] = "an amount paid needs its date of payment " \
                                            "(rule 19W(1)(d))"
            elif not item.spent_on <= item.paid_on:
                problems[f"{at}.paid_on"] = "the payment comes on or after the expenditure"
            if not item.payee:
                problems[f"{at}.payee"] = "an amount paid names its payee (rule 19W(1)(e))"
            if item.voucher_serial is None and not item.no_voucher:
                problems[f"{at}.voucher_serial"] = (
                    "an amount paid needs its voucher's serial number, or no_voucher "
                    "(rule 19W(1)(f), 19W(3))")
        if item.amount_outstanding > 0 and not item.payable_to:
            problems[f"{at}.payable_to"] = ("an amount outstanding names to whom it is "
                                           "payable (rule 19W(1)(h))")
    vouchered = sorted((i.voucher_serial, i.paid_on or i.spent_on, n)
                       for n, i in enumerate(command.items) if i.voucher_serial is not None)
    serials = [s for s, _, _ in vouchered]
    if serials != list(range(1, len(serials) + 1)):
        problems["items.voucher_serial"] = (
            f"vouchers are numbered 1 to {len(serials)} without gaps or repeats; got "
            f"{', '.join(map(str, serials))} (rule 19W(2))")
    elif any(a[1] > b[1] for a, b in pairwise(vouchered)):
        problems["items.voucher_serial"] = ("vouchers are numbered in the order of their "
                                            "dates of payment (rule 19W(2))")
    if len(command.voucher_document_ids) != len(serials):
        problems["voucher_document_ids"] = (
            f"{len(serials)} voucher(s) are numbered but {len(command.voucher_document_ids)} "
            "document(s) lodged: all the vouchers are lodged with the account, one "
            "document each (rule 19W(2))")
    if problems:
        raise InvalidInput("The account of election expenses is not in the form rule 19W "
                           "asks for.", fields=problems)


def lodge(session: Session, ctx: CallContext, row: Any,
          command: contracts.LodgeExpenseAccountV1, at: datetime) -> dict:
    declared = _declared_on(session, row.id)
    cand = _contesting(session, row.id, command.nomination_id, declared)
    declared_on = declared[cand.contest]
    span = window(declared_on)
    today = at.astimezone(INDIA).date()
    if today > declared_on + timedelta(days=LODGING_DAYS):
        raise Conflict(f"The accounts of election expenses are lodged within "
                       f"{LODGING_DAYS} days of the declaration: {span['text']}; today is "
                       f"{day_text(today)}.",
                       {"code": "outside_window", "stage": span["stage"], "window": span,
                        "rule": "19U"})
    if session.execute(select(expense_account.c.nomination_id).where(
            expense_account.c.nomination_id == cand.id)).first():
        raise Conflict("This candidate's account was already lodged.",
                       {"nomination_id": cand.id})
    _check_items(row, command, declared_on)
    items = [i.wire() for i in sorted(command.items, key=lambda i: (i.spent_on, i.nature))]
    session.execute(expense_account.insert().values(
        nomination_id=cand.id, election_id=row.id, items=items,
        total_paid_paise=sum(paise_of(i.amount_paid) for i in command.items),
        total_outstanding_paise=sum(paise_of(i.amount_outstanding) for i in command.items),
        voucher_document_ids=list(command.voucher_document_ids),
        lodged_by=ctx.actor_id, lodged_at=at))
    return account(session, row.id, cand.id)


def post_notice(session: Session, row: Any, command: contracts.InspectionNoticeV1,
                at: datetime) -> dict:
    lodged = session.execute(select(expense_account).where(
        expense_account.c.nomination_id == command.nomination_id,
        expense_account.c.election_id == row.id)).one_or_none()
    if lodged is None:
        raise NotFound("No account was lodged for this nomination.",
                       {"nomination_id": command.nomination_id})
    if lodged.inspection_notice is not None:
        raise Conflict("The inspection notice for this account was already posted.",
                       {"nomination_id": command.nomination_id})
    lodged_on = lodged.lodged_at.astimezone(INDIA).date()
    last = lodged_on + timedelta(days=NOTICE_DAYS)
    today = at.astimezone(INDIA).date()
    if today > last:
        raise Conflict(f"The notice of inspection is posted within {NOTICE_DAYS} days of "
                       f"the lodging: {day_text(lodged_on)} to {day_text(last)}; today is "
                       f"{day_text(today)}.",
                       {"code": "outside_window", "stage": "inspection_notice", "rule": "19X",
                        "window": {"opens_on": lodged_on.isoformat(),
                                   "closes_on": last.isoformat()}})
    if command.inspect_at <= at:
        raise InvalidInput("The inspection is at a time still to come.",
                           fields={"inspect_at": "a time after now"})
    cand = _nomination_row(session, row.id, command.nomination_id)
    when = moment_text(command.inspect_at)
    notice = {
        "lodged_on": lodged_on.isoformat(), "candidate_name": cand.candidate_name,
        "inspect_at": command.inspect_at.isoformat(), "place": command.place,
        "text": (f"The account of election expenses of {cand.candidate_name} was lodged on "
                 f"{day_text(lodged_on)}. It may be inspected at {command.place} on {when}."),
        "text_hi": (f"{cand.candidate_name} का निर्वाचन व्यय लेखा {day_text(lodged_on)} को "
                    f"प्रस्तुत किया गया। इसका निरीक्षण {command.place} में {when} को किया जा "
                    "सकता है।"),
    }
    session.execute(expense_account.update().where(
        expense_account.c.nomination_id == cand.id).values(
        inspection_notice=notice, inspection_notice_at=at))
    return account(session, row.id, cand.id)


def _rows(session: Session, election_id: str, declared: dict[str, date],
          nomination_id: str | None = None) -> list[Any]:
    """The contesting candidates of the declared contests (or the one named) with their
    accounts and the CEA's decisions, if any."""
    only = [nomination.c.id == nomination_id] if nomination_id else []
    return list(session.execute(
        select(nomination, expense_account.c.lodged_at, expense_account.c["items"],
               expense_account.c.total_paid_paise, expense_account.c.total_outstanding_paise,
               expense_account.c.voucher_document_ids, expense_account.c.inspection_notice,
               expense_default_decision.c.decision, expense_default_decision.c.reason
               .label("decision_reason"), expense_default_decision.c.disqualification_id,
               expense_default_decision.c.decided_at.label("default_decided_at"))
        .outerjoin(expense_account, expense_account.c.nomination_id == nomination.c.id)
        .outerjoin(expense_default_decision,
                   expense_default_decision.c.nomination_id == nomination.c.id)
        .where(nomination.c.election_id == election_id, nomination.c.status == "accepted",
               nomination.c.contest.in_(list(declared)), *only)
        .order_by(nomination.c.contest, nomination.c.category, nomination.c.candidate_name,
                  nomination.c.id)))


def set_limit(session: Session, ctx: CallContext, row: Any,
              command: contracts.ExpenseLimitInV1, at: datetime) -> dict:
    values = {"limit_paise": paise_of(command.amount), "order_ref": command.order_ref,
              "order_date": command.order_date, "set_by": ctx.actor_id, "set_at": at}
    if command.order_date > at.astimezone(INDIA).date():
        raise InvalidInput("The order specifying the limit is dated today or earlier.",
                           fields={"order_date": "not after today"})
    if session.execute(expense_limit.update().where(
            expense_limit.c.election_id == row.id).values(**values)).rowcount == 0:
        session.execute(expense_limit.insert().values(election_id=row.id, **values))
    return status(session, row.id)


def _limit(session: Session, election_id: str) -> dict | None:
    found = session.execute(select(expense_limit).where(
        expense_limit.c.election_id == election_id)).one_or_none()
    if found is None:
        return None
    return {"limit_paise": found.limit_paise, "limit_text": rupees_text(found.limit_paise),
            "order_ref": found.order_ref, "order_date": found.order_date.isoformat()}


def _excess(r: Any, limit_paise: int | None) -> int | None:
    if limit_paise is None or r.lodged_at is None:
        return None
    total = (r.total_paid_paise or 0) + (r.total_outstanding_paise or 0)
    return total - limit_paise if total > limit_paise else None


def _account_dict(r: Any, limit_paise: int | None = None) -> dict:
    lodged = r.lodged_at is not None
    return contracts.ExpenseAccountV1(
        nomination_id=r.id, candidate_name=r.candidate_name,
        membership_number=r.membership_number, contest=r.contest, category=r.category,
        lodged=lodged, lodged_at=r.lodged_at, items=r.items or [],
        total_paid_paise=r.total_paid_paise or 0,
        total_outstanding_paise=r.total_outstanding_paise or 0,
        total_text=rupees_text((r.total_paid_paise or 0) + (r.total_outstanding_paise or 0))
        if lodged else None,
        voucher_document_ids=r.voucher_document_ids or [],
        inspection_notice=r.inspection_notice,
        default_decision=None if r.decision is None else {
            "decision": r.decision, "reason": r.decision_reason,
            "disqualification_id": r.disqualification_id, "decided_at":
                r.default_decided_at.isoformat()},
        over_limit_paise=_excess(r, limit_paise)).wire()


def account(session: Session, election_id: str, nomination_id: str) -> dict:
    found = _rows(session, election_id, _declared_on(session, election_id), nomination_id)
    if found:
        limit = _limit(session, election_id)
        return _account_dict(found[0], limit and limit["limit_paise"])
    raise NotFound("No contesting candidate of a declared contest has this nomination.",
                   {"nomination_id": nomination_id})


def status(session: Session, election_id: str) -> dict:
    declared = _declared_on(session, election_id)
    report = session.execute(select(expense_report).where(
        expense_report.c.election_id == election_id)).one_or_none()
    limit = _limit(session, election_id)
    items = [_account_dict(r, limit and limit["limit_paise"])
             for r in _rows(session, election_id, declared)]
    return contracts.ExpenseStatusV1(
        election_id=election_id,
        window=window(declared["board"]) if "board" in declared else None,
        items=items, limit=limit,
        over_limit=[i["nomination_id"] for i in items if i["over_limit_paise"]],
        report=None if report is None else {
            "defaulters": report.defaulters, "note": report.note,
            "reported_by": report.reported_by,
            "reported_at": report.reported_at.isoformat()}).wire()


def report(session: Session, ctx: CallContext, row: Any,
           command: contracts.ExpenseReportInV1, at: datetime) -> dict:
    declared = _declared_on(session, row.id)
    if "board" not in declared:
        raise Conflict("The report follows the declaration of the board's result and the "
                       f"{LODGING_DAYS} days after it.", {"contest": "board"})
    span = window(declared["board"])
    today = at.astimezone(INDIA).date()
    if today <= declared["board"] + timedelta(days=LODGING_DAYS):
        raise Conflict(f"The report of accounts not lodged is made once the window is over "
                       f"({span['text']}); today is {day_text(today)}.",
                       {"code": "outside_window", "stage": "expense_report",
                        "window": span, "rule": "19V"})
    if session.execute(select(expense_report.c.election_id).where(
            expense_report.c.election_id == row.id)).first():
        raise Conflict("The report was already made.", {"election_id": row.id})
    defaulters = [r.id for r in _rows(session, row.id, declared) if r.lodged_at is None]
    session.execute(expense_report.insert().values(
        election_id=row.id, defaulters=defaulters, note=command.note,
        reported_by=ctx.actor_id, reported_at=at))
    return status(session, row.id)


def decide_default(session: Session, ctx: CallContext, row: Any,
                   command: contracts.ExpenseDefaultDecisionInV1, at: datetime) -> dict:
    found = session.execute(select(expense_report).where(
        expense_report.c.election_id == row.id)).one_or_none()
    if found is None:
        raise Conflict("The CEA decides on the RO's report of accounts not lodged; there is "
                       "no report yet.", {"election_id": row.id, "rule": "19V"})
    if command.nomination_id not in found.defaulters:
        raise Conflict("This candidate is not in the RO's report of accounts not lodged.",
                       {"nomination_id": command.nomination_id, "rule": "19V"})
    if session.execute(select(expense_default_decision.c.nomination_id).where(
            expense_default_decision.c.nomination_id == command.nomination_id)).first():
        raise Conflict("The CEA already decided on this candidate.",
                       {"nomination_id": command.nomination_id})
    disq_id = None
    if command.decision == "disqualify":
        disq_id = disqualifications.record(
            session, ctx, nomination_contracts.RecordDisqualificationV1(
                nomination_id=command.nomination_id, rule="19V",
                order_ref=command.order_ref, order_date=command.order_date,
                reason=command.reason), at)["id"]
    session.execute(expense_default_decision.insert().values(
        nomination_id=command.nomination_id, election_id=row.id, decision=command.decision,
        disqualification_id=disq_id, reason=command.reason, decided_by=ctx.actor_id,
        decided_at=at))
    return account(session, row.id, command.nomination_id)
