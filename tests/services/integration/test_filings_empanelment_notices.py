"""What notify makes of filings' audit_reminder: a reminder in the society's mailbox, in
English and Hindi, dates written dd-mm-yyyy (the rule and templates alone), and the
notify service posting it once when the event arrives."""

from __future__ import annotations

import time
from datetime import date

import pytest

from services.common.contracts.filings_audits import AuditReminderV1
from services.common.topology import SUBSCRIPTIONS
from services.notify import rules, templates
from tests.services.integration.test_notify_service import (  # noqa: F401  (fixtures)
    SOCIETY,
    notify,
    publish,
    sinks,
    society_proxy,
)
from tests.support.polling import wait_for


def _render(key: str, language: str, variables: dict) -> templates.Rendered:
    chosen = templates.choose([t for t in templates.BUILTIN if t.key == key], language,
                              templates.NATIONAL)
    return templates.render(chosen, {**variables, "recipient_name": "Kaveri"})


def test_an_audit_reminder_becomes_a_notice_in_the_societys_mailbox():
    event = AuditReminderV1(society_id="s1", society_name="Kaveri Samiti",
                            financial_year="2025-26", due_on=date(2026, 9, 30), number=2,
                            of=6)
    [notice] = rules.notices_for("filings", "audit_reminder", event.wire())
    assert (notice.recipient.mailbox, notice.kind, notice.channels) == (
        ("society", "s1"), "reminder", ("mailbox",))
    english = _render("audit_reminder", "en", notice.variables)
    assert english.subject == "Audit of 2025-26 due by 30-09-2026 (reminder 2 of 6)"
    assert "external auditor by 30-09-2026" in english.body
    hindi = _render("audit_reminder", "hi", notice.variables)
    assert "2025-26 के लेखों की लेखा परीक्षा" in hindi.body and "30-09-2026" in hindi.body
    assert any(s.consumer == "notify" and s.source == "filings"
               and s.event_type == "audit_reminder" for s in SUBSCRIPTIONS)


@pytest.mark.usefixtures("notify")
def test_the_notify_service_posts_the_reminder_to_the_societys_mailbox_once(rpc_proxy):
    event = AuditReminderV1(society_id=SOCIETY, society_name="Kolhapur Co-op Bank",
                            financial_year="2025-26", due_on=date(2026, 9, 30), number=1,
                            of=6).wire()
    event_id = publish("filings", "audit_reminder", event)
    publish("filings", "audit_reminder", event, event_id)  # a redelivery changes nothing
    proxy = society_proxy(rpc_proxy)
    box = {"kind": "society", "id": SOCIETY}
    assert wait_for(lambda: proxy.list_mailbox(payload={"mailbox": box})["unread"] == 1,
                    timeout=30)
    time.sleep(1)  # the redelivery has had its turn
    [message] = proxy.list_mailbox(payload={"mailbox": box})["items"]
    assert message["kind"] == "reminder"
    # a society's mailbox carries English and Hindi (docs/notify.md)
    assert message["subject"] == ("Audit of 2025-26 due by 30-09-2026 (reminder 1 of 6) / "
                                  "2025-26 की लेखा परीक्षा 30-09-2026 तक (अनुस्मारक 1/6)")
