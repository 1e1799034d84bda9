"""The notify service on the real broker and PostgreSQL: a notice to a society's mailbox
and one to an office's mailbox are posted once, each in English and in Hindi, however
often the event is delivered; an office's own published Hindi version is the Hindi half
of its office's message."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest

from services.common.contracts.filings_audits import AuditReminderV1
from services.common.contracts.registry import ApplicantV1, ApplicationOverdueV1
from tests.services.integration.test_notify_assistance_funds import office_items
from tests.services.integration.test_notify_service import (  # noqa: F401  (fixtures)
    SOCIETY,
    as_actor,
    notify,
    publish,
    sinks,
    society_proxy,
)
from tests.support.polling import wait_for

HEADING = "\n\n— हिंदी —\n\n"


@pytest.mark.usefixtures("notify")
def test_an_audit_reminder_reaches_the_societys_mailbox_once_in_both_languages(rpc_proxy):
    payload = AuditReminderV1(
        society_id=SOCIETY, society_name="Kolhapur Co-op Bank", financial_year="2025-26",
        due_on=date(2026, 9, 30), number=2, of=6).wire()
    event_id = publish("filings", "audit_reminder", payload)
    publish("filings", "audit_reminder", payload, event_id)    # a redelivery
    proxy = society_proxy(rpc_proxy)
    box = {"kind": "society", "id": SOCIETY}
    assert wait_for(lambda: proxy.list_mailbox(payload={"mailbox": box})["unread"] == 1,
                    timeout=30)
    time.sleep(1)  # the redelivery has had its turn
    [message] = proxy.list_mailbox(payload={"mailbox": box})["items"]
    assert message["subject"] == "Audit of 2025-26 due by 30-09-2026 (reminder 2 of 6) / " \
        "2025-26 की लेखा परीक्षा 30-09-2026 तक (अनुस्मारक 2/6)"
    english, hindi = message["body"].split(HEADING)
    assert english == "Kolhapur Co-op Bank: the accounts of the financial year 2025-26 " \
        "are to be audited by an external auditor by 30-09-2026, within six months of " \
        "the year's end. No audit is recorded or allotted yet."
    assert hindi.startswith("Kolhapur Co-op Bank: वित्तीय वर्ष 2025-26 के लेखों की लेखा "
                            "परीक्षा")
    assert "अभी तक कोई लेखा परीक्षा दर्ज या आवंटित नहीं हुई है।" in hindi
    # Searching the mailbox in Hindi finds it too.
    found = proxy.list_mailbox(payload={"mailbox": box, "q": "आवंटित"})
    assert [m["id"] for m in found["items"]] == [message["id"]]


@pytest.mark.usefixtures("notify")
def test_an_overdue_application_reaches_the_offices_mailbox_with_its_own_hindi(rpc_proxy):
    staff = as_actor(rpc_proxy, actor_id="reg-1", actor_role="registrar",
                     actor_scope="office:mh-pune").notify
    staff.publish_template(payload={
        "key": "application_overdue", "jurisdiction": "mh-pune", "language": "hi",
        "subject": "विलंब: आवेदन {application_id}",
        "body": "पुणे कार्यालय: आवेदन {application_id} ({stage}) {deadline} से विलंबित।",
        "sms": "आवेदन {application_id} विलंबित।",
        "variables": ["recipient_name", "application_id", "kind", "stage", "deadline"]})
    payload = ApplicationOverdueV1(
        application_id="app-77", kind="registration", stage="scrutiny",
        deadline=datetime(2026, 12, 1, 12, 30, tzinfo=UTC), office_id="mh-pune",
        applicant=ApplicantV1(account_id="acc-1", name="Asha", language="hi")).wire()
    event_id = publish("registry", "application_overdue", payload)
    publish("registry", "application_overdue", payload, event_id)
    assert wait_for(lambda: len(office_items(rpc_proxy, "mh-pune")) == 1, timeout=30)
    time.sleep(1)
    [message] = office_items(rpc_proxy, "mh-pune")
    assert message["subject"] == "Overdue: application app-77 / विलंब: आवेदन app-77"
    assert message["body"] == (
        "The registration application app-77 (scrutiny) passed its deadline of "
        "01 Dec 2026, 18:00 IST." + HEADING +
        "पुणे कार्यालय: आवेदन app-77 (scrutiny) 01 Dec 2026, 18:00 IST से विलंबित।")
    assert office_items(rpc_proxy, "mh") == []           # another office hears nothing
