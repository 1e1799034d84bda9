"""The budget split report (seed 004, Part I): share capital contribution and managerial
subsidy go to state-level federations and to primary societies "at a probable ratio of
30:70" of the Department's outlay. For one state and financial year: the amounts
sanctioned and recommended to each side, their share of the total and the share the
split expects, in exact paise (percentages to two decimals, half up) and as ₹ with Indian
grouping. Loans are outside the split and shown on their own.

What counts as recommended: for a district or primary society the District Level
Committee's amount (the application recommended, forwarded, sanctioned or rejected); a
state-level society has no committee (it applies to the Registrar), so its amount asked
stands for the amount before the Registrar."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.errors import NotFound
from services.common.india import rupees_text
from services.filings.assistance import eligibility
from services.filings.tables import assistance_application

LEVELS = ("state", "primary")
RECOMMENDED = ("recommended", "forwarded", "sanctioned", "rejected")
HUNDREDTH = Decimal("0.01")


def _percent(part: int, whole: int) -> str | None:
    if whole == 0:
        return None
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(HUNDREDTH, ROUND_HALF_UP))


def _money(paise: int) -> dict:
    return {"paise": paise, "text": rupees_text(paise)}


def _split(totals: dict[str, int], expected: dict[str, Decimal]) -> dict:
    whole = sum(totals.values())
    out = {"total": _money(whole)}
    for level in LEVELS:
        due = (Decimal(whole) * expected[level] / 100).quantize(Decimal(1), ROUND_HALF_UP)
        out[level] = {**_money(totals[level]), "percent": _percent(totals[level], whole),
                      "expected_percent": str(expected[level]),
                      "expected": _money(int(due)),
                      "difference": _money(totals[level] - int(due))}
    return out


def report(session: Session, state: str, financial_year: str) -> dict:
    rule_set = eligibility.rule_sets().get(state)
    if rule_set is None or rule_set.budget_split is None:
        raise NotFound("No budget split for this state.", {"state": state})
    split = rule_set.budget_split
    expected = {level: Decimal(split[level]) for level in LEVELS}
    t = assistance_application
    rows = session.execute(select(
        t.c.level, t.c.kind, t.c.status, t.c.amount_asked_paise,
        t.c.amount_recommended_paise, t.c.amount_sanctioned_paise)
        .where(t.c.state == state, t.c.financial_year == financial_year)).all()
    sanctioned = {level: 0 for level in LEVELS}
    recommended = {level: 0 for level in LEVELS}
    loans = {"sanctioned": 0, "applications": 0}
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
        if row.kind not in split["kinds"]:
            loans["applications"] += 1
            loans["sanctioned"] += row.amount_sanctioned_paise or 0
            continue
        if row.status == "sanctioned":
            sanctioned[row.level] += row.amount_sanctioned_paise
        if row.level == "primary" and row.status in RECOMMENDED:
            recommended["primary"] += row.amount_recommended_paise
        elif row.level == "state" and row.status in ("submitted", "sanctioned", "rejected"):
            recommended["state"] += row.amount_asked_paise
    return {"state": state, "financial_year": financial_year,
            "kinds": list(split["kinds"]),
            "split": {level: str(expected[level]) for level in LEVELS},
            "sanctioned": _split(sanctioned, expected),
            "recommended": _split(recommended, expected),
            "loans": {"applications": loans["applications"],
                      "sanctioned": _money(loans["sanctioned"])},
            "applications": len(rows), "by_status": counts}
