"""What notify makes of filings' funds events (a release, a utilisation certificate, a
loan's repayment) and of a return sent back for correction to an office: the rules'
recipients and the texts in English and Hindi (no broker)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from services.common.contracts.filings import FilingDecidedV1
from services.common.contracts.filings_assistance import (
    AssistanceReleasedV1,
    AssistanceUtilisedV1,
    LoanRepaymentRecordedV1,
)
from services.notify import rules, templates
from services.notify.subscriptions import HANDLED

APPLICATION = "0b7c61a2-6f53-4d4e-9d7e-4a1b2c3d4e5f"
AT = datetime(2026, 12, 8, 6, 30, tzinfo=UTC)
PORTAL = "https://portal.example.gov.in/"


def render(key: str, language: str, notice: rules.Notice) -> templates.Rendered:
    chosen = templates.choose([t for t in templates.BUILTIN if t.key == key], language,
                              templates.NATIONAL)
    return templates.render(chosen, {**notice.variables, "recipient_name": ""})


def released(**changes) -> dict:
    return AssistanceReleasedV1(**{
        "application_id": APPLICATION, "society_id": "s-ml-1",
        "society_name": "Jaintia Hills Weavers Co-operative Society", "kind": "share_capital",
        "financial_year": "2026-27", "amount_paise": 2_50_000_00,
        "released_on": date(2026, 11, 5), "reference": "RCS/FA/2026/117",
        "released_total_paise": 7_50_000_00, "sanctioned_paise": 12_34_567_00,
        "recorded_at": AT, **changes}).wire()


def test_a_release_tells_the_society_the_amount_the_day_and_the_certificate_to_record():
    [notice] = rules.notices_for("filings", "assistance_released", released(), PORTAL)
    assert (notice.recipient.mailbox, notice.kind, notice.channels) == (
        ("society", "s-ml-1"), "order", ("mailbox",))
    english = render("assistance_released", "en", notice)
    assert english.subject == "Financial assistance 2026-27: ₹2,50,000 released"
    assert "on 05-11-2026 the Registrar's office released ₹2,50,000 of the share capital " \
        "contribution sanctioned for 2026-27 (release order RCS/FA/2026/117)" in english.body
    assert "Released so far: ₹7,50,000 of the ₹12,34,567 sanctioned." in english.body
    assert f"record the utilisation certificate for application {APPLICATION}" \
        in english.body
    assert "Repay the loan" not in english.body
    hindi = render("assistance_released", "hi", notice)
    assert hindi.subject == "वित्तीय सहायता 2026-27: ₹2,50,000 जारी"
    assert "स्वीकृत अंश पूंजी अंशदान में से ₹2,50,000 05-11-2026 को जारी किए" in hindi.body
    assert "स्वीकृत ₹12,34,567 में से ₹7,50,000" in hindi.body
    assert f"आवेदन {APPLICATION} का उपयोगिता प्रमाणपत्र दर्ज करें" in hindi.body


def test_a_loans_release_says_to_repay_it_as_scheduled_and_crores_are_grouped():
    [notice] = rules.notices_for("filings", "assistance_released", released(
        kind="loan", amount_paise=1_25_00_000_50, released_total_paise=1_25_00_000_50,
        sanctioned_paise=2_00_00_000_00))
    english = render("assistance_released", "en", notice)
    assert "released ₹1,25,00,000.50 of the loan sanctioned" in english.body
    assert "Repay the loan as the repayment schedule of the sanction sets out." \
        in english.body
    assert "पुनर्भुगतान अनुसूची के अनुसार ऋण का पुनर्भुगतान करें" in render(
        "assistance_released", "hi", notice).body


def utilised(**changes) -> dict:
    return AssistanceUtilisedV1(**{
        "application_id": APPLICATION, "society_id": "s-ml-1",
        "society_name": "Jaintia Hills Weavers Co-operative Society", "kind": "grant",
        "financial_year": "2026-27", "amount_paise": 1_00_000_00,
        "utilised_on": date(2026, 12, 1), "document_id": "uc-2026-17",
        "utilised_total_paise": 3_00_000_00, "released_total_paise": 7_50_000_00,
        "state_office_id": "ml", "recorded_at": AT, **changes}).wire()


def test_a_utilisation_certificate_reaches_the_state_offices_mailbox_with_its_link():
    [notice] = rules.notices_for("filings", "assistance_utilised", utilised(), PORTAL)
    assert (notice.recipient.mailbox, notice.kind, notice.jurisdiction) == (
        ("office", "ml"), "notice", "ml")
    url = "https://portal.example.gov.in/documents/uc-2026-17"
    assert notice.links == [{"title": "Utilisation certificate",
                             "document_id": "uc-2026-17", "url": url}]
    english = render("assistance_utilised", "en", notice)
    assert english.subject == "Utilisation certificate: Jaintia Hills Weavers " \
        "Co-operative Society, grant-in-aid / managerial subsidy 2026-27"
    assert "a utilisation certificate dated 01-12-2026 for ₹1,00,000" in english.body
    assert "Certified so far: ₹3,00,000 of the ₹7,50,000 released. ₹4,50,000 of it is " \
        "not yet certified." in english.body
    assert english.body.endswith(f"Certificate: {url}")
    hindi = render("assistance_utilised", "hi", notice)
    assert "₹1,00,000 का 01-12-2026 दिनांकित उपयोगिता प्रमाणपत्र" in hindi.body
    assert "इसमें से ₹4,50,000 का प्रमाणपत्र अभी शेष है।" in hindi.body
    [whole] = rules.notices_for("filings", "assistance_utilised",
                                utilised(utilised_total_paise=7_50_000_00), PORTAL)
    assert "All of it is certified." in render("assistance_utilised", "en", whole).body


def repaid(**changes) -> dict:
    return LoanRepaymentRecordedV1(**{
        "application_id": APPLICATION, "society_id": "s-ml-1",
        "society_name": "Jaintia Hills Weavers Co-operative Society",
        "financial_year": "2025-26", "paid_on": date(2026, 10, 15),
        "principal_paise": 50_000_00, "interest_paise": 4_125_50,
        "outstanding_paise": 4_50_000_00, "overdue_paise": 25_000_00,
        "recorded_at": AT, **changes}).wire()


def test_a_repayment_tells_the_society_what_is_outstanding_and_what_is_still_overdue():
    [notice] = rules.notices_for("filings", "loan_repayment_recorded", repaid())
    assert (notice.recipient.mailbox, notice.kind) == (("society", "s-ml-1"), "notice")
    english = render("loan_repayment_recorded", "en", notice)
    assert english.subject == "Loan 2025-26: repayment of 15-10-2026 recorded"
    assert "paid on 15-10-2026, has been recorded: principal ₹50,000, interest " \
        "₹4,125.50. Principal outstanding after it: ₹4,50,000." in english.body
    assert "principal of ₹25,000 is overdue under the repayment schedule" in english.body
    hindi = render("loan_repayment_recorded", "hi", notice)
    assert "मूलधन ₹50,000, ब्याज ₹4,125.50। इसके बाद बकाया मूलधन: ₹4,50,000।" in hindi.body
    assert "₹25,000 मूलधन अतिदेय है" in hindi.body
    [settled] = rules.notices_for("filings", "loan_repayment_recorded",
                                  repaid(overdue_paise=0))
    assert render("loan_repayment_recorded", "en", settled).body.endswith(
        "No principal is overdue under the repayment schedule.")
    [unscheduled] = rules.notices_for("filings", "loan_repayment_recorded",
                                      repaid(overdue_paise=None))
    text = render("loan_repayment_recorded", "en", unscheduled).body
    assert text.endswith("Principal outstanding after it: ₹4,50,000.")
    assert "overdue" not in text


def test_an_offices_own_return_sent_back_reaches_the_offices_mailbox():
    decided = {"filing_id": "f2", "form_code": "RCS/IND/Qtly", "filer_kind": "office",
               "filer_id": "wb-kolkata", "period_end": date(2026, 9, 30)}
    [back] = rules.notices_for("filings", "filing_decided", FilingDecidedV1(
        **decided, outcome="returned", remarks="Column 4 total differs.").wire())
    assert (back.recipient.mailbox, back.recipient.id) == (("office", "wb-kolkata"),
                                                          "office-wb-kolkata")
    english = render("filing_returned", "en", back)
    assert "The return RCS/IND/Qtly for the period ending 30-09-2026 was returned for " \
        "correction: Column 4 total differs." in english.body
    assert "30-09-2026 को समाप्त अवधि की विवरणी RCS/IND/Qtly सुधार हेतु लौटाई गई" in render(
        "filing_returned", "hi", back).body
    assert rules.notices_for("filings", "filing_decided", FilingDecidedV1(
        **decided, outcome="accepted").wire()) == []


def test_the_funds_events_each_have_a_handler_and_a_template():
    handled = {(source, event): method for source, event, method in HANDLED}
    for event_type in ("assistance_released", "assistance_utilised",
                       "loan_repayment_recorded"):
        assert handled[("filings", event_type)] == f"on_{event_type}"
        assert event_type in templates.BUILTIN_KEYS
        from services.notify.service import NotifyService

        assert callable(getattr(NotifyService, f"on_{event_type}"))
