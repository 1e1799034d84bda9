"""An application's way after submission (seed 004 § 5 (a) (vi), § 6):

- a district or primary society's: the District Level Committee (staff of the district
  office: ``dealing_officer`` / ``registrar`` with ``office:<district office>``) recommends
  an amount at most the one asked, or does not recommend (the application ends there),
  with reasons either way; the district office forwards a recommended one to the state
  Registrar; the Registrar (``registrar`` with ``office:<state office>``) sanctions an
  amount at most the one recommended, with the order's reference and date, or rejects
  it with reasons;
- a state-level society's goes to the Registrar directly: sanctioned (at most the amount
  asked) or rejected.

A step out of order is refused (409) naming the rule it breaks; a step is taken only if
the application is still where it was read (``UPDATE … WHERE status = …``), so two
officers deciding at once cannot both succeed. The committee may recommend an
application that fails an eligibility rule (it examines inspection reports the machine
does not see); the step then lists the rules it passes over."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.contracts import filings_assistance as contracts
from services.common.errors import Conflict, Forbidden, InvalidInput
from services.common.india import paise_of, rupees_text
from services.filings import scopes
from services.filings.assistance import applications, funds
from services.filings.tables import assistance_application

# step -> (the statuses it may follow, by level), the status it leaves, the rule's name
# what a status and a step are called in Hindi (the messages carry both languages)
HINDI = {"submitted": "प्रस्तुत", "recommended": "अनुशंसित", "not_recommended": "अनुशंसित नहीं",
         "forwarded": "अग्रेषित", "sanctioned": "स्वीकृत", "rejected": "अस्वीकृत"}

STEPS: dict[str, tuple[dict[str, tuple[str, ...]], str, str]] = {
    "recommended": ({"primary": ("submitted",)}, "recommended",
                    "committee_examines_submitted_applications"),
    "not_recommended": ({"primary": ("submitted",)}, "not_recommended",
                        "committee_examines_submitted_applications"),
    "forwarded": ({"primary": ("recommended",)}, "forwarded",
                  "only_recommended_applications_are_forwarded"),
    "sanctioned": ({"primary": ("forwarded",), "state": ("submitted",)}, "sanctioned",
                   "registrar_decides_forwarded_applications"),
    "rejected": ({"primary": ("forwarded",), "state": ("submitted",)}, "rejected",
                 "registrar_decides_forwarded_applications"),
}


def ensure_order(row: Any, step: str) -> None:
    allowed, _, rule = STEPS[step]
    if row.status in allowed.get(row.level, ()):
        return
    if row.level == "state" and step in ("recommended", "not_recommended", "forwarded"):
        rule = "state_level_societies_apply_to_the_registrar"
        message = ("A state-level society applies to the Registrar directly: there is no "
                   "District Level Committee step.")
        hindi = ("राज्य स्तरीय समिति सीधे रजिस्ट्रार को आवेदन करती है: इसमें जिला स्तरीय "
                 "समिति का चरण नहीं है।")
    else:
        message = (f"The application is {row.status.replace('_', ' ')}: it cannot be "
                   f"{step.replace('_', ' ')} now.")
        hindi = f"आवेदन {HINDI[row.status]} है: अभी यह चरण ({HINDI[step]}) नहीं हो सकता।"
    raise Conflict(message, {"rule": rule, "status": row.status, "step": step,
                             "allowed_from": list(allowed.get(row.level, ())),
                             "message_hi": hindi})


def ensure_committee(ctx: CallContext, row: Any) -> None:
    """The district office's staff (the committee and its Assistant Registrar)."""
    if scopes.is_system(ctx) or (ctx.actor_role in scopes.STAFF and row.district_office_id
                                 in scopes.scoped_ids(ctx, "office")):
        return
    raise Forbidden("The District Level Committee of the society's district recommends and "
                    "its office forwards.",
                    {"rule": "district_level_committee", "required_roles": list(scopes.STAFF),
                     "required_scope": f"office:{row.district_office_id}",
                     "your_role": ctx.actor_role,
                     "message_hi": "समिति के जिले की जिला स्तरीय समिति अनुशंसा करती है और "
                                   "उसका कार्यालय अग्रेषित करता है।"})


def ensure_registrar(ctx: CallContext, row: Any) -> None:
    if scopes.is_system(ctx) or (ctx.actor_role == "registrar" and row.state_office_id
                                 in scopes.scoped_ids(ctx, "office")):
        return
    raise Forbidden("The Registrar of the state sanctions or rejects assistance.",
                    {"rule": "registrar_sanctions", "required_roles": ["registrar"],
                     "required_scope": f"office:{row.state_office_id}",
                     "your_role": ctx.actor_role,
                     "message_hi": "राज्य के रजिस्ट्रार सहायता स्वीकृत या अस्वीकृत करते हैं।"})


CAPS_HI = {"amount asked": "माँगी गई राशि", "amount recommended": "अनुशंसित राशि"}


def _capped(amount_paise: int, cap_paise: int, field: str, cap_name: str,
            rule: str) -> None:
    if amount_paise > cap_paise:
        raise InvalidInput(
            f"{rupees_text(amount_paise)} is more than the {cap_name} "
            f"({rupees_text(cap_paise)}).",
            {"rule": rule, "amount_paise": amount_paise, "cap_paise": cap_paise,
             "message_hi": f"{rupees_text(amount_paise)} {CAPS_HI[cap_name]} "
                           f"({rupees_text(cap_paise)}) से अधिक है।"},
            fields={field: f"at most {rupees_text(cap_paise)}, the {cap_name}"})


def _move(session: Session, ctx: CallContext, row: Any, step: str, now: datetime,
          values: dict, amount_paise: int | None, reasons: str | None,
          extra: dict | None = None) -> None:
    ensure_order(row, step)
    entry = {"step": step, "by": ctx.actor_id or "system", "at": now.isoformat(),
             "amount_paise": amount_paise, "reasons": reasons, **(extra or {})}
    done = session.execute(
        update(assistance_application)
        .where(assistance_application.c.id == row.id,
               assistance_application.c.status == row.status)
        .values(status=STEPS[step][1], steps=[*row.steps, entry], updated_at=now,
                **values))
    if done.rowcount != 1:
        raise Conflict("The application was decided meanwhile; read it again.",
                       {"rule": "one_decision_at_a_time", "application_id": row.id})


def recommend(session: Session, ctx: CallContext, row: Any, command: Any,
              now: datetime) -> str:
    """The committee's word; answers the step taken."""
    step = "recommended" if command.recommended else "not_recommended"
    ensure_order(row, step)
    ensure_committee(ctx, row)
    amount = None
    if command.recommended:
        if command.amount_recommended is None:
            raise InvalidInput("A recommendation names the amount recommended.",
                               fields={"amount_recommended": "required when recommended"})
        amount = paise_of(command.amount_recommended)
        _capped(amount, row.amount_asked_paise, "amount_recommended", "amount asked",
                "recommended_within_asked")
    elif command.amount_recommended is not None:
        raise InvalidInput("An application not recommended has no amount.",
                           fields={"amount_recommended": "only when recommended"})
    over = applications.failed_rules(row.eligibility) if command.recommended else []
    _move(session, ctx, row, step, now, {"amount_recommended_paise": amount}, amount,
          command.reasons, {"despite_rules": over} if over else None)
    return step


def forward(session: Session, ctx: CallContext, row: Any, command: Any,
            now: datetime) -> str:
    ensure_order(row, "forwarded")
    ensure_committee(ctx, row)
    _move(session, ctx, row, "forwarded", now, {}, row.amount_recommended_paise,
          command.remarks, {"to_office_id": row.state_office_id})
    return "forwarded"


def sanction(session: Session, ctx: CallContext, row: Any, command: Any,
             now: datetime) -> str:
    ensure_order(row, "sanctioned")
    ensure_registrar(ctx, row)
    amount = paise_of(command.amount_sanctioned)
    if row.level == "primary":
        _capped(amount, row.amount_recommended_paise, "amount_sanctioned",
                "amount recommended", "sanctioned_within_recommended")
    else:
        _capped(amount, row.amount_asked_paise, "amount_sanctioned", "amount asked",
                "sanctioned_within_asked")
    if command.order_date < row.submitted_on:
        raise InvalidInput("The sanction order cannot be dated before the application.",
                           fields={"order_date": f"on or after {row.submitted_on}"})
    schedule = funds.schedule_of(row.kind, command.repayment_schedule, amount,
                                 command.order_date)
    # a state-level society's comes to the Registrar without a committee: the sanction
    # lists the rules it passes over, as a recommendation does
    over = applications.failed_rules(row.eligibility) if row.level == "state" else []
    _move(session, ctx, row, "sanctioned", now,
          {"amount_sanctioned_paise": amount, "order_reference": command.order_reference,
           "order_date": command.order_date, "repayment_schedule": schedule}, amount,
          command.remarks,
          {"order_reference": command.order_reference,
           "order_date": command.order_date.isoformat(),
           **({"despite_rules": over} if over else {})})
    return "sanctioned"


def reject(session: Session, ctx: CallContext, row: Any, command: Any,
           now: datetime) -> str:
    ensure_order(row, "rejected")
    ensure_registrar(ctx, row)
    _move(session, ctx, row, "rejected", now, {}, None, command.reasons)
    return "rejected"


def decided_event(row: Any, step: str, now: datetime) -> contracts.AssistanceDecidedV1:
    """The step as the society's mailbox hears it (``row`` read after the step)."""
    last = row.steps[-1]
    return contracts.AssistanceDecidedV1(
        application_id=row.id, society_id=row.society_id, society_name=row.society_name,
        kind=row.kind, financial_year=row.financial_year, outcome=step,
        amount_asked_paise=row.amount_asked_paise, amount_paise=last.get("amount_paise"),
        reasons=last.get("reasons"), order_reference=row.order_reference,
        order_date=row.order_date, decided_at=now, state_office_id=row.state_office_id)
