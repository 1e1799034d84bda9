"""A loan's repayments set against its schedule, oldest first (paid, paid late, overdue,
not yet due, to the paisa), the schedule checked when sanctioned, and the history rules
reading releases, utilisation certificates and repayments from the society's records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from services.common.contracts.filings_assistance import InstalmentV1
from services.common.errors import InvalidInput
from services.filings.assistance import eligibility, funds
from services.filings.assistance.records import FundsEntry, Records, Sanction

SCHEDULE = [{"due_on": "2025-03-31", "principal_paise": 5000000},
            {"due_on": "2026-03-31", "principal_paise": 5000000}]
SOUND = {"individual_shares": "15000", "paid_up": "100000", "authorised": "200000",
         "govt_equity": "0", "members": 40, "members_5_years_ago": 30,
         "audit_years_pending": 0, "net_profit": "80000", "accumulated_loss": "0",
         "owned_capital": "150000", "to_reserve": "20000", "to_cdf": "8000",
         "dividend_percent": "12.5", "state_level": 0, "weak": 0, "newly_registered": 0}
JUNE = date(2026, 6, 15)


@dataclass
class Paid:
    id: str
    on_date: date
    amount_paise: int
    recorded_at: datetime = datetime(2026, 1, 1, tzinfo=UTC)


def test_repayments_settle_instalments_oldest_first_and_say_what_is_overdue():
    paid = [Paid("r1", date(2025, 3, 31), 4999999), Paid("r2", date(2025, 4, 2), 1),
            Paid("r3", date(2026, 3, 1), 2000000)]
    loan = funds.position(SCHEDULE, paid, JUNE)
    assert [(i["status"], i["paid_paise"], i["settled_on"], i["days_overdue"])
            for i in loan["instalments"]] == [
        ("paid_late", 5000000, date(2025, 4, 2), 2),
        ("overdue", 2000000, None, 76)]
    assert (loan["due_paise"], loan["repaid_paise"], loan["overdue_paise"]) == (
        10000000, 7000000, 3000000)
    # r2 came while a paisa of the first instalment was overdue; r3 before the second
    assert loan["overdue_at"] == {"r1": 0, "r2": 1, "r3": 0}
    # on the day an instalment falls due it is not overdue yet
    early = funds.position(SCHEDULE, [], date(2025, 3, 31))
    assert [i["status"] for i in early["instalments"]] == ["not_yet_due", "not_yet_due"]
    assert early["overdue_paise"] == 0


def test_a_schedule_is_a_loans_after_the_order_adding_up_to_the_sanction():
    items = [InstalmentV1(due_on=date(2026, 3, 31), principal=Decimal("50000")),
             InstalmentV1(due_on=date(2025, 3, 31), principal=Decimal("50000"))]
    assert funds.schedule_of("loan", items, 10000000, date(2024, 8, 1)) == SCHEDULE
    assert funds.schedule_of("grant", None, 10000000, date(2024, 8, 1)) is None
    for kind, amount, order, rule in (
            ("grant", 10000000, date(2024, 8, 1), "schedule_is_for_loans"),
            ("loan", 10000001, date(2024, 8, 1), "schedule_adds_up_to_sanctioned"),
            ("loan", 10000000, date(2025, 3, 31), "instalments_after_sanction")):
        with pytest.raises(InvalidInput) as refused:
            funds.schedule_of(kind, items, amount, order)
        assert refused.value.details["rule"] == rule
        assert refused.value.details["message_hi"]


def _entry(kind: str, day: str, paise: int, document: str | None = None) -> FundsEntry:
    return FundsEntry(f"{kind}-{day}", kind, date.fromisoformat(day), paise, 0, document,
                      None)


def _held(*sanctions: Sanction) -> Records:
    return Records("soc-1", JUNE, audit={
        "years_pending": 0, "pending_years": [], "as_on": JUNE.isoformat(),
        "last_audited_year": "2024-25", "category": "up_to_date"},
        sanctions=list(sanctions), due_on={"2025-26": date(2026, 9, 30)})


def _verdict(kind: str, rule: str, held: Records) -> dict:
    answer = eligibility.evaluate("Meghalaya", kind, SOUND, JUNE, held)
    return next(v for v in answer["verdicts"] if v["rule"] == rule)


@pytest.mark.parametrize("utilised, figure, outcome", [
    (6000000, "60000", "passed"), (5999999, "59999.99", "failed"),
    (None, None, "not_known")])
def test_a_grant_is_utilised_when_its_certificates_cover_what_was_released(
        utilised, figure, outcome):
    entries = [_entry("release", "2024-09-01", 6000000)]
    if utilised is not None:
        entries.append(_entry("utilisation", "2025-03-01", utilised, "doc-uc"))
    grant = Sanction("app-g", "grant", "2024-25", 10000000, "COD/9", date(2024, 8, 1),
                     tuple(entries))
    verdict = _verdict("grant", "past_subsidy_utilised", _held(grant))
    assert verdict["outcome"] == outcome
    year = next(y for y in verdict["years"] if y["financial_year"] == "2024-25")
    if utilised is None:
        assert "no utilisation certificate is recorded for the ₹60,000 of grant" in \
            verdict["not_known"]["en"]
    else:
        assert (year["figure"], year["threshold"]) == (figure, "60000")
        assert year["figures"]["released.grant"]["source"] == "releases"


def test_a_loans_recovery_is_repaid_principal_against_what_has_fallen_due():
    entries = (_entry("release", "2024-09-01", 10000000),
               _entry("repayment", "2025-04-10", 5000000),
               _entry("repayment", "2026-07-01", 5000000))   # after the day: not read
    loan = Sanction("app-l", "loan", "2024-25", 10000000, "L/1", date(2024, 8, 1),
                    entries, tuple(SCHEDULE))
    # Records.read leaves out entries after the day; here the record is built by hand
    held = _held(Sanction(**{**loan.__dict__, "entries": entries[:2]}))
    verdict = _verdict("loan", "past_loans_recovered", held)
    year = next(y for y in verdict["years"] if y["financial_year"] == "2024-25")
    assert (verdict["outcome"], year["figure"], year["threshold"]) == (
        "failed", "50000", "100000")
    assert year["figures"]["due.loan"]["applications"][0]["instalments_due"] == SCHEDULE
