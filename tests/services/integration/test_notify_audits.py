"""The notify service on the real broker and PostgreSQL receiving filings' audit events:
an auditor's empanelment reaches the auditor's own mailbox, an audit's allotment the
allotted auditor's and the society's, each once however often the event is delivered,
and no other account's, society's or office's mailbox."""

from __future__ import annotations

import time
from datetime import date

from services.common.contracts.filings_audits import AuditAllottedV1, AuditorEmpanelledV1
from tests.services.integration.test_notify_service import (  # noqa: F401  (fixtures)
    SOCIETY,
    as_actor,
    notify,
    publish,
    sinks,
    society_proxy,
)
from tests.support.polling import wait_for

AUDITOR = "acc-auditor-7"
EMPANELMENT = "5f0c2a9e-1b7d-4c3e-8a6f-2d9e4b1c7a30"


def my_items(rpc_proxy, account: str) -> list[dict]:
    me = as_actor(rpc_proxy, actor_id=account, actor_role="auditor",
                  actor_scope=f"society:{SOCIETY}").notify
    return me.list_mailbox(payload={"mailbox": {"kind": "me"}})["items"]


def office_items(rpc_proxy, office: str) -> list[dict]:
    reader = as_actor(rpc_proxy, actor_id="do-1", actor_role="dealing_officer",
                      actor_scope=f"office:{office}").notify
    return reader.list_mailbox(payload={"mailbox": {"kind": "office", "id": office}})[
        "items"]


def test_empanelment_and_allotment_reach_the_auditor_and_the_society_once(request,
                                                                          rpc_proxy):
    smtp = request.getfixturevalue("notify")[3]
    events = [
        ("auditor_empanelled", AuditorEmpanelledV1(
            empanelment_id=EMPANELMENT, applicant_id=AUDITOR, name="Meera Iyer",
            firm_name="Iyer & Rao", membership_number="123456", frn="012345W",
            financial_year="2026-27", office_id="mh", valid_to=date(2027, 3, 31),
            states=["Maharashtra"], districts=["Kolhapur"], renewal=True).wire()),
        ("audit_allotted", AuditAllottedV1(
            allotment_id="9a1e7c3b-4d2f-4b6a-9c8e-7f3a2b1d0e64", society_id=SOCIETY,
            society_name="Kolhapur Co-op Bank", financial_year="2025-26",
            empanelment_id=EMPANELMENT, auditor_id=AUDITOR, auditor_name="Meera Iyer",
            membership_number="123456", replaces=None).wire()),
    ]
    for event_type, payload in events:
        event_id = publish("filings", event_type, payload)
        publish("filings", event_type, payload, event_id)  # a redelivery changes nothing
    assert wait_for(lambda: len(my_items(rpc_proxy, AUDITOR)) == 2, timeout=30)
    proxy = society_proxy(rpc_proxy)
    box = {"kind": "society", "id": SOCIETY}
    assert wait_for(lambda: proxy.list_mailbox(payload={"mailbox": box})["unread"] == 1,
                    timeout=30)
    time.sleep(1)  # the redeliveries have had their turn
    mine = {m["subject"]: m for m in my_items(rpc_proxy, AUDITOR)}
    assert set(mine) == {"Empanelled as auditor for 2026-27, until 31-03-2027",
                         "Audit allotted: Kolhapur Co-op Bank, 2025-26"}
    panel = mine["Empanelled as auditor for 2026-27, until 31-03-2027"]
    assert panel["kind"] == "order"
    assert "as the firm Iyer & Rao (FRN 012345W)" in panel["body"]
    assert "It renews your empanelment of the year before." in panel["body"]
    assert "apply to renew for 2027-28 from 01-01-2027 to 31-12-2027" in panel["body"]
    allotment = mine["Audit allotted: Kolhapur Co-op Bank, 2025-26"]
    assert "within six months of the year's end, by 30-09-2026" in allotment["body"]
    [told] = proxy.list_mailbox(payload={"mailbox": box})["items"]
    assert told["kind"] == "order"
    assert told["subject"].startswith("Audit of 2025-26 allotted to Meera Iyer / ")
    assert "allotted to Meera Iyer (ICAI membership number 123456)" in told["body"]
    assert my_items(rpc_proxy, "acc-auditor-8") == []            # another auditor
    other = society_proxy(rpc_proxy, society="soc-notify-2")
    assert other.list_mailbox(payload={"mailbox": {"kind": "society",
                                                   "id": "soc-notify-2"}})["items"] == []
    assert office_items(rpc_proxy, "mh") == []                  # the panel's office
    assert smtp.stats()["raw"] == 0                             # mailboxes only
