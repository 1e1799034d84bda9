"""The notice of a case just opened: what the grievance service emits (its number, what
it is against, when, the kind's titles), what notify makes of it (the complainant's
mailbox in their language; a grievance against a society also in the society's mailbox;
dates dd-mm-yyyy), and the notify service posting it once when the event arrives."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from services.common.contracts.grievance import CaseOpenedV1
from services.common.topology import SUBSCRIPTIONS
from services.notify import rules, templates
from tests.services.integration.grievance_kit import complaint
from tests.services.integration.test_notify_service import (  # noqa: F401  (fixtures)
    SOCIETY,
    as_actor,
    notify,
    publish,
    sinks,
    society_proxy,
)
from tests.support.polling import wait_for

OPENED = {"case_id": "0b9d6c1e-3f55-4c1b-9a55-8d3e5a1c0f11", "number": "GRV/2026/1A2B3C4D",
          "kind": "grievance", "office_id": "mp-bhopal", "desk": "grievance_cell",
          "society_id": SOCIETY, "category": "accounts_and_dividend",
          "opened_by": "acc-31", "language": "hi", "subject": "Dividend not paid",
          "against_type": "society", "opened_by_role": "citizen",
          # 31-12-2026 20:00 UTC is 01-01-2027 in India: the notice says India's date.
          "opened_at": datetime(2026, 12, 31, 20, 0, tzinfo=UTC),
          "title_en": "Grievance", "title_hi": "शिकायत",
          "message_en": "Your grievance GRV/2026/1A2B3C4D has been received.",
          "message_hi": "आपकी शिकायत GRV/2026/1A2B3C4D प्राप्त हो गई है।"}


def _render(key: str, language: str, variables: dict) -> templates.Rendered:
    chosen = templates.choose([t for t in templates.BUILTIN if t.key == key], language,
                              templates.NATIONAL)
    return templates.render(chosen, {**variables, "recipient_name": ""})


def test_a_case_opened_reaches_the_complainant_and_the_society_in_their_language():
    found = rules.notices_for("grievance", "case_opened",
                              CaseOpenedV1(**OPENED).wire(), "https://portal.example/")
    assert [(n.template_key, n.recipient.mailbox, n.recipient.language, n.channels)
            for n in found] == [
        ("case_opened", ("user", "acc-31"), "hi", ("mailbox",)),
        ("case_opened_society", ("society", SOCIETY), None, ("mailbox",))]
    hindi = _render("case_opened", "hi", found[0].variables)
    assert hindi.subject == "आपकी शिकायत GRV/2026/1A2B3C4D प्राप्त हुई"
    assert "01-01-2027 को प्राप्त हुई" in hindi.body
    assert "https://portal.example पर साइन इन करें" in hindi.body
    english = _render("case_opened", "en", found[0].variables)
    assert "registered as case GRV/2026/1A2B3C4D" in english.body
    assert "sign in at https://portal.example" in english.body
    society = _render("case_opened_society", "en", found[1].variables)
    assert society.subject == "A grievance against the society: case GRV/2026/1A2B3C4D"
    assert any(s.consumer == "notify" and s.source == "grievance"
               and s.event_type == "case_opened" for s in SUBSCRIPTIONS)


def test_only_a_grievance_against_a_society_reaches_its_mailbox_and_staff_get_none():
    portal = {**OPENED, "against_type": "portal", "society_id": None, "language": "en"}
    [only] = rules.notices_for("grievance", "case_opened", CaseOpenedV1(**portal).wire())
    assert only.recipient.mailbox == ("user", "acc-31")
    officer = {**OPENED, "kind": "court_case", "against_type": None,
               "opened_by_role": "dealing_officer"}
    assert rules.notices_for("grievance", "case_opened",
                             CaseOpenedV1(**officer).wire()) == []
    # The first shape of the event (without the added fields) still makes a notice.
    first = {k: v for k, v in OPENED.items() if k in (
        "case_id", "number", "kind", "office_id", "desk", "society_id", "category",
        "opened_by", "language", "subject")}
    [bare] = rules.notices_for("grievance", "case_opened", CaseOpenedV1(**first).wire())
    assert "grievance" in _render("case_opened", "en", bare.variables).subject


def test_raising_a_grievance_emits_the_case_opened_notice_facts(grievance_stack):
    stack = grievance_stack
    society_id = stack.add_society("mp")
    raised = stack.citizen("citizen-opened").raise_grievance(payload=complaint(society_id))
    [row] = stack.sql("SELECT payload FROM outbox_message WHERE event_type = 'case_opened'")
    event = CaseOpenedV1.model_validate(row.payload)
    assert (event.number, event.against_type, event.society_id, event.opened_by) == (
        raised["number"], "society", society_id, "citizen-opened")
    assert event.title_hi == "शिकायत" and event.opened_by_role == "citizen"
    assert event.message_hi == raised["message"]["hi"]


@pytest.mark.usefixtures("notify")
def test_the_notify_service_posts_the_case_opened_notice_once_to_each_mailbox(rpc_proxy):
    event = CaseOpenedV1(**OPENED).wire()
    event_id = publish("grievance", "case_opened", event)
    publish("grievance", "case_opened", event, event_id)   # a redelivery changes nothing
    me = as_actor(rpc_proxy, actor_id="acc-31", actor_role="account",
                  actor_scope="account:acc-31").notify
    assert wait_for(lambda: me.list_mailbox(payload={"mailbox": {"kind": "me"}})[
        "unread"] == 1, timeout=30)
    box = {"kind": "society", "id": SOCIETY}
    society = society_proxy(rpc_proxy)
    assert wait_for(lambda: society.list_mailbox(payload={"mailbox": box})["unread"] == 1,
                    timeout=30)
    time.sleep(1)                                           # the redelivery has had its turn
    [mine] = me.list_mailbox(payload={"mailbox": {"kind": "me"}})["items"]
    assert mine["subject"] == "आपकी शिकायत GRV/2026/1A2B3C4D प्राप्त हुई"
    [theirs] = society.list_mailbox(payload={"mailbox": box})["items"]
    assert "GRV/2026/1A2B3C4D" in theirs["subject"]
