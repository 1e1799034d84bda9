"""Reminders to offices for their own returns, on the real registry, filings and notify
services: a West Bengal Range office owes the liquidation return and the movement-at-a-
glance tables by each form's due-date rule; what it has filed is not reminded; each
reminder goes out once and reaches the office's mailbox, read by its staff, in English
and Hindi."""

from __future__ import annotations

import time

from services.common.migrate import upgrade
from services.common.topology import SUBSCRIPTIONS, declare_all
from services.notify.service import NotifyService
from tests.services.unit.test_filings_forms import _lqr_values
from tests.support.broker import AMQP_URI


def _notify(pg_database, containers) -> None:
    url = pg_database("notify")
    upgrade("notify", url)
    subs = [s for s in SUBSCRIPTIONS if s.consumer == "notify"]
    declare_all(AMQP_URI, subs)
    containers(NotifyService, url, subscriptions=subs)


def _mailbox(stack, office: str, wanted: int, timeout: float = 15.0) -> list[dict]:
    reader = stack.rpc_proxy(actor_id="do-1", actor_role="dealing_officer",
                             actor_scope=f"office:{office}").notify
    deadline = time.monotonic() + timeout
    while True:
        items = reader.list_mailbox(payload={"mailbox": {"kind": "office", "id": office},
                                             "limit": 200})["items"]
        if len(items) >= wanted or time.monotonic() > deadline:
            return items
        time.sleep(0.2)


def test_an_office_is_reminded_of_its_own_returns_once_each(filings_stack, pg_database,
                                                            containers):
    _notify(pg_database, containers)
    officer = filings_stack.staff("dealing_officer", office="wb-kolkata")
    draft = officer.start_filing(payload={
        "form_code": "RCS/LQR/01", "filer_kind": "office", "filer_id": "wb-kolkata",
        "period_end": "2025-03-31", "values": _lqr_values()})
    officer.submit_filing(payload={"filing_id": draft["id"]})

    first = filings_stack.system.scan_due_dates(payload={"as_on": "2025-10-20"})
    sent = {(r.form_code, r.office_id, r.p, r.kind) for r in filings_stack.sql(
        "SELECT form_code, office_id, period_end::text AS p, kind FROM office_due_reminder")}
    assert first["office_events"] == len(sent)
    kolkata = {(f, p, k) for f, o, p, k in sent if o == "wb-kolkata"}
    # the movement at a glance for 2024-25 falls due on 31-10-2025: due soon
    assert ("RCS/P&D/ANNUAL-T1", "2025-03-31", "due_soon") in kolkata
    assert ("RCS/PAC/ANNUAL-T2", "2025-03-31", "due_soon") in kolkata
    # the half year to 30-09-2025's liquidation return was due on 15-10-2025
    assert ("RCS/LQR/01", "2025-09-30", "overdue") in kolkata
    # the one filed is not reminded; a Madhya Pradesh office owes no West Bengal return,
    # nor does the state's own office (the Range offices file them)
    assert not any(f == "RCS/LQR/01" and p == "2025-03-31" for f, p, _ in kolkata)
    assert {o for _, o, _, _ in sent} == {"wb-kolkata"}

    again = filings_stack.system.scan_due_dates(payload={"as_on": "2025-10-21"})
    assert again["office_events"] == 0

    items = _mailbox(filings_stack, "wb-kolkata", len(kolkata))
    assert len(items) == len(kolkata)
    # an office's mailbox reads in both languages: the English subject, then the Hindi
    due_soon = next(i["subject"] for i in items if i["subject"].startswith(
        "Due soon: Co-operative movement at a glance, Table 1 (PACS, FSCS, LAMPS) / "))
    assert "शीघ्र देय" in due_soon
    overdue = next(i for i in items if i["subject"].startswith(
        "Overdue: Half-yearly / annual return of liquidation / ")
        and "30-09-2025" in i["body"])
    assert "was due on 15-10-2025" in overdue["body"]
    assert overdue["kind"] == "reminder"
