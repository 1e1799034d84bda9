"""What follows a sanction of financial assistance (seed 004): the Registrar's office
releases the sanctioned funds (in one or more releases, together at most the amount
sanctioned), the society certifies their utilisation (seed 004 asks for "details of
utilisation of assistance sanctioned and released during the previous years" and recovers
funds not utilised, § 3, § 7), and the office records each repayment of a loan (the
recovery of previous loans decides the next one, § 5 Loan (a) 2).

A loan sanctioned with a repayment schedule has its principal fallen due worked out on
any day: the repayments are set against the instalments oldest first, so an instalment is
``paid``, ``paid_late``, ``overdue`` (with its days) or ``not_yet_due``, and a repayment
made while principal was overdue is marked so. A loan sanctioned without a schedule keeps
its repayments as records only: nothing is overdue, and what has fallen due is not known.

Every record is refused, naming its rule and the figures in ₹ as India writes them (and
in Hindi in ``details.message_hi``), when it does not follow from what is recorded: a
release of an application not sanctioned or above what is left of the sanction, a
utilisation before any release or above the amount released, a repayment of what is not
a loan or above the principal released, any of them dated before the event it follows or
after today. The application's row is locked while recording, so two offices recording
at once cannot together pass the sanction."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.contracts import filings_assistance as contracts
from services.common.errors import Conflict, Forbidden, InvalidInput
from services.common.india import day_text, paise_of, rupees_text
from services.filings import scopes
from services.filings.assistance import applications
from services.filings.tables import assistance_application, assistance_funds_entry

ENTRY_OF = {"releases": "release", "utilisations": "utilisation",
            "repayments": "repayment"}
KIND_HI = {"share_capital": "अंश पूंजी अंशदान", "grant": "अनुदान", "loan": "ऋण"}


def _invalid(message: str, hindi: str, field: str, hint: str, rule: str,
             **figures: Any) -> InvalidInput:
    return InvalidInput(message, {"rule": rule, "message_hi": hindi, **figures},
                        fields={field: hint})


# -- the repayment schedule, given with a loan's sanction ------------------------------

def schedule_of(kind: str, items: list[Any] | None, amount_paise: int,
                order_date: date) -> list[dict] | None:
    """A loan's schedule as stored (oldest first), checked: instalments on distinct days
    after the order, their principal adding up to the amount sanctioned."""
    if items is None:
        return None
    if kind != "loan":
        raise _invalid("Only a loan has a repayment schedule.",
                       "केवल ऋण की अदायगी अनुसूची होती है।", "repayment_schedule",
                       "only for a loan", "schedule_is_for_loans", kind=kind)
    instalments = sorted(({"due_on": i.due_on.isoformat(),
                           "principal_paise": paise_of(i.principal)} for i in items),
                         key=lambda i: i["due_on"])
    days = [i["due_on"] for i in instalments]
    if len(set(days)) != len(days):
        raise _invalid("Two instalments of the schedule fall on the same day.",
                       "अनुसूची की दो किश्तें एक ही दिन पड़ती हैं।", "repayment_schedule",
                       "one instalment a day", "one_instalment_a_day")
    if date.fromisoformat(days[0]) <= order_date:
        raise _invalid(
            f"The first instalment ({day_text(days[0])}) must fall after the sanction "
            f"order of {day_text(order_date)}.",
            f"पहली किश्त ({day_text(days[0])}) स्वीकृति आदेश ({day_text(order_date)}) के "
            f"बाद होनी चाहिए।", "repayment_schedule", f"after {order_date}",
            "instalments_after_sanction", first_due_on=days[0],
            order_date=order_date.isoformat())
    total = sum(i["principal_paise"] for i in instalments)
    if total != amount_paise:
        raise _invalid(
            f"The schedule's principal adds up to {rupees_text(total)}, not the "
            f"{rupees_text(amount_paise)} sanctioned.",
            f"अनुसूची का मूलधन {rupees_text(total)} है, स्वीकृत {rupees_text(amount_paise)} "
            f"नहीं।", "repayment_schedule", f"principal adding up to "
            f"{rupees_text(amount_paise)}", "schedule_adds_up_to_sanctioned",
            schedule_paise=total, sanctioned_paise=amount_paise)
    return instalments


def position(schedule: list[dict], repayments: list[Any], as_on: date) -> dict:
    """The loan as on ``as_on``: each instalment with what was set against it (the
    repayments up to that day, oldest first), the principal fallen due before the day,
    repaid and overdue, and for each repayment whether principal was overdue when it was
    made."""
    paid = sorted((r for r in repayments if r.on_date <= as_on),
                  key=lambda r: (r.on_date, r.recorded_at))
    instalments = []
    left = [(r.on_date, r.amount_paise) for r in paid]
    for item in schedule:
        due_on, principal = date.fromisoformat(item["due_on"]), item["principal_paise"]
        covered, settled_on = 0, None
        while left and covered < principal:
            day, amount = left[0]
            take = min(amount, principal - covered)
            covered += take
            left[0] = (day, amount - take)
            if left[0][1] == 0:
                left.pop(0)
            if covered == principal:
                settled_on = day
        if settled_on is not None:
            status = "paid" if settled_on <= due_on else "paid_late"
            days = (settled_on - due_on).days if status == "paid_late" else None
        elif due_on < as_on:
            status, days = "overdue", (as_on - due_on).days
        else:
            status, days = "not_yet_due", None
        instalments.append({"due_on": due_on, "principal_paise": principal,
                            "principal": rupees_text(principal), "paid_paise": covered,
                            "settled_on": settled_on, "status": status,
                            "days_overdue": days})

    def due_before(day: date) -> int:
        return sum(i["principal_paise"] for i in schedule
                   if date.fromisoformat(i["due_on"]) < day)

    repaid = sum(r.amount_paise for r in paid)
    overdue_at = {}
    running = 0
    for r in paid:
        before = max(due_before(r.on_date) - running, 0)
        overdue_at[r.id] = before
        running += r.amount_paise
    return {"instalments": instalments, "due_paise": due_before(as_on),
            "repaid_paise": repaid, "overdue_paise": max(due_before(as_on) - repaid, 0),
            "overdue_at": overdue_at}


# -- reading -------------------------------------------------------------------------

def _locked(session: Session, application_id: str) -> Any:
    """The application, locked until the recording transaction ends."""
    row = session.execute(select(assistance_application)
                          .where(assistance_application.c.id == application_id)
                          .with_for_update()).first()
    return row if row is not None else applications.row_of(session, application_id)


def entries(session: Session, application_id: str, entry: str | None = None) -> list[Any]:
    table = assistance_funds_entry
    stmt = select(table).where(table.c.application_id == application_id)
    if entry is not None:
        stmt = stmt.where(table.c.entry == entry)
    return list(session.execute(stmt.order_by(table.c.on_date, table.c.recorded_at,
                                              table.c.id)))


def _sum(rows: list[Any], entry: str) -> int:
    return sum(r.amount_paise for r in rows if r.entry == entry)


def _ensure_sanctioned(row: Any, what: str, hindi: str) -> None:
    if row.status != "sanctioned":
        raise Conflict(
            f"The application is {row.status.replace('_', ' ')}: {what} follows a "
            f"sanction.",
            {"rule": "follows_sanction", "status": row.status,
             "message_hi": f"आवेदन स्वीकृत नहीं है: {hindi} स्वीकृति के बाद ही होता है।"})


def _ensure_not_future(day: date, today: date, field: str) -> None:
    if day > today:
        raise _invalid(f"{day_text(day)} is after today ({day_text(today)}).",
                       f"{day_text(day)} आज ({day_text(today)}) के बाद है।", field,
                       f"on or before {today}", "not_after_today",
                       day=day.isoformat(), today=today.isoformat())


# -- recording -----------------------------------------------------------------------

def _insert(session: Session, ctx: CallContext, row: Any, entry: str, on_date: date,
            amount_paise: int, now: datetime, **values: Any) -> str:
    entry_id = str(uuid.uuid4())
    session.execute(insert(assistance_funds_entry).values(
        id=entry_id, application_id=row.id, society_id=row.society_id, entry=entry,
        on_date=on_date, amount_paise=amount_paise, recorded_by=ctx.actor_id or "system",
        recorded_at=now, **values))
    return entry_id


def release(session: Session, ctx: CallContext, command: Any, now: datetime
            ) -> tuple[str, Any, list[Any]]:
    """The Registrar's office releases sanctioned funds; answers the entry's id, the
    application and its entries after the release."""
    row = applications.visible(session, ctx, command.application_id)
    if not (scopes.is_system(ctx) or (ctx.actor_role in scopes.STAFF and row.state_office_id
                                      in scopes.scoped_ids(ctx, "office"))):
        raise Forbidden("The Registrar's office of the state releases sanctioned funds.",
                        {"rule": "registrar_office_releases",
                         "required_roles": list(scopes.STAFF),
                         "required_scope": f"office:{row.state_office_id}",
                         "your_role": ctx.actor_role,
                         "message_hi": "राज्य के रजिस्ट्रार का कार्यालय स्वीकृत राशि जारी "
                                       "करता है।"})
    row = _locked(session, row.id)
    _ensure_sanctioned(row, "a release of funds", "राशि जारी करना")
    today = applications.india_day(now)
    if command.released_on < row.order_date:
        raise _invalid(
            f"Funds cannot be released on {day_text(command.released_on)}, before the "
            f"sanction order of {day_text(row.order_date)}.",
            f"राशि {day_text(command.released_on)} को जारी नहीं हो सकती, यह स्वीकृति आदेश "
            f"({day_text(row.order_date)}) से पहले है।", "released_on",
            f"on or after {row.order_date}", "released_after_sanction",
            released_on=command.released_on.isoformat(),
            order_date=row.order_date.isoformat())
    _ensure_not_future(command.released_on, today, "released_on")
    amount = paise_of(command.amount)
    before = _sum(entries(session, row.id, "release"), "release")
    sanctioned = row.amount_sanctioned_paise
    if before + amount > sanctioned:
        left = sanctioned - before
        raise _invalid(
            f"Releasing {rupees_text(amount)} would bring the funds released to "
            f"{rupees_text(before + amount)}, above the {rupees_text(sanctioned)} "
            f"sanctioned ({rupees_text(before)} released already; at most "
            f"{rupees_text(left)} is left).",
            f"{rupees_text(amount)} जारी करने से कुल जारी राशि {rupees_text(before + amount)} "
            f"हो जाएगी, जो स्वीकृत {rupees_text(sanctioned)} से अधिक है (पहले ही "
            f"{rupees_text(before)} जारी; अधिकतम {rupees_text(left)} शेष)।",
            "amount", f"at most {rupees_text(left)}", "released_within_sanctioned",
            amount_paise=amount, released_paise=before, sanctioned_paise=sanctioned,
            left_paise=left)
    entry_id = _insert(session, ctx, row, "release", command.released_on, amount, now,
                       reference=command.reference, remarks=command.remarks)
    return entry_id, row, entries(session, row.id)


def utilise(session: Session, ctx: CallContext, command: Any, now: datetime
            ) -> tuple[str, Any, list[Any]]:
    """The society's utilisation certificate for funds released to it."""
    row = applications.visible(session, ctx, command.application_id)
    if not (scopes.is_system(ctx) or (ctx.actor_role == scopes.REPRESENTATIVE and
                                      row.society_id in scopes.scoped_ids(ctx, "society"))):
        raise Forbidden("The society certifies the utilisation of the funds released to "
                        "it.", {"rule": "society_certifies_utilisation",
                                "required_roles": [scopes.REPRESENTATIVE],
                                "required_scope": f"society:{row.society_id}",
                                "your_role": ctx.actor_role,
                                "message_hi": "समिति अपने को जारी राशि के उपयोग का "
                                              "प्रमाणपत्र देती है।"})
    row = _locked(session, row.id)
    _ensure_sanctioned(row, "a utilisation certificate", "उपयोग प्रमाणपत्र")
    recorded = entries(session, row.id)
    releases = [r for r in recorded if r.entry == "release"]
    if not releases:
        raise Conflict("No funds of this sanction are recorded as released: a utilisation "
                       "certificate follows a release.",
                       {"rule": "utilisation_follows_release", "released_paise": 0,
                        "message_hi": "इस स्वीकृति की कोई राशि जारी दर्ज नहीं है: उपयोग "
                                      "प्रमाणपत्र राशि जारी होने के बाद ही दिया जाता है।"})
    first = releases[0].on_date
    if command.utilised_on < first:
        raise _invalid(
            f"Funds cannot be utilised on {day_text(command.utilised_on)}, before their "
            f"first release on {day_text(first)}.",
            f"राशि का उपयोग {day_text(command.utilised_on)} को नहीं हो सकता, यह पहली बार "
            f"राशि जारी होने ({day_text(first)}) से पहले है।", "utilised_on",
            f"on or after {first}", "utilised_after_release",
            utilised_on=command.utilised_on.isoformat(), first_released_on=first.isoformat())
    _ensure_not_future(command.utilised_on, applications.india_day(now), "utilised_on")
    amount = paise_of(command.amount_utilised)
    released, before = _sum(releases, "release"), _sum(recorded, "utilisation")
    if before + amount > released:
        raise _invalid(
            f"Utilising {rupees_text(amount)} would bring the funds utilised to "
            f"{rupees_text(before + amount)}, above the {rupees_text(released)} released "
            f"({rupees_text(before)} certified already).",
            f"{rupees_text(amount)} के उपयोग से कुल उपयोग {rupees_text(before + amount)} हो "
            f"जाएगा, जो जारी {rupees_text(released)} से अधिक है (पहले ही "
            f"{rupees_text(before)} प्रमाणित)।", "amount_utilised",
            f"at most {rupees_text(released - before)}", "utilised_within_released",
            amount_paise=amount, utilised_paise=before, released_paise=released)
    entry_id = _insert(session, ctx, row, "utilisation", command.utilised_on, amount, now,
                       document_id=command.document_id, remarks=command.remarks)
    return entry_id, row, entries(session, row.id)


def repay(session: Session, ctx: CallContext, command: Any, now: datetime
          ) -> tuple[str, Any, list[Any]]:
    """A repayment of a Government loan, recorded by the offices over the society."""
    row = applications.visible(session, ctx, command.application_id)
    if not scopes.staff_reaches(ctx, row.office_chain):
        raise Forbidden("The Registrar's offices over the society record the repayments "
                        "they receive.",
                        {"rule": "office_records_repayments",
                         "required_roles": list(scopes.STAFF), "your_role": ctx.actor_role,
                         "message_hi": "समिति के ऊपर के रजिस्ट्रार कार्यालय प्राप्त अदायगी "
                                       "दर्ज करते हैं।"})
    row = _locked(session, row.id)
    if row.kind != "loan":
        raise Conflict(f"Only a loan is repaid; this application is for "
                       f"{row.kind.replace('_', ' ')}.",
                       {"rule": "repayments_are_of_loans", "kind": row.kind,
                        "message_hi": f"केवल ऋण की अदायगी होती है; यह आवेदन "
                                      f"{KIND_HI[row.kind]} के लिए है।"})
    _ensure_sanctioned(row, "a repayment", "अदायगी")
    principal, interest = paise_of(command.principal), paise_of(command.interest)
    if principal + interest == 0:
        raise _invalid("A repayment pays principal, interest or both.",
                       "अदायगी में मूलधन, ब्याज या दोनों होते हैं।", "principal",
                       "more than ₹0 with the interest", "repayment_pays_something")
    recorded = entries(session, row.id)
    releases = [r for r in recorded if r.entry == "release"]
    if not releases:
        raise Conflict("No funds of this loan are recorded as released: a repayment "
                       "follows a release.",
                       {"rule": "repayment_follows_release", "released_paise": 0,
                        "message_hi": "इस ऋण की कोई राशि जारी दर्ज नहीं है: अदायगी राशि "
                                      "जारी होने के बाद ही होती है।"})
    first = releases[0].on_date
    if command.paid_on < first:
        raise _invalid(
            f"A repayment cannot be made on {day_text(command.paid_on)}, before the loan "
            f"was first released on {day_text(first)}.",
            f"अदायगी {day_text(command.paid_on)} को नहीं हो सकती, यह ऋण पहली बार जारी होने "
            f"({day_text(first)}) से पहले है।", "paid_on", f"on or after {first}",
            "repaid_after_release", paid_on=command.paid_on.isoformat(),
            first_released_on=first.isoformat())
    _ensure_not_future(command.paid_on, applications.india_day(now), "paid_on")
    released, before = _sum(releases, "release"), _sum(recorded, "repayment")
    if before + principal > released:
        raise _invalid(
            f"Repaying {rupees_text(principal)} of principal would bring the principal "
            f"repaid to {rupees_text(before + principal)}, above the "
            f"{rupees_text(released)} released ({rupees_text(before)} repaid already).",
            f"{rupees_text(principal)} मूलधन की अदायगी से कुल अदायगी "
            f"{rupees_text(before + principal)} हो जाएगी, जो जारी {rupees_text(released)} से "
            f"अधिक है (पहले ही {rupees_text(before)} अदा)।", "principal",
            f"at most {rupees_text(released - before)}", "repaid_within_released",
            principal_paise=principal, repaid_paise=before, released_paise=released)
    entry_id = _insert(session, ctx, row, "repayment", command.paid_on, principal, now,
                       interest_paise=interest, reference=command.reference,
                       remarks=command.remarks)
    return entry_id, row, entries(session, row.id)


# -- answers -------------------------------------------------------------------------

def record_dict(entry: Any, overdue_at: dict[str, int] | None = None) -> dict:
    repayment = entry.entry == "repayment"
    overdue_before = overdue_at.get(entry.id) if overdue_at is not None and repayment \
        else None
    return contracts.FundsRecordV1(
        id=entry.id, application_id=entry.application_id, society_id=entry.society_id,
        entry=entry.entry, on_date=entry.on_date, amount_paise=entry.amount_paise,
        amount=rupees_text(entry.amount_paise),
        interest_paise=entry.interest_paise if repayment else None,
        interest=rupees_text(entry.interest_paise) if repayment else None,
        reference=entry.reference, document_id=entry.document_id, remarks=entry.remarks,
        recorded_by=entry.recorded_by, recorded_at=entry.recorded_at,
        overdue=(overdue_before > 0) if overdue_before is not None else None,
        overdue_before_paise=overdue_before).wire()


def _overdue_at(row: Any, recorded: list[Any], as_on: date) -> dict[str, int] | None:
    if row.kind != "loan" or not row.repayment_schedule:
        return None
    return position(row.repayment_schedule,
                    [r for r in recorded if r.entry == "repayment"], as_on)["overdue_at"]


def funds_of(row: Any, recorded: list[Any], as_on: date) -> dict:
    """The application's funds as on ``as_on`` (records dated after it left out)."""
    upto = [r for r in recorded if r.on_date <= as_on]
    sanctioned = row.amount_sanctioned_paise or 0
    released, utilised = _sum(upto, "release"), _sum(upto, "utilisation")
    texts = {"sanctioned": rupees_text(sanctioned), "released": rupees_text(released),
             "utilised": rupees_text(utilised),
             "unutilised": rupees_text(released - utilised)}
    answer: dict[str, Any] = {
        "application_id": row.id, "society_id": row.society_id, "kind": row.kind,
        "financial_year": row.financial_year, "status": row.status, "as_on": as_on,
        "sanctioned_paise": sanctioned, "released_paise": released,
        "utilised_paise": utilised, "unutilised_paise": released - utilised,
        "releases": sum(1 for r in upto if r.entry == "release"),
        "utilisations": sum(1 for r in upto if r.entry == "utilisation"),
        "repayments": sum(1 for r in upto if r.entry == "repayment")}
    if row.kind == "loan":
        repaid = _sum(upto, "repayment")
        interest = sum(r.interest_paise for r in upto if r.entry == "repayment")
        answer.update(principal_repaid_paise=repaid, interest_paid_paise=interest,
                      outstanding_paise=released - repaid)
        texts.update(principal_repaid=rupees_text(repaid), interest_paid=rupees_text(
            interest), outstanding=rupees_text(released - repaid))
        if row.repayment_schedule:
            loan = position(row.repayment_schedule,
                            [r for r in upto if r.entry == "repayment"], as_on)
            answer.update(overdue_paise=loan["overdue_paise"], schedule=loan["instalments"])
            texts["overdue"] = rupees_text(loan["overdue_paise"])
    return contracts.FundsV1(**answer, texts=texts).wire()


def list_records(session: Session, ctx: CallContext, query: Any, today: date) -> dict:
    """One kind of record of an application the caller may see, oldest first."""
    row = applications.visible(session, ctx, query.application_id)
    recorded = entries(session, row.id)
    overdue_at = _overdue_at(row, recorded, today)
    wanted = [r for r in recorded if r.entry == ENTRY_OF[query.record]]
    page = wanted[query.offset:query.offset + query.limit]
    more = query.offset + query.limit < len(wanted)
    return {"items": [record_dict(r, overdue_at) for r in page],
            "next_offset": query.offset + query.limit if more else None}


def answer_for(row: Any, entry_id: str, recorded: list[Any], today: date) -> dict:
    """What recording answers: the record and the application's funds after it."""
    entry = next(r for r in recorded if r.id == entry_id)
    return {"record": record_dict(entry, _overdue_at(row, recorded, today)),
            "funds": funds_of(row, recorded, today)}
