"""Applications for financial assistance (seed 004, Meghalaya) over RPC: the window closing
on 30 June, the eligibility stored with the application, the District Level Committee's
recommendation, forwarding and the Registrar's sanction in order (and refused out of
order), amounts capped, and the 30:70 budget split."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound, OutsideWindow
from services.filings.service import FilingsService

DISTRICT, STATE = "ml-east-khasi-hills", "ml"
# A sound primary society, at the boundaries: individual shares exactly 15% of paid-up,
# reserve exactly 25% of the net profit, the dividend exactly 12.5%.
SOUND = {"individual_shares": "15000", "paid_up": "100000", "authorised": "200000",
         "govt_equity": "0", "members": 40, "members_5_years_ago": 30,
         "audit_years_pending": 0, "net_profit": "80000", "accumulated_loss": "0",
         "owned_capital": "150000", "to_reserve": "20000", "to_cdf": "8000",
         "dividend_percent": "12.5", "state_level": 0, "weak": 0, "newly_registered": 0}


def _on(monkeypatch, day: str, hour: int = 18) -> None:
    """The service's clock at ``day`` (UTC ``hour``: 23:30 IST at 18:00)."""
    moment = datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=UTC)
    monkeypatch.setattr(FilingsService, "_now", lambda self, session: moment)


def _application(society: str, kind: str = "share_capital", amount: str = "500000",
                 **figures) -> dict:
    return {"society_id": society, "kind": kind, "financial_year": "2026-27",
            "amount_asked": amount, "purpose": "Share capital base for paddy procurement",
            "documents": ["doc-budget-2026", "doc-resolution-agm", "doc-audited-2024-26",
                          "doc-borrowing-power"],
            "figures": {**SOUND, **figures}}


def _ml_society(stack, name: str = "Mawlai Multipurpose Co-operative Society",
                office: str = DISTRICT) -> str:
    # registered in 2025-26: no year's audit is due yet, so the audit status the service
    # reads (audit_years_pending) is 0, as SOUND declares
    return stack.register(name, office_id=office, state="Meghalaya",
                          registered_on="2025-06-01")


def test_the_window_takes_30_june_until_midnight_in_india_and_refuses_1_july(
        filings_stack, monkeypatch):
    society = _ml_society(filings_stack)
    rep = filings_stack.representative(society)
    _on(monkeypatch, "2026-06-30", hour=18)          # 23:30 on 30 June in India
    answer = rep.apply_for_assistance(payload=_application(society))
    assert (answer["status"], answer["submitted_on"], answer["eligible"]) == (
        "submitted", "2026-06-30", True)
    assert answer["amount_asked"] == "₹5,00,000"
    assert answer["documents"][0] == "doc-budget-2026"
    verdicts = {v["rule"]: v for v in answer["eligibility"]["verdicts"]}
    assert (verdicts["individual_shares_15"]["figure"],
            verdicts["individual_shares_15"]["threshold"],
            verdicts["individual_shares_15"]["passed"]) == ("15000", "15000", True)
    assert verdicts["reserve_25"]["threshold"] == "20000"
    assert verdicts["apply_by"]["passed"] is True

    _on(monkeypatch, "2026-06-30", hour=19)          # 00:30 on 1 July in India
    with pytest.raises(OutsideWindow) as refused:
        rep.apply_for_assistance(payload=_application(society, "grant"))
    message = str(refused.value)
    assert "30-06-2026" in message and "01-07-2026" in message and "apply_by" in message
    assert filings_stack.sql("SELECT count(*) FROM assistance_application")[0][0] == 1
    _on(monkeypatch, "2026-03-31")
    with pytest.raises(OutsideWindow):               # before the co-operative year
        rep.apply_for_assistance(payload=_application(society, "grant"))
    _on(monkeypatch, "2026-05-10")
    with pytest.raises(Conflict):                    # once per kind and year
        rep.apply_for_assistance(payload=_application(society))
    with pytest.raises(InvalidInput):
        rep.apply_for_assistance(payload={**_application(society, "loan"),
                                          "financial_year": "2026-28"})
    with pytest.raises(Forbidden):
        filings_stack.staff("dealing_officer", office=DISTRICT).apply_for_assistance(
            payload=_application(society, "loan"))


def test_an_ineligible_application_is_received_with_its_failing_rules(
        filings_stack, monkeypatch):
    society = _ml_society(filings_stack)
    _on(monkeypatch, "2026-06-01")
    answer = filings_stack.representative(society).apply_for_assistance(
        payload=_application(society, individual_shares="14999.99", dividend_percent="12.51"))
    assert answer["eligible"] is False
    assert answer["failed_rules"] == ["individual_shares_15", "dividend_12_5"]
    failed = {v["rule"]: v for v in answer["eligibility"]["verdicts"] if not v["passed"]}
    assert (failed["individual_shares_15"]["figure"],
            failed["individual_shares_15"]["threshold"]) == ("14999.99", "15000")
    assert failed["dividend_12_5"]["message_hi"]
    page = filings_stack.staff("dealing_officer", office=DISTRICT).list_assistance_applications(
        payload={"eligible": False})
    assert [item["id"] for item in page["items"]] == [answer["id"]]
    # the committee may still recommend it; the step names the rules it passes over
    recommended = filings_stack.staff("dealing_officer", office=DISTRICT).recommend_assistance(
        payload={"application_id": answer["id"], "recommended": True,
                 "amount_recommended": "100000",
                 "reasons": "Inspection report of 12-06-2026 shows shares since raised"})
    assert recommended["steps"][-1]["step"] == "recommended"
    assert recommended["steps"][-1]["despite_rules"] == ["individual_shares_15",
                                                         "dividend_12_5"]
    assert filings_stack.sql(
        "SELECT changes FROM audit_entry WHERE action = 'assistance_recommended'")


def test_committee_forwarding_and_sanction_in_order_with_amounts_capped(
        filings_stack, monkeypatch):
    society = _ml_society(filings_stack)
    rep = filings_stack.representative(society)
    committee = filings_stack.staff("dealing_officer", office=DISTRICT)
    registrar = filings_stack.staff("registrar", office=STATE)
    _on(monkeypatch, "2026-06-15")
    app_id = rep.apply_for_assistance(payload=_application(society, amount="500000.50"))["id"]

    # out of order: nothing to forward or sanction before the committee's word
    with pytest.raises(Conflict) as early:
        committee.forward_assistance(payload={"application_id": app_id})
    assert early.value.details["rule"] == \
        "only_recommended_applications_are_forwarded"
    assert early.value.details["message_hi"] == \
        "आवेदन प्रस्तुत है: अभी यह चरण (अग्रेषित) नहीं हो सकता।"
    with pytest.raises(Conflict):
        registrar.sanction_assistance(payload={
            "application_id": app_id, "amount_sanctioned": "1",
            "order_reference": "COD.31/2026/1", "order_date": "2026-08-01"})
    # only the district's committee recommends; others do not see it or may not act
    with pytest.raises(Forbidden):
        registrar.recommend_assistance(payload={
            "application_id": app_id, "recommended": True, "amount_recommended": "1",
            "reasons": "Not the committee"})
    with pytest.raises(NotFound):
        filings_stack.staff("registrar", office="wb").get_assistance_application(
            payload={"application_id": app_id})
    with pytest.raises(Forbidden):
        rep.recommend_assistance(payload={
            "application_id": app_id, "recommended": True, "amount_recommended": "1",
            "reasons": "Ourselves"})
    # capped at the amount asked, to the paisa
    with pytest.raises(InvalidInput) as capped:
        committee.recommend_assistance(payload={
            "application_id": app_id, "recommended": True,
            "amount_recommended": "500000.51", "reasons": "Sound society"})
    assert "₹5,00,000.50" in str(capped.value)
    assert capped.value.details["rule"] == "recommended_within_asked"
    assert "माँगी गई राशि (₹5,00,000.50)" in capped.value.details["message_hi"]
    answer = committee.recommend_assistance(payload={
        "application_id": app_id, "recommended": True, "amount_recommended": "400000",
        "reasons": "Sound society; procurement plan feasible"})
    assert (answer["status"], answer["amount_recommended_paise"]) == ("recommended",
                                                                      40000000)
    with pytest.raises(Conflict):
        committee.recommend_assistance(payload={
            "application_id": app_id, "recommended": False, "reasons": "Second thoughts"})
    answer = committee.forward_assistance(payload={"application_id": app_id})
    assert answer["status"] == "forwarded"
    with pytest.raises(Forbidden):        # a dealing officer does not sanction
        filings_stack.staff("dealing_officer", office=STATE).sanction_assistance(payload={
            "application_id": app_id, "amount_sanctioned": "1",
            "order_reference": "COD.31/2026/1", "order_date": "2026-08-01"})
    with pytest.raises(InvalidInput):
        registrar.sanction_assistance(payload={
            "application_id": app_id, "amount_sanctioned": "400000.01",
            "order_reference": "COD.31/2026/1", "order_date": "2026-08-01"})
    answer = registrar.sanction_assistance(payload={
        "application_id": app_id, "amount_sanctioned": "400000",
        "order_reference": "COD.31/2026/1", "order_date": "2026-08-01"})
    assert (answer["status"], answer["amount_sanctioned_paise"], answer["order_reference"],
            answer["order_date"]) == ("sanctioned", 40000000, "COD.31/2026/1",
                                      "2026-08-01")
    assert [s["step"] for s in answer["steps"]] == [
        "submitted", "recommended", "forwarded", "sanctioned"]
    with pytest.raises(Conflict):
        registrar.reject_assistance(payload={"application_id": app_id,
                                             "reasons": "Too late to change"})
    actions = [r.action for r in filings_stack.sql(
        "SELECT action FROM audit_entry WHERE entity_id = :i ORDER BY id", i=app_id)]
    assert actions == ["assistance_applied", "assistance_recommended",
                       "assistance_forwarded", "assistance_sanctioned"]
    events = [json.loads(r.payload) if isinstance(r.payload, str) else r.payload
              for r in filings_stack.sql(
                  "SELECT payload FROM outbox_message WHERE event_type = "
                  "'assistance_decided' ORDER BY id")]
    assert [(e["outcome"], e["amount_paise"]) for e in events] == [
        ("recommended", 40000000), ("forwarded", 40000000), ("sanctioned", 40000000)]
    assert events[-1]["order_reference"] == "COD.31/2026/1"
    assert {e["state_office_id"] for e in events} == {"ml"}    # notify tells it forwarded


def test_not_recommended_ends_and_a_state_level_society_goes_to_the_registrar(
        filings_stack, monkeypatch):
    primary = _ml_society(filings_stack, "Nongpoh Dairy Co-operative Society")
    federation = _ml_society(filings_stack, "Meghalaya State Co-operative Marketing "
                             "Federation", office=STATE)
    committee = filings_stack.staff("registrar", office=DISTRICT)
    registrar = filings_stack.staff("registrar", office=STATE)
    _on(monkeypatch, "2026-04-01")
    refused = filings_stack.representative(primary).apply_for_assistance(
        payload=_application(primary, "grant", "120000"))["id"]
    answer = committee.recommend_assistance(payload={
        "application_id": refused, "recommended": False,
        "reasons": "Managerial costs met from business income"})
    assert answer["status"] == "not_recommended"
    with pytest.raises(Conflict):
        committee.forward_assistance(payload={"application_id": refused})

    state_app = filings_stack.representative(federation).apply_for_assistance(
        payload=_application(federation, amount="300000", state_level=1,
                             govt_equity="150000"))
    assert (state_app["level"], state_app["district_office_id"]) == ("state", None)
    assert state_app["eligible"] is True     # equity exactly 75% of authorised
    with pytest.raises(Conflict) as no_committee:
        registrar.recommend_assistance(payload={
            "application_id": state_app["id"], "recommended": True,
            "amount_recommended": "1", "reasons": "No committee step"})
    assert no_committee.value.details["rule"] == \
        "state_level_societies_apply_to_the_registrar"
    answer = registrar.sanction_assistance(payload={
        "application_id": state_app["id"], "amount_sanctioned": "300000",
        "order_reference": "COD.31/2026/7", "order_date": "2026-07-15"})
    assert answer["status"] == "sanctioned"


def test_the_budget_split_against_30_70(filings_stack, monkeypatch):
    primary = _ml_society(filings_stack, "Umiam Fishery Co-operative Society")
    federation = _ml_society(filings_stack, "Meghalaya Apex Weavers Federation",
                             office=STATE)
    committee = filings_stack.staff("dealing_officer", office=DISTRICT)
    registrar = filings_stack.staff("registrar", office=STATE)
    _on(monkeypatch, "2026-06-30")
    p = filings_stack.representative(primary).apply_for_assistance(
        payload=_application(primary, amount="700000"))["id"]
    s = filings_stack.representative(federation).apply_for_assistance(
        payload=_application(federation, amount="300000.01", state_level=1,
                             dividend_percent="12.51"))["id"]
    loan = filings_stack.representative(primary).apply_for_assistance(
        payload=_application(primary, "loan", amount="50000"))["id"]
    committee.recommend_assistance(payload={"application_id": p, "recommended": True,
                                            "amount_recommended": "700000",
                                            "reasons": "Sound"})
    committee.forward_assistance(payload={"application_id": p})
    registrar.sanction_assistance(payload={"application_id": p,
                                           "amount_sanctioned": "700000",
                                           "order_reference": "A/1",
                                           "order_date": "2026-08-01"})
    over = registrar.sanction_assistance(payload={"application_id": s,
                                                  "amount_sanctioned": "300000.01",
                                                  "order_reference": "A/2",
                                                  "order_date": "2026-08-01"})
    assert over["steps"][-1]["despite_rules"] == ["dividend_12_5"]
    committee.recommend_assistance(payload={"application_id": loan, "recommended": True,
                                            "amount_recommended": "50000",
                                            "reasons": "Working capital"})
    report = registrar.assistance_budget_split(
        payload={"state": "Meghalaya", "financial_year": "2026-27"})
    sanctioned = report["sanctioned"]
    assert sanctioned["total"] == {"paise": 100000001, "text": "₹10,00,000.01"}
    assert (sanctioned["state"]["paise"], sanctioned["state"]["percent"],
            sanctioned["state"]["expected_percent"]) == (30000001, "30.00", "30")
    assert sanctioned["state"]["expected"]["paise"] == 30000000   # 30% of 100000001, half up
    assert sanctioned["state"]["difference"]["paise"] == 1
    assert (sanctioned["primary"]["text"], sanctioned["primary"]["percent"]) == (
        "₹7,00,000", "70.00")
    assert report["loans"] == {"applications": 1,
                               "sanctioned": {"paise": 0, "text": "₹0"}}
    assert report["recommended"]["primary"]["paise"] == 70000000
    with pytest.raises(Forbidden):
        filings_stack.representative(primary).assistance_budget_split(
            payload={"state": "Meghalaya", "financial_year": "2026-27"})


def test_notify_posts_each_step_to_the_society_mailbox_in_english_and_hindi():
    from services.common.contracts.filings_assistance import AssistanceDecidedV1
    from services.notify import rules, templates

    event = AssistanceDecidedV1(
        application_id="a1", society_id="s1", society_name="Mawlai Multipurpose",
        kind="share_capital", financial_year="2026-27", outcome="sanctioned",
        amount_asked_paise=50000050, amount_paise=40000000, order_reference="COD.31/2026/1",
        order_date="2026-08-01", decided_at=datetime(2026, 8, 1, tzinfo=UTC)).wire()
    [notice] = rules.notices_for("filings", "assistance_decided", event)
    assert notice.recipient.mailbox == ("society", "s1") and notice.kind == "order"
    found = {t.language: t for t in templates.BUILTIN if t.key == "assistance_decided"}
    english = templates.render(found["en"], {**notice.variables, "recipient_name": ""})
    assert "₹5,00,000.50 asked" in english.body
    assert "Amount: ₹4,00,000. Order COD.31/2026/1 dated 01-08-2026." in english.body
    hindi = templates.render(found["hi"], {**notice.variables, "recipient_name": ""})
    assert "रजिस्ट्रार द्वारा स्वीकृत" in hindi.body and "01-08-2026" in hindi.body


def test_notify_tells_the_state_office_of_an_application_forwarded_to_it():
    from services.common.contracts.filings_assistance import AssistanceDecidedV1
    from services.notify import rules, templates

    event = AssistanceDecidedV1(
        application_id="a1", society_id="s1", society_name="Mawlai Multipurpose",
        kind="loan", financial_year="2026-27", outcome="forwarded",
        amount_asked_paise=50000050, amount_paise=40000000, state_office_id="ml",
        decided_at=datetime(2026, 8, 1, tzinfo=UTC)).wire()
    society, office = rules.notices_for("filings", "assistance_decided", event)
    assert society.recipient.mailbox == ("society", "s1")
    assert office.recipient.mailbox == ("office", "ml") and office.jurisdiction == "ml"
    found = {t.language: t for t in templates.BUILTIN if t.key == "assistance_forwarded"}
    english = templates.render(found["en"], {**office.variables, "recipient_name": ""})
    assert "(₹5,00,000.50 asked, ₹4,00,000 recommended) is forwarded to you" in english.body
    hindi = templates.render(found["hi"], {**office.variables, "recipient_name": ""})
    assert "स्वीकृति हेतु आपको अग्रेषित" in hindi.body
    # Every other step, and a forwarded one naming no office, tells the society alone.
    for outcome, state_office in (("sanctioned", "ml"), ("forwarded", None)):
        assert len(rules.notices_for("filings", "assistance_decided", {
            **event, "outcome": outcome, "state_office_id": state_office})) == 1

