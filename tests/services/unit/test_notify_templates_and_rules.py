"""Templates, event rules, addresses and backoff of the notify service (no broker)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from services.common.contracts.documents import CertificateIssuedV1
from services.common.contracts.elections import StagePublishedV1
from services.common.contracts.registry import (
    ApplicantV1,
    ApplicationOverdueV1,
    ApplicationStageChangedV1,
    HearingV1,
)
from services.common.errors import InvalidInput
from services.notify import deliveries, rules, templates
from services.notify.contacts import BadAddress, mask, normalise_email, normalise_phone


def builtin(key: str, language: str) -> templates.Template:
    return templates.choose([t for t in templates.BUILTIN if t.key == key], language,
                            templates.NATIONAL)


def test_every_builtin_template_declares_what_it_uses_in_both_languages():
    for template in templates.BUILTIN:
        templates.check_template(subject=template.subject, body=template.body,
                                 sms=template.sms, variables=template.variables)
    assert {(t.key, t.language) for t in templates.BUILTIN} == {
        (key, lang) for key in templates.BUILTIN_KEYS for lang in ("en", "hi")}


def test_language_preference_chooses_the_version_and_falls_back_to_english():
    assert builtin("otp", "hi").language == "hi"
    assert builtin("otp", "ta").language == "en"
    assert builtin("otp", None).language == "en"
    state = templates.Template("otp", "mp", "en", 3, "s", "{code}", "{code}",
                               frozenset({"code"}))
    found = [*[t for t in templates.BUILTIN if t.key == "otp"], state]
    assert templates.choose(found, "en", "mp") is state
    assert templates.choose(found, "hi", "mp").language == "hi"  # language first
    assert templates.choose(found, "en", "wb").jurisdiction == "national"


def test_unknown_and_missing_variables_are_named():
    with pytest.raises(InvalidInput) as refused:
        templates.check_variables(builtin("society_announcement", "en"),
                                  {"title": "t", "mesage": "m", "recipient_name": "x"})
    assert refused.value.fields == {
        "variables.mesage": "unknown variable for this template",
        "variables.message": "required by this template",
        "variables.recipient_name": "filled in for each recipient; do not send it",
        "variables.society_name": "required by this template"}


def test_placeholders_must_be_plain_names_and_declared():
    with pytest.raises(InvalidInput) as refused:
        templates.check_template(subject="{a.__class__}", body="b", sms="s", variables=["a"])
    assert "subject" in refused.value.fields
    with pytest.raises(InvalidInput) as undeclared:
        templates.check_template(subject="{a}", body="{b}", sms="{c}", variables=["a"])
    assert set(undeclared.value.fields) == {"body", "sms"}
    with pytest.raises(InvalidInput) as fixed:
        templates.check_template(subject="{code}", body="b", sms="s", variables=["code"],
                                 fixed=templates.BUILTIN_VARIABLES["otp"])
    assert "variables" in fixed.value.fields


def test_rendering_refuses_an_oversized_sms():
    template = builtin("society_announcement", "en")
    text = templates.render(template, {"society_name": "S", "title": "T", "message": "Hi",
                                       "recipient_name": "Asha"})
    assert text.sms == "S: T. Hi" and text.body.startswith("Dear Asha")
    with pytest.raises(InvalidInput) as too_long:
        templates.render(template, {"society_name": "S" * 600, "title": "T",
                                    "message": "M" * 600, "recipient_name": ""})
    assert "sms" in too_long.value.fields


def test_stage_rules_choose_template_channels_and_recipient():
    event = {**ApplicationStageChangedV1(
        application_id="a1", kind="registration", stage="hearing_scheduled",
        previous_stage="under_scrutiny", society_id=None, office_id="mp",
        applicant=ApplicantV1(account_id="acc", name="Asha", phone="98123 45678",
                              language="hi"),
        reason=None, at=datetime(2026, 11, 29, 5, 0, tzinfo=UTC),
        hearing=HearingV1(at=datetime(2026, 12, 1, 4, 30, tzinfo=UTC),
                          link="https://vc.example/1")).wire(), "unknown_field": 1}
    [notice] = rules.notices_for("registry", "application_stage_changed", event)
    assert notice.template_key == "application_hearing_scheduled"
    assert notice.variables["hearing_at"] == "01 Dec 2026, 10:00 IST"
    assert notice.channels == ("mailbox", "email", "sms")
    assert notice.recipient.mailbox == ("user", "acc") and notice.jurisdiction == "mp"
    assert notice.links == [{"title": "Hearing", "url": "https://vc.example/1"}]
    assert rules.notices_for("registry", "application_stage_changed",
                             {**event, "stage": "scrutiny"}) == []


def test_deadline_and_certificate_rules_address_mailboxes():
    [due] = rules.notices_for("registry", "application_overdue", ApplicationOverdueV1(
        application_id="a1", kind="registration", stage="submitted", office_id="mp",
        deadline=datetime(2026, 12, 1, 12, 0, tzinfo=UTC),
        applicant=ApplicantV1(account_id="acc", name="Asha")).wire())
    assert due.recipient.mailbox == ("office", "mp") and due.channels == ("mailbox",)
    assert due.variables["deadline"] == "01 Dec 2026, 17:30 IST"
    [cert] = rules.notices_for("documents", "certificate_issued", CertificateIssuedV1(
        document_id="d1", document_version=1, society_id="s1",
        certificate_kind="registration", verification_code="ABCD-EFGH-JKLM",
        subject={"name": "Kaveri Dairy", "registration_number": "MSCS/CR/1/2026"},
        issued_at=datetime(2026, 11, 29, 5, 0, tzinfo=UTC)).wire(), "https://portal.example")
    assert cert.links[0]["url"] == "https://portal.example/documents/d1"
    assert cert.recipient.mailbox == ("society", "s1")
    assert cert.variables["subject"] == "Kaveri Dairy, MSCS/CR/1/2026"
    # Form 19N is the returning officer's paper to the CEA: the society is not told.
    assert rules.notices_for("documents", "certificate_issued", CertificateIssuedV1(
        document_id="d2", document_version=1, society_id="s1", certificate_kind="form_19n",
        verification_code="ABCD-EFGH-JKLM", subject={"name": "Kaveri Dairy"},
        issued_at=datetime(2026, 11, 29, 5, 0, tzinfo=UTC)).wire(),
        "https://portal.example") == []


def test_a_published_election_stage_reaches_the_society_and_its_members_in_hindi():
    event = StagePublishedV1(
        election_id="e1", number="107/2025-26", society_id="s1",
        society_name="Shri Veershaiv Cooperative Bank Limited", stage="final_list",
        title="Publication of the final list of voters", document_ids=["d9"],
        published_at=datetime(2025, 12, 6, 11, 30, tzinfo=UTC)).wire()
    [notice] = rules.notices_for("elections", "election_stage_published", event,
                                 "https://portal.example")
    assert notice.recipient.mailbox == ("society", "s1")
    assert notice.links[0]["url"] == "https://portal.example/documents/d9"
    [message] = rules.mass_messages_for("elections", "election_stage_published", event)
    assert message.society_id == "s1" and message.channels == ["sms", "email"]
    hindi = templates.render(builtin("election_stage_published", "hi"),
                             {**message.variables, "recipient_name": "आशा"})
    assert "मतदाताओं की अंतिम सूची का प्रकाशन" in hindi.sms
    assert "06 Dec 2025, 17:00 IST" in hindi.sms


def test_a_declared_result_reaches_the_mailbox_and_the_members_in_hindi():
    from services.common.contracts.elections_counting import ElectedV1, ResultDeclaredV1

    event = ResultDeclaredV1(
        election_id="e1", number="107/2025-26", society_id="s1",
        society_name="Shri Veershaiv Cooperative Bank Limited", contest="board",
        form_id="f1", declared_at=datetime(2026, 1, 12, 6, 30, tzinfo=UTC),
        elected=[ElectedV1(nomination_id="n1", membership_number="M0001",
                           candidate_name="अनिल पाटील", category="general", votes=812),
                 ElectedV1(nomination_id="n2", membership_number="M0020",
                           candidate_name="Bharati Kulkarni", category="women",
                           votes="unopposed")]).wire()
    [notice] = rules.notices_for("elections", "election_result_declared", event)
    assert notice.recipient.mailbox == ("society", "s1")
    [message] = rules.mass_messages_for("elections", "election_result_declared", event)
    hindi = templates.render(builtin("election_result_declared", "hi"),
                             {**message.variables, "recipient_name": "आशा"})
    assert "निदेशक मंडल का परिणाम 12 Jan 2026, 12:00 IST को घोषित" in hindi.body
    assert "अनिल पाटील (general, M0001)" in hindi.body
    assert "2 निर्वाचित" in hindi.sms
    english = templates.render(builtin("election_result_declared", "en"),
                               {**message.variables, "recipient_name": "Asha"})
    assert "board of directors declared on 12 Jan 2026" in english.sms


def test_the_19x_notice_goes_on_the_societys_notice_board_in_hindi():
    from services.common.contracts.elections_accounts import InspectionNoticePostedV1

    event = InspectionNoticePostedV1(
        election_id="e1", number="107/2025-26", society_id="s1", society_name="Bank",
        nomination_id="n1", candidate_name="अनिल पाटील", lodged_on="2026-01-20",
        inspect_at=datetime(2026, 1, 24, 5, 30, tzinfo=UTC), place="RO's office").wire()
    [notice] = rules.notices_for("elections", "election_expense_inspection_notice", event)
    assert notice.recipient.mailbox == ("society", "s1") and notice.channels == ("mailbox",)
    hindi = templates.render(builtin("election_expense_inspection", "hi"),
                             {**notice.variables, "recipient_name": "Bank"})
    assert "जो 20-01-2026 को प्रस्तुत किया गया" in hindi.body
    assert "24 Jan 2026, 11:00 IST" in hindi.body


def test_returns_due_overdue_and_sent_back_reach_the_societys_mailbox():
    from services.common.contracts.filings import (
        FilingDecidedV1,
        FilingDueSoonV1,
        FilingOverdueV1,
    )

    due = {"form_code": "RCS/LQR/01", "society_id": "s1", "society_name": "Kaveri Samiti",
           "form_title": {"en": "Liquidation return", "hi": "परिसमापन विवरणी"},
           "period_end": date(2026, 9, 30), "due_on": date(2026, 10, 31)}
    [soon] = rules.notices_for("filings", "filing_due_soon", FilingDueSoonV1(**due).wire())
    hindi = templates.render(builtin("filing_due_soon", "hi"),
                             {**soon.variables, "recipient_name": "Kaveri"})
    assert soon.recipient.mailbox == ("society", "s1")
    assert "30-09-2026 को समाप्त अवधि का परिसमापन विवरणी 31-10-2026 तक देय" in hindi.body
    [late] = rules.notices_for("filings", "filing_overdue", FilingOverdueV1(**due).wire())
    english = templates.render(builtin("filing_overdue", "en"),
                               {**late.variables, "recipient_name": "Kaveri"})
    assert "was due on 31-10-2026 and has not been filed" in english.body
    decided = {"filing_id": "f1", "form_code": "RCS/LQR/01", "filer_kind": "society",
               "filer_id": "s1", "period_end": date(2026, 9, 30)}
    [back] = rules.notices_for("filings", "filing_decided", FilingDecidedV1(
        **decided, outcome="returned", remarks="Annexure I total differs.").wire())
    assert back.variables["remarks"] == "Annexure I total differs."
    assert rules.notices_for("filings", "filing_decided", FilingDecidedV1(
        **decided, outcome="accepted").wire()) == []


def test_an_offices_own_returns_reach_the_offices_mailbox_in_english_and_hindi():
    from services.common.contracts.filings import OfficeFilingDueSoonV1, OfficeFilingOverdueV1

    due = {"form_code": "RCS/P&D/ANNUAL-T1", "office_id": "wb-kolkata",
           "office_name": "Assistant Registrar, Kolkata Range",
           "form_title": {"en": "Movement at a glance, Table 1", "hi": "एक नज़र में, तालिका 1"},
           "period_end": date(2026, 3, 31), "due_on": date(2026, 10, 31)}
    [soon] = rules.notices_for("filings", "office_filing_due_soon",
                               OfficeFilingDueSoonV1(**due).wire())
    assert soon.recipient.mailbox == ("office", "wb-kolkata")
    hindi = templates.render(builtin("office_filing_due_soon", "hi"),
                             {**soon.variables, "recipient_name": ""})
    assert "31-03-2026 को समाप्त अवधि का एक नज़र में, तालिका 1 31-10-2026 तक देय" in hindi.body
    [late] = rules.notices_for("filings", "office_filing_overdue",
                               OfficeFilingOverdueV1(**due).wire())
    english = templates.render(builtin("office_filing_overdue", "en"),
                               {**late.variables, "recipient_name": ""})
    assert english.subject == "Overdue: Movement at a glance, Table 1"
    assert "Kolkata Range: the office's Movement at a glance, Table 1 for the period " \
        "ending 31-03-2026 was due on 31-10-2026" in english.body


def test_cases_reach_the_complainant_the_next_office_and_the_society():
    from services.common.contracts.grievance import (
        CaseEscalatedV1,
        CaseTransitionedV1,
        HearingReminderV1,
        HearingScheduledV1,
    )

    moved = CaseTransitionedV1(
        case_id="c1", number="GRV/2026/000017", kind="grievance", action="resolve",
        from_state="assigned", to_state="resolved", office_id="mp-bhopal", opened_by="acc-9",
        language="hi", message_en="Your grievance was resolved.",
        message_hi="आपकी शिकायत का निराकरण हुआ।").wire()
    [notice] = rules.notices_for("grievance", "case_transitioned", moved)
    assert notice.recipient.mailbox == ("user", "acc-9") and notice.recipient.language == "hi"
    hindi = templates.render(builtin("case_update", "hi"),
                             {**notice.variables, "recipient_name": ""})
    assert hindi.body == "आपकी शिकायत का निराकरण हुआ।"
    late = CaseEscalatedV1(
        case_id="c1", number="GRV/2026/000017", kind="grievance", from_level=1, to_level=2,
        from_office_id="mp-bhopal", to_office_id="mp", assignee="do-1",
        due_at=datetime(2026, 12, 20, 12, 30, tzinfo=UTC), overall_breached=False,
        opened_by="acc-9", language="en").wire()
    [up] = rules.notices_for("grievance", "case_escalated", late)
    assert up.recipient.mailbox == ("office", "mp") and up.kind == "reminder"
    assert "20 Dec 2026, 18:00 IST" in templates.render(
        builtin("case_escalated", "en"), {**up.variables, "recipient_name": ""}).body
    hearing = HearingScheduledV1(
        case_id="c2", number="APL/2026/000003", kind="appeal", reference=None, court=None,
        hearing_at=datetime(2027, 1, 5, 5, 30, tzinfo=UTC), place="Registrar's court room",
        purpose="Arguments", office_id="mp", society_id="s1", opened_by="acc-9",
        language="en").wire()
    assert [n.recipient.mailbox for n in rules.notices_for(
        "grievance", "case_hearing_scheduled", hearing)] == [("user", "acc-9"),
                                                             ("society", "s1")]
    reminder = HearingReminderV1(**{**hearing, "alert_phones": [
        "+919826000001", "+919826000001", "9826000002"], "language": "hi"}).wire()
    found = rules.notices_for("grievance", "case_hearing_reminder", reminder)
    assert [(n.recipient.mailbox, n.recipient.phone, n.channels) for n in found] == [
        (("user", "acc-9"), None, ("mailbox",)), (("society", "s1"), None, ("mailbox",)),
        (None, "+919826000001", ("sms",)), (None, "9826000002", ("sms",))]
    sms = templates.render(builtin("case_hearing_reminder", "hi"),
                           {**found[2].variables, "recipient_name": ""}).sms
    assert sms == "स्मरण: सुनवाई, प्रकरण APL/2026/000003, 05 Jan 2027, 11:00 IST, " \
                  "Registrar's court room।"


def test_every_rule_has_a_handler_subscription_and_a_template():
    from services.notify.subscriptions import HANDLED

    assert {(source, event) for source, event, _ in HANDLED} == set(rules.RULES)
    used = {template for template, _, _ in rules.STAGE_NOTICES.values()}
    assert used <= templates.BUILTIN_KEYS


@pytest.mark.parametrize(("raw", "expected"), [
    ("9812345678", "+919812345678"), ("+91 98123-45678", "+919812345678"),
    ("09812345678", "+919812345678"), ("+447700900123", "+447700900123")])
def test_phone_numbers_are_normalised(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "12345", "5812345678", "+91581234567",
                                 "phone"])
def test_bad_phone_numbers_are_refused(raw):
    with pytest.raises(BadAddress):
        normalise_phone(raw)


def test_emails_and_masks():
    assert normalise_email(" Asha@Example.ORG ") == "asha@example.org"
    with pytest.raises(BadAddress):
        normalise_email("asha@")
    assert mask("asha@example.org") == "a***@example.org"
    assert mask("+919812345678") == "+91******78"


def test_keys_are_stable_and_bounded():
    assert deliveries.key("job", "j", "m", "sms") == "job:j:m:sms"
    long_key = deliveries.key("event", "e" * 300, "m", "email")
    assert len(long_key) <= 200 and long_key == deliveries.key("event", "e" * 300, "m",
                                                                "email")


def test_backoff_grows_is_capped_and_honours_retry_after():
    assert deliveries.backoff(1, 2, 300) == timedelta(seconds=2)
    assert deliveries.backoff(4, 2, 300) == timedelta(seconds=16)
    assert deliveries.backoff(20, 2, 300) == timedelta(seconds=300)
    assert deliveries.backoff(1, 2, 300, retry_after=30) == timedelta(seconds=30)


def _mail(n: int, body: str = "Dear member", origin: str | None = "job:1",
          language: str = "en"):
    from services.notify.channels import Message
    return Message(f"job:1:m-{n}:email", f"m{n}@example.org", "Notice", body, language,
                   origin=origin)


def test_identical_texts_of_one_origin_share_a_transaction_of_at_most_100():
    from services.notify.channels.email import groups

    batch = [_mail(n) for n in range(150)] + [_mail(150, body="Dear Asha"),
                                              _mail(151, language="hi"),
                                              _mail(152, origin=None)]
    found = groups(batch)
    assert [len(g) for g in found] == [100, 50, 1, 1, 1]
    assert found[0] == list(range(100)) and found[4] == [152]


def test_message_id_does_not_depend_on_how_a_batch_was_grouped():
    from services.notify.channels.email import build, message_id

    first, second = _mail(1), _mail(2)
    assert message_id(first, "d") == message_id(second, "d")  # one text, one message
    assert message_id(_mail(1, body="Dear Asha"), "d") != message_id(first, "d")
    assert message_id(_mail(1, origin="job:2"), "d") != message_id(first, "d")
    alone = _mail(1, origin=None)
    assert message_id(alone, "d") != message_id(_mail(2, origin=None), "d")
    wire = build(_mail(1, language="hi", body="प्रिय सदस्य"), ["m1@example.org"],
                 sender="a@b.org", domain="d")
    head = wire.split(b"\r\n\r\n")[0]
    assert b"\nTo: m1@example.org\r" in head and b"Content-Language: hi" in head
    assert b"\n" not in wire.replace(b"\r\n", b"")  # CRLF line ends only


def test_the_message_id_header_stays_on_one_line_with_a_long_domain():
    """Folded at 78 characters the id would start on a continuation line, and receivers
    that read it as one line would take every message to an address for a repeat."""
    from services.notify.channels.email import build, message_id

    mail = _mail(1)
    domain = "notify.registrar-of-cooperative-societies.example"
    wire = build(mail, ["m1@example.org"], sender="no-reply@example.org", domain=domain)
    expected = f"\r\nMessage-ID: {message_id(mail, domain)}\r\n".encode()
    assert expected in wire.split(b"\r\n\r\n")[0] + b"\r\n"


def test_a_built_email_reads_back_as_sent_and_a_subject_cannot_add_headers():
    """The message is written as bytes, not through the email package: a receiver's
    parser must still find the same subject, body and language, and a line break in a
    subject (variables come from callers) must not start a header of its own."""
    from email import message_from_bytes, policy

    from services.notify.channels import Message
    from services.notify.channels.email import build

    body = "प्रिय सदस्य,\n\n.a line starting with a dot\n" + "x" * 200
    mail = Message("job:1:m-1:email", "m1@example.org", "सूचना: AGM\r\nBcc: x@evil.example",
                   body, "hi", origin="job:1")
    wire = build(mail, ["m1@example.org"], sender="a@b.org", domain="d")
    parsed = message_from_bytes(wire, policy=policy.default)
    assert parsed["Bcc"] is None
    assert str(parsed["Subject"]) == "सूचना: AGM Bcc: x@evil.example"
    assert parsed.get_body(("plain",)).get_content() == body
    assert parsed["Content-Language"] == "hi" and parsed["To"] == "m1@example.org"
    assert max(len(line) for line in wire.split(b"\r\n")) <= 998
    plain = build(Message("k", "m1@example.org", "AGM\nBcc: x@evil.example", "b", "en"),
                  ["m1@example.org"], sender="a@b.org", domain="d")
    assert message_from_bytes(plain, policy=policy.default)["Bcc"] is None
