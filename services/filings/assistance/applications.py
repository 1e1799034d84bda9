"""Applications for financial assistance (seed 004): a society's representative applies
for one kind of assistance (share capital contribution, grant-in-aid / managerial
subsidy, loan) for one financial year, with the amount asked, the documents seed 004
asks for (document ids) and the figures the eligibility rules read.

- The window: applications for ``2026-27`` are received from 1 April 2026 (the
  co-operative year begins, seed 004 § 2.4) to the rule set's ``apply_by`` (30 June),
  India dates; outside it the application is refused naming the rule and both dates.
- The eligibility evaluation is stored with the application at submission, every
  verdict with its figure, threshold and pass or fail. An application that fails a rule
  is still received, marked ineligible with the failing rules listed: the District Level
  Committee examines it with the inspection reports and sees why (seed 004 § 5 (a) (vi)).
- The figures the platform holds (the audit status, the latest accepted annual return's
  fields) are read into the evaluation with their sources; the history rules are checked
  from the society's returns and the assistance sanctioned here (records.py, history.py).
- A state-level society (``state_level`` = 1) applies to the Registrar of its state
  directly (§ 6 (i)); a district or primary society to the Assistant Registrar of its
  district, whose District Level Committee recommends (§ 6 (ii))."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.contracts import filings_assistance as contracts
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound, OutsideWindow
from services.common.india import INDIA, day_text, paise_of, rupees_text
from services.filings import scopes
from services.filings.assistance import eligibility, records
from services.filings.tables import assistance_application

# The co-operative year begins on 1 April (seed 004 § 2.4): the window opens then.
YEAR_OPENS = (4, 1)


def india_day(moment: datetime) -> date:
    return moment.astimezone(INDIA).date()


def window(state: str, financial_year: str) -> tuple[date, date]:
    """The days applications for a financial year are received, from its rule set."""
    rule_set = eligibility.rule_sets().get(state)
    if rule_set is None:
        raise NotFound("No assistance rules for this state.", {"state": state})
    year = int(financial_year[:4])
    month, day = (int(x) for x in rule_set.apply_by.split("-"))
    return date(year, *YEAR_OPENS), date(year, month, day)


def ensure_financial_year(financial_year: str) -> None:
    start, end = int(financial_year[:4]), int(financial_year[5:])
    if (start + 1) % 100 != end:
        raise InvalidInput("A financial year runs April to March: 2026-27.",
                           fields={"financial_year": f"{start}-{(start + 1) % 100:02d}"})


def ensure_in_window(state: str, financial_year: str, today: date) -> None:
    opens, closes = window(state, financial_year)
    if opens <= today <= closes:
        return
    raise OutsideWindow(
        f"Applications for financial assistance for {financial_year} are received from "
        f"{day_text(opens)} to {day_text(closes)} (rule apply_by); today is "
        f"{day_text(today)}.",
        {"rule": "apply_by", "opens_at": opens.isoformat(), "closes_at": closes.isoformat(),
         "applied_on": today.isoformat(),
         "message_hi": f"{financial_year} के लिए वित्तीय सहायता के आवेदन {day_text(opens)} से "
                       f"{day_text(closes)} तक लिए जाते हैं (नियम apply_by); आज "
                       f"{day_text(today)} है।"})


def ensure_applicant(ctx: CallContext, society_id: str) -> None:
    if not (scopes.is_system(ctx) or (ctx.actor_role == scopes.REPRESENTATIVE
                                      and society_id in scopes.scoped_ids(ctx, "society"))):
        raise Forbidden("A society's representative applies for its society's assistance.",
                        {"rule": "applicant_is_the_society",
                         "message_hi": "समिति का प्रतिनिधि अपनी समिति की सहायता हेतु आवेदन "
                                       "करता है।",
                         "required_roles": [scopes.REPRESENTATIVE],
                         "your_role": ctx.actor_role})


def offices_of(chain: list[str], levels: dict[str, str], level: str) -> tuple[str | None,
                                                                              str]:
    """The committee's office (the district's, for a district or primary society) and
    the Registrar's (the state's) on the society's office chain."""
    state_office = next((o for o in chain if levels.get(o) == "state"), None)
    district_office = next((o for o in chain if levels.get(o) == "district"), None)
    if state_office is None:
        raise Conflict("The society's offices include no state Registrar to sanction "
                       "assistance.", {"rule": "registrar_of_the_state",
                                       "office_chain": chain})
    if level == "primary" and district_office is None:
        raise Conflict("A district or primary society applies through the Assistant "
                       "Registrar of its district; the society is registered under no "
                       "district office.", {"rule": "district_level_committee",
                                            "office_chain": chain,
                                            "message_hi": "जिला या प्राथमिक समिति अपने जिले के "
                                                          "सहायक रजिस्ट्रार के माध्यम से आवेदन "
                                                          "करती है; समिति किसी जिला कार्यालय में "
                                                          "पंजीकृत नहीं है।"})
    return (district_office if level == "primary" else None), state_office


def level_of(figures: dict[str, Any]) -> str:
    try:
        return "state" if Decimal(str(figures.get("state_level", 0))) == 1 else "primary"
    except ArithmeticError:
        return "primary"


def evaluate_for(session: Session, society: Any, kind: str, figures: dict[str, Any],
                 today: date) -> dict:
    """The eligibility of the society's figures with what the platform holds about it."""
    rule_set = eligibility.rule_sets().get(society.state)
    if rule_set is None:
        raise NotFound("No assistance rules for this state.", {"state": society.state})
    held = records.read(session, society, rule_set.returns, today)
    return eligibility.evaluate(society.state, kind, figures, today, held)


def submit(session: Session, ctx: CallContext, command: Any, society: Any,
           offices: tuple[str | None, str], level: str, now: datetime) -> str:
    """Store the application with its eligibility; answers its id."""
    today = india_day(now)
    ensure_in_window(society.state, command.financial_year, today)
    evaluation = evaluate_for(session, society, command.kind, command.figures, today)
    application_id = str(uuid.uuid4())
    step = {"step": "submitted", "by": ctx.actor_id or "system", "at": now.isoformat(),
            "amount_paise": paise_of(command.amount_asked), "reasons": None}
    try:
        with session.begin_nested():
            session.execute(insert(assistance_application).values(
                id=application_id, society_id=society.society_id,
                society_name=society.name, state=society.state,
                district=society.district, level=level,
                office_chain=list(society.office_chain),
                district_office_id=offices[0], state_office_id=offices[1],
                kind=command.kind, financial_year=command.financial_year,
                amount_asked_paise=paise_of(command.amount_asked),
                purpose=command.purpose, documents=list(command.documents),
                figures={k: str(v) for k, v in command.figures.items()},
                eligibility=evaluation, eligible=evaluation["eligible"],
                status="submitted", submitted_on=today, submitted_at=now,
                submitted_by=ctx.actor_id or "system", steps=[step], updated_at=now))
    except IntegrityError:
        raise Conflict(f"The society has already applied for this kind of assistance for "
                       f"{command.financial_year}.",
                       {"rule": "one_application_per_kind_and_year",
                        "society_id": society.society_id, "kind": command.kind,
                        "financial_year": command.financial_year,
                        "message_hi": f"समिति {command.financial_year} के लिए इस प्रकार की "
                                      f"सहायता हेतु पहले ही आवेदन कर चुकी है।"}) from None
    return application_id


def row_of(session: Session, application_id: str) -> Any:
    row = session.execute(select(assistance_application).where(
        assistance_application.c.id == application_id)).first()
    if row is None:
        raise NotFound("No such application for assistance.",
                       {"application_id": application_id})
    return row


def may_see(ctx: CallContext, row: Any) -> bool:
    return scopes.staff_reaches(ctx, row.office_chain) or (
        ctx.actor_role == scopes.REPRESENTATIVE
        and row.society_id in scopes.scoped_ids(ctx, "society"))


def visible(session: Session, ctx: CallContext, application_id: str) -> Any:
    row = row_of(session, application_id)
    if not may_see(ctx, row):
        raise NotFound("No such application for assistance.",
                       {"application_id": application_id})
    return row


def failed_rules(evaluation: dict) -> list[str]:
    return [v["rule"] for v in evaluation["verdicts"] if v["passed"] is False]


def application_dict(row: Any) -> dict:
    return contracts.ApplicationV1(
        id=row.id, society_id=row.society_id, society_name=row.society_name,
        state=row.state, level=row.level, district_office_id=row.district_office_id,
        state_office_id=row.state_office_id, kind=row.kind,
        financial_year=row.financial_year, amount_asked_paise=row.amount_asked_paise,
        amount_asked=rupees_text(row.amount_asked_paise), purpose=row.purpose,
        documents=row.documents, figures=row.figures, eligible=row.eligible,
        failed_rules=failed_rules(row.eligibility),
        left_to_committee=row.eligibility.get("left_to_committee", []),
        declared_overridden=row.eligibility.get("declared_overridden", []),
        eligibility=row.eligibility,
        status=row.status, submitted_on=row.submitted_on, submitted_at=row.submitted_at,
        submitted_by=row.submitted_by,
        amount_recommended_paise=row.amount_recommended_paise,
        amount_sanctioned_paise=row.amount_sanctioned_paise,
        order_reference=row.order_reference, order_date=row.order_date,
        steps=row.steps, repayment_schedule=row.repayment_schedule).wire()


def list_for(session: Session, ctx: CallContext, query: Any) -> dict:
    """Applications the caller may see, newest first, as ``may_see`` says, in SQL: a
    representative its societies', staff those whose office chain names an office of
    their grant (national staff every one)."""
    table = assistance_application
    stmt = select(table)
    for name in ("society_id", "kind", "financial_year", "status", "eligible"):
        wanted = getattr(query, name)
        if wanted is not None:
            stmt = stmt.where(table.c[name] == wanted)
    if ctx.actor_role == scopes.REPRESENTATIVE:
        stmt = stmt.where(table.c.society_id.in_(scopes.scoped_ids(ctx, "society")))
    elif scopes.is_national_staff(ctx) or ctx.actor_role in scopes.STAFF:
        stmt = stmt.where(scopes.staff_reach_clause(ctx, table.c.office_chain))
    else:
        return {"items": [], "next_offset": None}
    return scopes.page(session, stmt.order_by(table.c.submitted_at.desc(), table.c.id),
                       query.offset, query.limit, application_dict)
