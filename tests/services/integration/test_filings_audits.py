"""Audits recorded by the office and the audit position it reads: a society's status
after each audited year, and the counts seed 002's tables ask for."""

from __future__ import annotations

import pytest

from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound


def test_audited_years_move_a_society_to_up_to_date_and_the_position_counts_it(
        filings_stack):
    behind = filings_stack.register("Behind Samiti", registered_on="2018-06-01")
    current = filings_stack.register("Current Samiti", registered_on="2023-06-01")
    officer = filings_stack.staff("dealing_officer", office="mp-bhopal")
    for year in ("2023-24", "2024-25", "2025-26"):
        answer = officer.record_audit(payload={
            "society_id": current, "financial_year": year, "audited_on": "2026-08-01",
            "auditor_name": "M/s Sharma & Co., Chartered Accountants"})
    assert answer["category"] == "up_to_date"
    with pytest.raises(Conflict):
        officer.record_audit(payload={"society_id": current, "financial_year": "2024-25",
                                      "audited_on": "2025-08-02", "auditor_name": "Again"})
    with pytest.raises(InvalidInput):
        officer.record_audit(payload={"society_id": current, "financial_year": "2024-25",
                                      "audited_on": "2025-03-01", "auditor_name": "Early"})
    status = filings_stack.representative(behind).audit_status(
        payload={"society_id": behind, "as_on": "2025-12-01"})
    assert (status["category"], status["years_pending"]) == ("pending_over_3", 7)
    position = officer.audit_position(payload={"as_on": "2025-12-01"})
    assert position == {"as_on": "2025-12-01", "societies": 2, "up_to_date": 1,
                        "pending_1_3": 0, "pending_over_3": 1}
    assert filings_stack.staff("registrar", office="wb").audit_position(
        payload={})["societies"] == 0
    with pytest.raises(NotFound):
        filings_stack.staff("dealing_officer", office="wb").record_audit(payload={
            "society_id": behind, "financial_year": "2018-19", "audited_on": "2019-08-01",
            "auditor_name": "Far away"})
    with pytest.raises(Forbidden):
        filings_stack.representative(behind).record_audit(payload={
            "society_id": behind, "financial_year": "2018-19", "audited_on": "2019-08-01",
            "auditor_name": "Itself"})


def test_the_eligibility_check_answers_rule_by_rule_over_rpc(filings_stack):
    society = filings_stack.add_society()
    answer = filings_stack.representative(society).check_eligibility(payload={
        "state": "Meghalaya", "kind": "share_capital", "applied_on": "2026-07-01",
        "figures": {"individual_shares": "14999", "paid_up": "100000",
                    "authorised": "200000", "members": 40, "members_5_years_ago": 30,
                    "audit_years_pending": 0, "net_profit": "0", "accumulated_loss": "0",
                    "owned_capital": "1", "state_level": 0, "weak": 0,
                    "newly_registered": 0}})
    failed = {v["rule"]: v for v in answer["verdicts"] if v["passed"] is False}
    assert set(failed) == {"apply_by", "individual_shares_15", "running_on_profit"}
    # Without a named society the rules over earlier assistance are not checked:
    # neither passed nor failed, and said so.
    unchecked = {v["rule"] for v in answer["verdicts"] if v["passed"] is None}
    assert {"past_contribution_utilised", "shares_grow_with_government"} <= unchecked
    assert all(v["outcome"] == "not_checked" for v in answer["verdicts"]
               if v["rule"] in unchecked)
    assert (failed["individual_shares_15"]["figure"],
            failed["individual_shares_15"]["threshold"]) == ("14999", "15000")
    with pytest.raises(NotFound):
        filings_stack.representative(society).check_eligibility(payload={
            "state": "Goa", "kind": "loan", "figures": {}})
