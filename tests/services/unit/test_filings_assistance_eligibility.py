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
    assert answer["failed_rules"] == [rule]
    assert verdicts[rule]["message_hi"]


def test_weak_societies_have_their_own_rules():
    answer, verdicts = _verdicts("grant", weak=1, net_profit="-30000", agm_years=1,
                                 trading_account_min="99999", net_loss="30000",
                                 business="119999.96")
    failed = set(answer["failed_rules"])
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


# ---------------------------------------------------------------- the society's records
from services.filings.assistance.records import Records, Return, Sanction  # noqa: E402

JUNE = date(2026, 6, 15)          # 2025-26's annual return is due by 30-09-2026


def _return(year_end: int, **values) -> Return:
    base = {"members_closing": 40, "paid_up": "500000", "authorised_capital": "1000000",
            "net_profit": "80000"}
    return Return("MSCS/ANNUAL", date(year_end, 3, 31), f"filing-{year_end}",
                  f"ACK-{year_end}", {**base, **values})


def _records(returns=(), sanctions=(), pending=()) -> Records:
    return Records("s1", JUNE, {f"{r.period_end.year - 1}-{r.period_end.year % 100:02d}": r
                                for r in returns},
                   {"years_pending": len(pending), "pending_years": list(pending),
                    "as_on": JUNE.isoformat(), "last_audited_year": "2024-25",
                    "category": "pending_1_3" if pending else "up_to_date"},
                   list(sanctions), {"2025-26": date(2026, 9, 30)})


def _contribution(year: str, rupees: int) -> Sanction:
    return Sanction(f"app-{year}", "share_capital", year, rupees * 100, f"COD/{year}",
                    date(int(year[:4]), 8, 1))


@pytest.mark.parametrize("paid_up, passed", [
    ("615000", True), ("614999.99", False), ("615000.01", True)])
def test_shares_grow_by_15_percent_of_each_government_contribution(paid_up, passed):
    held = _records([_return(2023), _return(2024), _return(2025, paid_up=paid_up)],
                    [_contribution("2024-25", 100000)])
    answer = eligibility.evaluate("Meghalaya", "share_capital", SOUND, JUNE, held)
    verdict = next(v for v in answer["verdicts"] if v["rule"] == "shares_grow_with_government")
    assert verdict["outcome"] == ("passed" if passed else "failed")
    assert [y["financial_year"] for y in verdict["years"]] == ["2023-24", "2024-25"]
    assert verdict["years"][0]["applies"] is False        # no contribution that year
    year = verdict["years"][1]
    growth = {"615000": "15000", "614999.99": "14999.99", "615000.01": "15000.01"}[paid_up]
    assert (year["figure"], year["operator"], year["threshold"]) == (growth, ">=", "15000")
    assert year["figures"]["previous.paid_up"]["period_end"] == "2024-03-31"
    assert year["figures"]["sanctioned.share_capital"]["text"] == "₹1,00,000"
    assert "2025-26 is left out" in verdict["years_left_out"]["en"]
    assert ("shares_grow_with_government" in answer["failed_rules"]) is not passed


def test_a_year_without_its_return_is_not_known_and_the_rule_says_what_then():
    held = _records([_return(2025, paid_up="700000")], [_contribution("2024-25", 100000)])
    answer = eligibility.evaluate("Meghalaya", "share_capital", SOUND, JUNE, held)
    verdicts = {v["rule"]: v for v in answer["verdicts"]}
    shares = verdicts["shares_grow_with_government"]        # if_not_known: refuse
    assert (shares["outcome"], shares["passed"]) == ("not_known", False)
    assert "no accepted annual return for 2023-24" in shares["not_known"]["en"]
    assert shares["not_known"]["hi"].startswith("ज्ञात नहीं")
    assert "shares_grow_with_government" in answer["failed_rules"]
    used = verdicts["past_contribution_utilised"]           # if_not_known: committee
    assert (used["outcome"], used["passed"]) == ("not_known", None)
    # the contribution's release is not recorded, so neither is its utilisation
    assert "no release of the share capital contribution of ₹1,00,000" in \
        used["not_known"]["en"]
    assert "District Level Committee" in used["not_known"]["en"]
    assert set(answer["left_to_committee"]) == {"past_contribution_utilised",
                                                "past_contribution_raised_profit"}
    assert answer["eligible"] is False


def test_no_earlier_assistance_passes_saying_so_and_a_loan_without_recovery_is_left():
    answer = eligibility.evaluate("Meghalaya", "share_capital", SOUND, JUNE, _records())
    verdict = next(v for v in answer["verdicts"] if v["rule"] == "past_contribution_utilised")
    assert verdict["passed"] is True
    assert "No share capital contribution was sanctioned" in verdict["none_apply"]["en"]
    loan = Sanction("app-l", "loan", "2022-23", 5000000, "L/1", date(2022, 9, 1))
    answer = eligibility.evaluate("Meghalaya", "loan", SOUND, JUNE, _records(sanctions=[loan]))
    verdict = next(v for v in answer["verdicts"] if v["rule"] == "past_loans_recovered")
    assert verdict["outcome"] == "not_known" and answer["left_to_committee"] == [
        "past_loans_recovered"]
    assert answer["eligible"] is True                      # the committee decides it
    assert [y["financial_year"] for y in verdict["years"] if y["applies"]] == ["2022-23"]


def test_the_platforms_figures_win_over_declared_ones_and_say_where_they_come_from():
    held = _records([_return(2020, members_closing=30),
                     _return(2025, members_closing=41, net_profit="-1")], pending=["2023-24"])
    answer = eligibility.evaluate("Meghalaya", "share_capital",
                                  {**SOUND, "net_profit": "80000"}, JUNE, held)
    figures = answer["figures"]
    assert figures["audit_years_pending"] == {**figures["audit_years_pending"],
                                              "value": "1", "source": "audit",
                                              "pending_years": ["2023-24"], "declared": "0",
                                              "declared_differs": True}
    assert (figures["net_profit"]["value"], figures["net_profit"]["declared"],
            figures["net_profit"]["period_end"]) == ("-1", "80000", "2025-03-31")
    assert figures["members_5_years_ago"]["financial_year"] == "2019-20"
    assert figures["individual_shares"]["source"] == "declared"
    assert answer["declared_overridden"] == ["audit_years_pending", "authorised", "members",
                                             "net_profit", "paid_up"]
    assert figures["members_5_years_ago"]["declared_differs"] is False
    assert {"audit_up_to_date", "running_on_profit"} <= set(answer["failed_rules"])
    profit = next(v for v in answer["verdicts"] if v["rule"] == "running_on_profit")
    assert profit["figures"]["net_profit"]["ack_number"] == "ACK-2025"
    # without a return five years back the declared figure stands, with the reason
    held = _records([_return(2025)])
    answer = eligibility.evaluate("Meghalaya", "share_capital", SOUND, JUNE, held)
    assert answer["figures"]["members_5_years_ago"]["source"] == "declared"
    assert "2019-20" in answer["figures"]["members_5_years_ago"]["not_on_record"]["en"]


def test_a_weak_societys_profit_must_rise_in_each_of_the_last_2_years():
    weak = {**SOUND, "weak": 1, "agm_years": 2, "trading_account_min": "100000",
            "net_loss": "0", "business": "1"}
    held = _records([_return(2023, net_profit="-5000"), _return(2024, net_profit="-4999.99"),
                     _return(2025, net_profit="-4999.99")])
    answer = eligibility.evaluate("Meghalaya", "grant", weak, JUNE, held)
    verdict = next(v for v in answer["verdicts"] if v["rule"] == "weak_profit_rising_2_years")
    assert [(y["financial_year"], y["figure"], y["threshold"], y["passed"])
            for y in verdict["years"]] == [("2023-24", "-4999.99", "-5000", True),
                                           ("2024-25", "-4999.99", "-4999.99", False)]
    assert verdict["outcome"] == "failed"


def test_the_check_without_a_society_lists_the_history_rules_not_checked():
    answer = eligibility.evaluate("Meghalaya", "share_capital", SOUND, JUNE)
    assert answer["records_read"] is False and answer["eligible"] is True
    assert "shares_grow_with_government" in answer["not_checked"]
