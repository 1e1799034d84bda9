"""What notify makes of filings' audit_reminder: a reminder in the society's mailbox, in
English and Hindi, dates written dd-mm-yyyy (the rule and templates alone, no broker)."""

from __future__ import annotations

from datetime import date

from services.common.contracts.filings_audits import AuditReminderV1
from services.common.topology import SUBSCRIPTIONS
from services.notify import rules, templates


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
