"""What follows a sanction of financial assistance (seed 004, Meghalaya), over the real
broker and database: the Registrar's office releases the funds, the society certifies
their utilisation, the office records a loan's repayments against its schedule; each
refused when it does not follow from what is recorded, naming the rule and the amounts in
₹; and the history rules that read these records turn from "not known" to passed or
failed in the society's eligibility check."""

from __future__ import annotations

import json

import pytest

from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.services.integration.test_filings_assistance_applications import (
    DISTRICT,
    SOUND,
    STATE,
    _application,
    _on,
)


def _society(stack, name: str) -> str:
    return stack.register(name, office_id=DISTRICT, state="Meghalaya",
                          registered_on="2021-06-01")


def _sanctioned(stack, monkeypatch, society: str, kind: str, rupees: str,
                schedule: list[dict] | None = None) -> str:
    """An application for 2024-25, made in June 2024 and sanctioned by order of
    01-08-2024 (with ``schedule`` for a loan); the clock then moves to 15-06-2026."""
    _on(monkeypatch, "2024-06-10")
    app_id = stack.representative(society).apply_for_assistance(payload={
        **_application(society, kind, amount=rupees), "financial_year": "2024-25"})["id"]
    committee = stack.staff("dealing_officer", office=DISTRICT)
    committee.recommend_assistance(payload={"application_id": app_id, "recommended": True,
                                            "amount_recommended": rupees,
                                            "reasons": "Sound society"})
    committee.forward_assistance(payload={"application_id": app_id})
    order = {"application_id": app_id, "amount_sanctioned": rupees,
             "order_reference": "COD.31/2024/5", "order_date": "2024-08-01"}
    if schedule is not None:
        order["repayment_schedule"] = schedule
    stack.staff("registrar", office=STATE).sanction_assistance(payload=order)
    _on(monkeypatch, "2026-06-15")
    return app_id


def _verdict(stack, society: str, kind: str, rule: str) -> tuple[dict, dict]:
    answer = stack.representative(society).check_society_eligibility(payload={
        "society_id": society, "kind": kind, "figures": SOUND})
    return answer, next(v for v in answer["verdicts"] if v["rule"] == rule)


def _year(verdict: dict, year: str = "2024-25") -> dict:
    return next(y for y in verdict["years"] if y["financial_year"] == year)


def test_releases_and_utilisation_certificates_decide_whether_a_contribution_was_utilised(
        filings_stack, monkeypatch):
    society = _society(filings_stack, "Mawkyrwat Multipurpose Co-operative Society")
    app_id = _sanctioned(filings_stack, monkeypatch, society, "share_capital", "100000")
    office = filings_stack.staff("dealing_officer", office=STATE)
    rep = filings_stack.representative(society)

    answer, verdict = _verdict(filings_stack, society, "share_capital",
                               "past_contribution_utilised")
    assert (verdict["outcome"], verdict["passed"]) == ("not_known", None)
    assert "past_contribution_utilised" in answer["left_to_committee"]
    assert ("no release of the share capital contribution of ₹1,00,000 sanctioned by "
            "order COD.31/2024/5 of 01-08-2024 is recorded") in verdict["not_known"]["en"]
    assert "जारी दर्ज नहीं" in verdict["not_known"]["hi"]

    # refused: nothing released to certify; above the sanction; before the order; the
    # district office releasing; a repayment of what is not a loan
    with pytest.raises(Conflict) as early:
        rep.record_assistance_utilisation(payload={
            "application_id": app_id, "amount_utilised": "1000", "utilised_on": "2024-09-01",
            "document_id": "doc-uc-1"})
    assert early.value.details["rule"] == "utilisation_follows_release"
    assert early.value.details["message_hi"]
    release = {"application_id": app_id, "amount": "60000", "released_on": "2024-09-01",
               "reference": "REL/2024/77"}
    with pytest.raises(InvalidInput) as above:
        office.release_assistance(payload={**release, "amount": "100000.01"})
    assert above.value.details["rule"] == "released_within_sanctioned"
    assert "₹1,00,000.01" in str(above.value) and "₹1,00,000 sanctioned" in str(above.value)
    assert "स्वीकृत ₹1,00,000 से अधिक" in above.value.details["message_hi"]
    with pytest.raises(InvalidInput) as before:
        office.release_assistance(payload={**release, "released_on": "2024-07-31"})
    assert before.value.details["rule"] == "released_after_sanction"
    assert "31-07-2024" in str(before.value) and "01-08-2024" in str(before.value)
    with pytest.raises(Forbidden) as district:
        filings_stack.staff("dealing_officer", office=DISTRICT).release_assistance(
            payload=release)
    assert district.value.details["rule"] == "registrar_office_releases"
    with pytest.raises(Conflict) as not_loan:
        office.record_loan_repayment(payload={
            "application_id": app_id, "paid_on": "2025-01-01", "principal": "100",
            "interest": "0"})
    assert not_loan.value.details["rule"] == "repayments_are_of_loans"

    first = office.release_assistance(payload=release)
    assert (first["record"]["amount"], first["funds"]["texts"]["released"]) == (
        "₹60,000", "₹60,000")
    with pytest.raises(InvalidInput) as left:
        office.release_assistance(payload={**release, "amount": "40000.01",
                                           "released_on": "2025-01-10"})
    assert "at most ₹40,000 is left" in str(left.value)

    # released, not certified: still not known, now for want of the certificate
    _, verdict = _verdict(filings_stack, society, "share_capital",
                          "past_contribution_utilised")
    assert verdict["outcome"] == "not_known"
    assert ("no utilisation certificate is recorded for the ₹60,000 of share capital "
            "contribution released under order COD.31/2024/5") in verdict["not_known"]["en"]

    # a society recording for another society's application finds nothing
    other = _society(filings_stack, "Jowai Weavers Co-operative Society")
    with pytest.raises(NotFound):
        filings_stack.representative(other).record_assistance_utilisation(payload={
            "application_id": app_id, "amount_utilised": "1000",
            "utilised_on": "2024-10-01", "document_id": "doc-uc-x"})
    certificate = {"application_id": app_id, "amount_utilised": "50000",
                   "utilised_on": "2025-03-15", "document_id": "doc-uc-2025"}
    with pytest.raises(InvalidInput) as too_soon:
        rep.record_assistance_utilisation(payload={**certificate,
                                                   "utilised_on": "2024-08-31"})
    assert too_soon.value.details["rule"] == "utilised_after_release"
    assert "31-08-2024" in str(too_soon.value) and "01-09-2024" in str(too_soon.value)
    with pytest.raises(InvalidInput) as too_much:
        rep.record_assistance_utilisation(payload={**certificate,
                                                   "amount_utilised": "60000.01"})
    assert too_much.value.details["rule"] == "utilised_within_released"
    assert "₹60,000.01" in str(too_much.value)
    with pytest.raises(Forbidden):          # the office does not certify for the society
        office.record_assistance_utilisation(payload=certificate)
    rep.record_assistance_utilisation(payload=certificate)

    # certified below what was released: the rule fails, with the figures
    answer, verdict = _verdict(filings_stack, society, "share_capital",
                               "past_contribution_utilised")
    year = _year(verdict)
    assert (verdict["outcome"], year["figure"], year["operator"], year["threshold"]) == (
        "failed", "50000", ">=", "60000")
    assert "past_contribution_utilised" in answer["failed_rules"]
    records = year["figures"]["utilised.share_capital"]["applications"][0]["records"]
    assert [(r["on_date"], r["document_id"]) for r in records] == [
        ("2025-03-15", "doc-uc-2025")]

    # the rest released and certified: the contribution was fully utilised
    office.release_assistance(payload={**release, "amount": "40000",
                                       "released_on": "2025-01-10"})
    rep.record_assistance_utilisation(payload={**certificate, "amount_utilised": "50000",
                                               "utilised_on": "2025-03-20",
                                               "document_id": "doc-uc-2025-b"})
    answer, verdict = _verdict(filings_stack, society, "share_capital",
                               "past_contribution_utilised")
    assert (verdict["outcome"], verdict["passed"]) == ("passed", True)
    assert (_year(verdict)["figure"], _year(verdict)["threshold"]) == ("100000", "100000")
    assert "past_contribution_utilised" not in answer["left_to_committee"]

    funds = rep.assistance_funds(payload={"application_id": app_id})
    assert (funds["sanctioned_paise"], funds["released_paise"], funds["utilised_paise"],
            funds["unutilised_paise"], funds["releases"]) == (
        10000000, 10000000, 10000000, 0, 2)
    page = rep.list_assistance_funds_records(payload={
        "application_id": app_id, "record": "releases", "limit": 1})
    assert ([i["on_date"] for i in page["items"]], page["next_offset"]) == (
        ["2024-09-01"], 1)
    page = rep.list_assistance_funds_records(payload={
        "application_id": app_id, "record": "releases", "limit": 1, "offset": 1})
    assert ([i["amount"] for i in page["items"]], page["next_offset"]) == (["₹40,000"], None)
    with pytest.raises(NotFound):
        filings_stack.representative(other).assistance_funds(
            payload={"application_id": app_id})

    actions = [r.action for r in filings_stack.sql(
        "SELECT action FROM audit_entry WHERE entity_id = :i ORDER BY id", i=app_id)]
    assert actions[-4:] == ["assistance_released", "assistance_utilised",
                            "assistance_released", "assistance_utilised"]
    events = [json.loads(r.payload) if isinstance(r.payload, str) else r.payload
              for r in filings_stack.sql(
                  "SELECT payload FROM outbox_message WHERE event_type = "
                  "'assistance_released' ORDER BY id")]
    assert [(e["amount_paise"], e["released_total_paise"]) for e in events] == [
        (6000000, 6000000), (4000000, 10000000)]
    # nothing refused was written
    assert filings_stack.sql("SELECT count(*) FROM assistance_funds_entry")[0][0] == 4


def test_a_loans_repayments_against_its_schedule_decide_its_recovery(
        filings_stack, monkeypatch):
    society = _society(filings_stack, "Nongpoh Dairy Co-operative Society")
    with pytest.raises(InvalidInput) as uneven:
        _sanctioned(filings_stack, monkeypatch, society, "loan", "100000", schedule=[
            {"due_on": "2025-03-31", "principal": "50000"},
            {"due_on": "2026-03-31", "principal": "49999.99"}])
    assert uneven.value.details["rule"] == "schedule_adds_up_to_sanctioned"
    assert "₹99,999.99" in str(uneven.value) and "₹1,00,000" in str(uneven.value)
    app_id = filings_stack.sql("SELECT id FROM assistance_application WHERE society_id = :s",
                               s=society)[0][0]
    order = {"application_id": app_id, "amount_sanctioned": "100000",
             "order_reference": "COD.31/2024/9", "order_date": "2024-08-01",
             "repayment_schedule": [{"due_on": "2025-03-31", "principal": "50000"},
                                    {"due_on": "2026-03-31", "principal": "50000"}]}
    sanctioned = filings_stack.staff("registrar", office=STATE).sanction_assistance(
        payload=order)
    _on(monkeypatch, "2026-06-15")
    assert sanctioned["repayment_schedule"] == [
        {"due_on": "2025-03-31", "principal_paise": 5000000},
        {"due_on": "2026-03-31", "principal_paise": 5000000}]
    office = filings_stack.staff("dealing_officer", office=STATE)
    district = filings_stack.staff("dealing_officer", office=DISTRICT)
    payment = {"application_id": app_id, "paid_on": "2025-05-10", "principal": "50000",
               "interest": "4500.50", "reference": "TR-2025-118"}
    with pytest.raises(Conflict) as unreleased:
        district.record_loan_repayment(payload=payment)
    assert unreleased.value.details["rule"] == "repayment_follows_release"
    office.release_assistance(payload={"application_id": app_id, "amount": "100000",
                                       "released_on": "2024-09-01",
                                       "reference": "REL/2024/80"})

    # released, nothing repaid while both instalments have fallen due: recovery fails
    answer, verdict = _verdict(filings_stack, society, "loan", "past_loans_recovered")
    year = _year(verdict)
    assert (verdict["outcome"], year["figure"], year["threshold"]) == ("failed", "0",
                                                                       "100000")
    assert "past_loans_recovered" in answer["failed_rules"]

    with pytest.raises(Forbidden) as by_society:
        filings_stack.representative(society).record_loan_repayment(payload=payment)
    assert by_society.value.details["rule"] == "office_records_repayments"
    with pytest.raises(InvalidInput) as before:
        district.record_loan_repayment(payload={**payment, "paid_on": "2024-08-31"})
    assert before.value.details["rule"] == "repaid_after_release"
    with pytest.raises(InvalidInput) as future:
        district.record_loan_repayment(payload={**payment, "paid_on": "2026-06-16"})
    assert future.value.details["rule"] == "not_after_today"
    with pytest.raises(InvalidInput) as above:
        district.record_loan_repayment(payload={**payment, "principal": "100000.01"})
    assert above.value.details["rule"] == "repaid_within_released"

    # the first instalment paid 40 days late: the repayment is marked overdue
    late = district.record_loan_repayment(payload=payment)
    assert (late["record"]["overdue"], late["record"]["overdue_before_paise"],
            late["record"]["interest"]) == (True, 5000000, "₹4,500.50")
    funds = late["funds"]
    assert (funds["outstanding_paise"], funds["overdue_paise"]) == (5000000, 5000000)
    assert [(i["status"], i["days_overdue"]) for i in funds["schedule"]] == [
        ("paid_late", 40), ("overdue", 76)]
    _, verdict = _verdict(filings_stack, society, "loan", "past_loans_recovered")
    assert (verdict["outcome"], _year(verdict)["figure"]) == ("failed", "50000")

    # the second paid before its day: recovery is good
    on_time = district.record_loan_repayment(payload={
        **payment, "paid_on": "2026-03-20", "interest": "2000", "reference": "TR-2026-7"})
    assert on_time["record"]["overdue"] is False
    assert [i["status"] for i in on_time["funds"]["schedule"]] == ["paid_late", "paid"]
    assert (on_time["funds"]["outstanding_paise"], on_time["funds"]["overdue_paise"]) == (
        0, 0)
    answer, verdict = _verdict(filings_stack, society, "loan", "past_loans_recovered")
    assert (verdict["outcome"], verdict["passed"]) == ("passed", True)
    assert (_year(verdict)["figure"], _year(verdict)["threshold"]) == ("100000", "100000")
    page = filings_stack.representative(society).list_assistance_funds_records(payload={
        "application_id": app_id, "record": "repayments"})
    assert [(i["on_date"], i["overdue"]) for i in page["items"]] == [
        ("2025-05-10", True), ("2026-03-20", False)]
    events = [json.loads(r.payload) if isinstance(r.payload, str) else r.payload
              for r in filings_stack.sql(
                  "SELECT payload FROM outbox_message WHERE event_type = "
                  "'loan_repayment_recorded' ORDER BY id")]
    assert [(e["principal_paise"], e["outstanding_paise"], e["overdue_paise"])
            for e in events] == [(5000000, 5000000, 5000000), (5000000, 0, 0)]


def test_a_loan_sanctioned_without_a_schedule_keeps_its_repayments_as_records(
        filings_stack, monkeypatch):
    society = _society(filings_stack, "Tura Fishery Co-operative Society")
    app_id = _sanctioned(filings_stack, monkeypatch, society, "loan", "250000")
    filings_stack.staff("registrar", office=STATE).release_assistance(payload={
        "application_id": app_id, "amount": "250000", "released_on": "2024-08-15",
        "reference": "REL/2024/81"})
    paid = filings_stack.staff("dealing_officer", office=DISTRICT).record_loan_repayment(
        payload={"application_id": app_id, "paid_on": "2025-08-15", "principal": "0",
                 "interest": "18750"})
    assert (paid["record"]["overdue"], paid["funds"]["outstanding_paise"],
            paid["funds"]["interest_paid_paise"], paid["funds"].get("overdue_paise")) == (
        None, 25000000, 1875000, None)
    _, verdict = _verdict(filings_stack, society, "loan", "past_loans_recovered")
    assert (verdict["outcome"], verdict["passed"]) == ("not_known", None)
    assert "has no repayment schedule" in verdict["not_known"]["en"]
    assert "अदायगी अनुसूची नहीं" in verdict["not_known"]["hi"]
