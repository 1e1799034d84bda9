"""Seed 004's eligibility rules for financial assistance, as data: each verdict shows
the figure, the threshold and pass or fail, exactly at the boundaries."""

from __future__ import annotations

from datetime import date

import pytest

from services.common.errors import InvalidInput
from services.filings.assistance import eligibility

SOUND = {"individual_shares": "15000", "paid_up": "100000", "authorised": "200000",
         "govt_equity": "0", "members": 40, "members_5_years_ago": 30,
         "audit_years_pending": 0, "net_profit": "80000", "accumulated_loss": "0",
         "owned_capital": "150000", "to_reserve": "20000", "to_cdf": "8000",
         "dividend_percent": "12.5", "state_level": 0, "weak": 0, "newly_registered": 0}


def _verdicts(kind="share_capital", applied_on=date(2026, 6, 30), **changes):
    answer = eligibility.evaluate("Meghalaya", kind, {**SOUND, **changes}, applied_on)
    return answer, {v["rule"]: v for v in answer["verdicts"]}


def test_a_sound_society_passes_every_rule_exactly_at_the_boundaries():
    answer, verdicts = _verdicts()
    assert answer["eligible"] is True
    assert verdicts["individual_shares_15"] == {
        **verdicts["individual_shares_15"], "figure": "15000", "threshold": "15000",
        "passed": True}
    assert verdicts["reserve_25"]["threshold"] == "20000"      # 25% of ₹80,000
    assert verdicts["dividend_12_5"]["passed"] is True


@pytest.mark.parametrize("changes, rule", [
    ({"individual_shares": "14999.99"}, "individual_shares_15"),
    ({"members": 15, "members_5_years_ago": 15}, "membership_not_stagnant"),
    ({"paid_up": "200000.01", "individual_shares": "40000"}, "paid_up_within_authorised"),
    ({"state_level": 1, "govt_equity": "150000.01"}, "govt_equity_75"),
    ({"audit_years_pending": 1}, "audit_up_to_date"),
    ({"accumulated_loss": "150000.01"}, "loss_within_owned_capital"),
    ({"to_reserve": "19999.99"}, "reserve_25"),
    ({"to_cdf": "8000.01"}, "cdf_10"),
    ({"dividend_percent": "12.51"}, "dividend_12_5"),
])
def test_each_broken_rule_fails_alone_with_its_figures(changes, rule):
    answer, verdicts = _verdicts(**changes)
    assert answer["eligible"] is False
    assert [v["rule"] for v in answer["verdicts"] if not v["passed"]] == [rule]
    assert verdicts[rule]["message_hi"]


def test_weak_societies_have_their_own_rules():
    answer, verdicts = _verdicts("grant", weak=1, net_profit="-30000", agm_years=1,
                                 trading_account_min="99999", net_loss="30000",
                                 business="119999.96")
    failed = {v["rule"] for v in answer["verdicts"] if not v["passed"]}
    assert failed == {"weak_agm_2_years", "weak_trading_1_lakh", "weak_loss_25"}
    assert verdicts["weak_loss_25"]["threshold"] == "29999.99"   # 25% of ₹1,19,999.96


def test_applications_close_on_30_june_and_missing_figures_fail():
    _, verdicts = _verdicts(applied_on=date(2026, 7, 1))
    assert verdicts["apply_by"]["passed"] is False
    answer = eligibility.evaluate("Meghalaya", "share_capital", {"paid_up": "1"},
                                  date(2026, 6, 1))
    assert answer["eligible"] is False
    assert "authorised" in next(v for v in answer["verdicts"]
                                if v["rule"] == "paid_up_within_authorised")["missing"]
    with pytest.raises(InvalidInput):
        eligibility.evaluate("Meghalaya", "grant", {"turnover": "1"}, date(2026, 6, 1))
