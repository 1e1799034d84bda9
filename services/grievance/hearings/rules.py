"""Dated rules of appeals and which action of a kind a hearing or an order is. Pure."""

from __future__ import annotations

from datetime import date, timedelta

from services.common.errors import InvalidInput, OutsideWindow
from services.common.india import day_text
from services.grievance.kinds.appeal import FILING_WINDOW_DAYS

# The kind's transition a hearing takes (roles and states come from the kind).
HEARING_ACTION = {"appeal": "hear", "arbitration": "hear", "court_case": "list_hearing"}
# The transition an order takes: (kind, final) -> action.
ORDER_ACTION = {("appeal", True): "decide", ("arbitration", True): "make_award",
                ("court_case", False): "record_order", ("court_case", True): "dispose"}


def ensure_in_time(order_date: date, today: date) -> None:
    """Refuse an appeal filed after the 60 days, naming the order's date and the last day."""
    if order_date > today:
        raise InvalidInput("The order cannot be dated after today.",
                           fields={"order_date": f"after today ({day_text(today)})"})
    last_day = order_date + timedelta(days=FILING_WINDOW_DAYS)
    if today > last_day:
        raise OutsideWindow(
            f"An appeal must be filed within {FILING_WINDOW_DAYS} days of the order: the "
            f"order is dated {day_text(order_date)}, so the last day was "
            f"{day_text(last_day)} (today is {day_text(today)}).",
            {"opens_at": order_date.isoformat(), "closes_at": last_day.isoformat(),
             "rule": f"appeal: within {FILING_WINDOW_DAYS} days of the order"})


def action_for_hearing(kind: str) -> str:
    if kind not in HEARING_ACTION:
        raise InvalidInput(f"A {kind.replace('_', ' ')} has no hearings.",
                           fields={"case_id": "an appeal, arbitration or court case"})
    return HEARING_ACTION[kind]


def action_for_order(kind: str, final: bool) -> str:
    action = ORDER_ACTION.get((kind, final))
    if action is None:
        which = "final" if final else "interim"
        raise InvalidInput(f"A {kind.replace('_', ' ')} takes no {which} order here.",
                           fields={"final": f"no {which} order for a {kind}"})
    return action
