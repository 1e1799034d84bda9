"""The notify service on the real broker and PostgreSQL receiving filings' funds events
(a release, a utilisation certificate, a loan's repayment) and an office's own return
sent back for correction: each notice is posted once, to the society's or the office's
mailbox, however often the event is delivered."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest

from services.common.contracts.filings import FilingDecidedV1
from services.common.contracts.filings_assistance import (
    AssistanceReleasedV1,
    AssistanceUtilisedV1,
    LoanRepaymentRecordedV1,
)
from tests.services.integration.test_notify_service import (  # noqa: F401  (fixtures)
    SOCIETY,
    as_actor,
    notify,
    publish,
    sinks,
    society_proxy,
)
from tests.support.polling import wait_for

APPLICATION = "0b7c61a2-6f53-4d4e-9d7e-4a1b2c3d4e5f"
AT = datetime(2026, 12, 8, 6, 30, tzinfo=UTC)


def office_items(rpc_proxy, office: str) -> list[dict]:
    reader = as_actor(rpc_proxy, actor_id="do-1", actor_role="dealing_officer",
                      actor_scope=f"office:{office}").notify
    return reader.list_mailbox(payload={"mailbox": {"kind": "office", "id": office}})[
        "items"]


def test_funds_events_reach_the_society_and_the_state_office_once(request, rpc_proxy):
    smtp = request.getfixturevalue("notify")[3]
    common = {"application_id": APPLICATION, "society_id": SOCIETY,
              "society_name": "Kolhapur Co-op Bank", "recorded_at": AT}
    events = [
        ("assistance_released", AssistanceReleasedV1(
            **common, kind="loan", financial_year="2026-27", amount_paise=1_25_00_000_00,
            released_on=date(2026, 11, 5), reference="RCS/FA/2026/117",
            released_total_paise=1_25_00_000_00, sanctioned_paise=2_00_00_000_00).wire()),
        ("assistance_utilised", AssistanceUtilisedV1(
            **common, kind="loan", financial_year="2026-27", amount_paise=40_00_000_00,
            utilised_on=date(2026, 12, 1), document_id="uc-2026-17",
            utilised_total_paise=40_00_000_00, released_total_paise=1_25_00_000_00,
            state_office_id="ml").wire()),
        ("loan_repayment_recorded", LoanRepaymentRecordedV1(
            **common, financial_year="2026-27", paid_on=date(2026, 12, 2),
            principal_paise=10_00_000_00, interest_paise=37_500_00,
            outstanding_paise=1_15_00_000_00, overdue_paise=5_00_000_00).wire()),
    ]
    for event_type, payload in events:
        event_id = publish("filings", event_type, payload)
        publish("filings", event_type, payload, event_id)  # a redelivery changes nothing
    proxy = society_proxy(rpc_proxy)
    box = {"kind": "society", "id": SOCIETY}
    assert wait_for(lambda: proxy.list_mailbox(payload={"mailbox": box})["unread"] == 2,
                    timeout=30)
    assert wait_for(lambda: len(office_items(rpc_proxy, "ml")) == 1, timeout=30)
    time.sleep(1)  # the redeliveries have had their turn
    items = proxy.list_mailbox(payload={"mailbox": box})["items"]
    messages = {m["subject"].split(" / ")[0]: m for m in items}   # English, then Hindi
    assert set(messages) == {"Financial assistance 2026-27: ₹1,25,00,000 released",
                             "Loan 2026-27: repayment of 02-12-2026 recorded"}
    assert messages["Financial assistance 2026-27: ₹1,25,00,000 released"]["subject"] \
        .endswith(" / वित्तीय सहायता 2026-27: ₹1,25,00,000 जारी")
    release = messages["Financial assistance 2026-27: ₹1,25,00,000 released"]
    assert release["kind"] == "order"
    assert "record the utilisation certificate" in release["body"]
    repayment = messages["Loan 2026-27: repayment of 02-12-2026 recorded"]
    assert "Principal outstanding after it: ₹1,15,00,000." in repayment["body"]
    assert "principal of ₹5,00,000 is overdue" in repayment["body"]
    [certificate] = office_items(rpc_proxy, "ml")
    assert certificate["subject"].startswith("Utilisation certificate: Kolhapur Co-op "
                                             "Bank, loan 2026-27 / ")
    assert "Certified so far: ₹40,00,000 of the ₹1,25,00,000 released. ₹85,00,000 of it " \
        "is not yet certified." in certificate["body"]
    assert certificate["links"][0]["document_id"] == "uc-2026-17"
    assert certificate["links"][0]["url"].endswith("/documents/uc-2026-17")
    assert office_items(rpc_proxy, "mh") == []          # another office hears nothing
    assert smtp.stats()["raw"] == 0                     # mailboxes only


@pytest.mark.usefixtures("notify")
def test_an_offices_own_return_sent_back_reaches_its_mailbox_once(rpc_proxy):
    payload = FilingDecidedV1(
        filing_id="f-office-1", form_code="RCS/LQR/01", filer_kind="office",
        filer_id="wb-kolkata", period_end=date(2026, 9, 30), outcome="returned",
        remarks="Annexure I total differs.").wire()
    event_id = publish("filings", "filing_decided", payload)
    publish("filings", "filing_decided", payload, event_id)
    assert wait_for(lambda: len(office_items(rpc_proxy, "wb-kolkata")) == 1, timeout=30)
    time.sleep(1)
    [message] = office_items(rpc_proxy, "wb-kolkata")
    assert message["subject"] == "Return RCS/LQR/01 sent back for correction / " \
        "विवरणी RCS/LQR/01 सुधार हेतु लौटाई गई"
    assert "सुधार हेतु लौटाई गई: Annexure I total differs." in message["body"]
    assert "returned for correction: Annexure I total differs." in message["body"]
