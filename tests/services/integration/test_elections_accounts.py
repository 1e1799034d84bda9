"""What follows a declaration, over the real broker and PostgreSQL: accounts of election
expenses lodged within 30 days (rule 19W's particulars checked, the vouchers numbered and
lodged), the RO's inspection notice within 2 days (19X), the RO's report of those who lodged
nothing and the CEA's 19V order (disqualified 3 years, refused at a later scrutiny's check),
remuneration claims within the CEA order's caps, and the RO's Annexure VI checklist."""

from __future__ import annotations

import uuid

import pytest

from services.common.errors import Conflict, Forbidden, InvalidInput
from tests.services.integration.elections_kit import seed_order
from tests.services.integration.test_elections_counting import BOOTHS, _nomination

DECLARED = "2026-01-12 12:00"


def _declared(stack):
    """An election whose board result was declared on 12-01-2026 (seed 003's date):
    three contesting candidates, one rejected nomination."""
    society_id = stack.add_society()
    stack.set_clock("2025-09-20 10:00")
    election_id = stack.cea.create_election(payload=seed_order(
        society_id, seats={"general": 2, "women": 1, "sc_st": 1}, booths=BOOTHS))["id"]
    contesting = [_nomination(stack, election_id, "general", f"M000{i}", name=name)
                  for i, name in ((1, "Anil Patil"), (2, "Bharati Kulkarni"),
                                  (3, "Chandrakant Desai"))]
    _nomination(stack, election_id, "general", "M0009", status="rejected")
    form_id = str(uuid.uuid4())
    stack.sql("INSERT INTO result_form (id, election_id, form, version, body, status,"
              " submitted_by, submitted_at, decided_by, decided_at) VALUES (:f, :e, '19M', 1,"
              " '{\"elected\": []}', 'approved', 'ro-1', now(), 'cea-1', now())",
              f=form_id, e=election_id)
    stack.sql("INSERT INTO declaration (election_id, contest, form_id, elected, declared_by,"
              " declared_at) VALUES (:e, 'board', :f, '[]', 'ro-1',"
              " timestamptz '2026-01-12 12:00+05:30')", e=election_id, f=form_id)
    stack.sql("UPDATE election SET status = 'board_declared' WHERE id = :e", e=election_id)
    return election_id, contesting


def _account(election_id, nomination_id, **overrides):
    body = {
        "election_id": election_id, "nomination_id": nomination_id,
        "items": [
            {"spent_on": "2025-12-20", "nature": "Printing of pamphlets",
             "amount_paid": "12000.00", "paid_on": "2025-12-22",
             "payee": "Shivaji Printers, Kolhapur", "voucher_serial": 1},
            {"spent_on": "2025-12-28", "nature": "Travel to Belagavi booths",
             "amount_paid": "500.50", "paid_on": "2025-12-28",
             "payee": "Kolhapur Travels", "voucher_serial": 2},
            {"spent_on": "2026-01-02", "nature": "Hall for a members' meeting",
             "amount_outstanding": "3000", "payable_to": "Ram Mandir Trust, Kolhapur",
             "bill_serial": 7},
        ],
        "voucher_document_ids": [str(uuid.uuid4()), str(uuid.uuid4())],
    }
    body.update(overrides)
    return body


def test_an_account_lodged_in_time_then_its_inspection_notice(election_stack):
    stack = election_stack
    election_id, (anil, bharati, _) = _declared(stack)
    stack.set_clock("2026-01-20 11:00")
    ro = stack.ro(election_id)
    lodged = stack.aro(election_id).lodge_expense_account(
        payload=_account(election_id, anil))
    assert lodged["lodged"] and lodged["total_paid_paise"] == 12_500_50
    assert lodged["total_outstanding_paise"] == 3000_00
    assert lodged["total_text"] == "₹15,500.50"
    with pytest.raises(Conflict, match="already lodged"):
        ro.lodge_expense_account(payload=_account(election_id, anil))

    # 19X: within two days of the lodging (20-01 to 22-01), a time still to come
    stack.set_clock("2026-01-22 16:00")
    with pytest.raises(Forbidden):
        stack.aro(election_id).post_inspection_notice(payload={
            "election_id": election_id, "nomination_id": anil,
            "inspect_at": "2026-01-24T11:00:00+05:30", "place": "RO's office, Kolhapur"})
    notice = ro.post_inspection_notice(payload={
        "election_id": election_id, "nomination_id": anil,
        "inspect_at": "2026-01-24T11:00:00+05:30",
        "place": "RO's office, Kolhapur"})["inspection_notice"]
    assert "lodged on 20-01-2026" in notice["text"] and "24-01-2026 11:00 IST" in notice["text"]
    assert "निर्वाचन व्यय लेखा 20-01-2026 को" in notice["text_hi"]

    stack.set_clock("2026-01-21 10:00")
    ro.lodge_expense_account(payload=_account(election_id, bharati))
    stack.set_clock("2026-01-24 10:00")
    with pytest.raises(Conflict) as late:
        ro.post_inspection_notice(payload={
            "election_id": election_id, "nomination_id": bharati,
            "inspect_at": "2026-01-26T11:00:00+05:30", "place": "RO's office"})
    assert "21-01-2026 to 23-01-2026" in str(late.value)

    status = ro.expense_accounts(payload={"election_id": election_id})
    assert status["window"]["text"] == "12-01-2026 to 11-02-2026"
    assert [i["lodged"] for i in status["items"]] == [True, True, False]


def test_an_account_not_in_rule_19w_form_is_refused_and_nothing_is_kept(election_stack):
    stack = election_stack
    election_id, (anil, *_), = _declared(stack)
    stack.set_clock("2026-01-20 11:00")
    ro = stack.ro(election_id)
    bad = _account(election_id, anil)
    bad["items"][0].update(spent_on="2025-09-01", voucher_serial=3)   # before the order
    del bad["items"][1]["payee"]
    bad["items"][2].pop("payable_to")
    with pytest.raises(InvalidInput) as refused:
        ro.lodge_expense_account(payload=bad)
    fields = refused.value.fields
    assert "01-09-2025 is outside the account's period" in fields["items[0].spent_on"]
    assert "19W(1)(e)" in fields["items[1].payee"]
    assert "19W(1)(h)" in fields["items[2].payable_to"]
    assert "numbered 1 to 2" in fields["items.voucher_serial"]
    one_document = _account(election_id, anil, voucher_document_ids=[str(uuid.uuid4())])
    with pytest.raises(InvalidInput) as refused:
        ro.lodge_expense_account(payload=one_document)
    assert "2 voucher(s) are numbered but 1 document(s)" in \
        refused.value.fields["voucher_document_ids"]
    rejected = stack.sql("SELECT id FROM nomination WHERE election_id = :e AND status ="
                         " 'rejected'", e=election_id)[0].id
    with pytest.raises(Conflict, match="this nomination is rejected"):
        ro.lodge_expense_account(payload=_account(election_id, rejected))
    assert ro.expense_accounts(payload={"election_id": election_id})["items"][0][
        "lodged"] is False


def test_no_account_in_30_days_the_ro_reports_and_the_cea_disqualifies(election_stack):
    stack = election_stack
    election_id, (anil, bharati, chandrakant) = _declared(stack)
    ro = stack.ro(election_id)
    stack.set_clock("2026-02-11 15:00")    # the 30th day
    ro.lodge_expense_account(payload=_account(election_id, anil))
    with pytest.raises(Conflict) as early:
        ro.report_expense_defaulters(payload={"election_id": election_id,
                                              "note": "Two accounts not lodged."})
    assert "12-01-2026 to 11-02-2026" in str(early.value)

    stack.set_clock("2026-02-12 10:00")    # the 31st day
    with pytest.raises(Conflict) as late:
        ro.lodge_expense_account(payload=_account(election_id, bharati))
    assert late.value.details["code"] == "outside_window"
    assert "within 30 days of the declaration: 12-01-2026 to 11-02-2026; today is " \
           "12-02-2026" in str(late.value)
    report = ro.report_expense_defaulters(payload={
        "election_id": election_id, "note": "Notices sent on 05-02-2026; no reply."})
    assert sorted(report["report"]["defaulters"]) == sorted([bharati, chandrakant])

    with pytest.raises(Forbidden):
        ro.decide_expense_default(payload={
            "election_id": election_id, "nomination_id": bharati, "decision": "excuse",
            "reason": "Hospitalised."})
    with pytest.raises(Conflict, match="not in the RO's report"):
        stack.cea.decide_expense_default(payload={
            "election_id": election_id, "nomination_id": anil, "decision": "excuse",
            "reason": "Lodged in time."})
    with pytest.raises(InvalidInput):   # an order needs its reference and date
        stack.cea.decide_expense_default(payload={
            "election_id": election_id, "nomination_id": bharati,
            "decision": "disqualify", "reason": "No account, no reason given."})
    decided = stack.cea.decide_expense_default(payload={
        "election_id": election_id, "nomination_id": bharati, "decision": "disqualify",
        "reason": "No account lodged and no reason given.",
        "order_ref": "CEA-19V/7/2026", "order_date": "2026-03-02"})
    assert decided["default_decision"]["decision"] == "disqualify"
    stack.cea.decide_expense_default(payload={
        "election_id": election_id, "nomination_id": chandrakant, "decision": "excuse",
        "reason": "In hospital from 10-01-2026 to 20-02-2026; certificate filed."})
    with pytest.raises(Conflict, match="already decided"):
        stack.cea.decide_expense_default(payload={
            "election_id": election_id, "nomination_id": chandrakant,
            "decision": "excuse", "reason": "Again."})

    in_force = stack.cea.list_disqualifications(payload={"in_force_on": "2029-03-01",
                                                        "rule": "19V"})["items"]
    mine = [d for d in in_force if d["source_election_id"] == election_id]
    assert [(d["name"], d["until"]) for d in mine] == [("Bharati Kulkarni", "2029-03-02")]
    assert not [d for d in stack.cea.list_disqualifications(payload={
        "in_force_on": "2029-03-03", "rule": "19V"})["items"]
        if d["source_election_id"] == election_id]


RO_CLAIM = {
    "kind": "returning_officer", "name": "Amol Yedge", "designation": "District Collector",
    "service": "IAS", "pan": "abcpy1234k",
    "bank_account": {"account_number": "00112233445566", "bank_name": "State Bank of India",
                     "branch": "Kolhapur Main", "ifsc": "SBIN0000456"},
    "cancelled_cheque_document_id": str(uuid.uuid4()),
    "basic_pay": "93000", "days": 15,
}


def test_remuneration_within_the_ceas_caps(election_stack):
    stack = election_stack
    society_id = stack.add_society()
    stack.set_clock("2025-09-20 10:00")
    undeclared = stack.cea.create_election(payload=seed_order(
        society_id, booths=BOOTHS, seats={"general": 2, "women": 1, "sc_st": 1}))["id"]
    with pytest.raises(Conflict, match="once the board's result is declared"):
        stack.ro(undeclared).claim_remuneration(payload={**RO_CLAIM,
                                                         "election_id": undeclared})
    election_id, _ = _declared(stack)
    ro = stack.ro(election_id)
    stack.set_clock("2026-01-20 11:00")
    claim = ro.claim_remuneration(payload={**RO_CLAIM, "election_id": election_id})
    # 15 days of ₹93,000 drawn in September 2025 (30 days): ₹46,500
    assert claim["amount_paise"] == 46_500_00 and claim["amount_text"] == "₹46,500"
    assert claim["pan"] == "ABCPY1234K" and claim["status"] == "claimed"
    with pytest.raises(Conflict, match="already made"):
        ro.claim_remuneration(payload={**RO_CLAIM, "election_id": election_id})
    with pytest.raises(InvalidInput) as refused:
        ro.claim_remuneration(payload={**RO_CLAIM, "election_id": election_id,
                                       "kind": "assistant_returning_officer", "days": 16})
    assert "16 days is over 15" in refused.value.fields["days"]
    aro = ro.claim_remuneration(payload={**RO_CLAIM, "election_id": election_id,
                                         "kind": "assistant_returning_officer",
                                         "name": "S. Jadhav", "basic_pay": "56100",
                                         "days": 10})
    assert aro["amount_text"] == "₹18,700"
    polling = {**RO_CLAIM, "election_id": election_id, "kind": "polling_personnel",
               "name": "Polling officer, booth 1", "basic_pay": None, "days": None}
    with pytest.raises(InvalidInput) as refused:
        ro.claim_remuneration(payload={**polling, "amount": "1000.01"})
    assert "₹1,000.01 is over ₹1,000" in refused.value.fields["amount"]
    with pytest.raises(InvalidInput):
        ro.claim_remuneration(payload={**polling, "amount": "900", "pan": "ABC123"})
    ro.claim_remuneration(payload={**polling, "amount": "1000"})
    with pytest.raises(Forbidden):
        ro.decide_remuneration(payload={"election_id": election_id, "claim_id": claim["id"],
                                        "decision": "approve", "reason": "In order."})
    stack.cea.decide_remuneration(payload={"election_id": election_id,
                                           "claim_id": aro["id"], "decision": "reject",
                                           "reason": "The ARO's basic pay slip is missing."})
    listed = stack.cea.remuneration_claims(payload={"election_id": election_id})
    assert [c["status"] for c in listed["items"]] == ["claimed", "rejected", "claimed"]
    assert listed["total_text"] == "₹47,500"


def test_the_ro_checklist_reads_the_records_and_takes_what_only_the_ro_knows(election_stack):
    stack = election_stack
    election_id, _ = _declared(stack)
    ro = stack.ro(election_id)
    stack.sql("UPDATE programme_stage SET done_at = timestamptz '2025-11-24 11:05+05:30',"
              " done_by = 'ro-1' WHERE election_id = :e AND stage = 'provisional_list'",
              e=election_id)
    stack.set_clock("2025-12-10 12:00")
    before = {i["item"]: i for i in ro.ro_checklist(payload={"election_id": election_id})[
        "items"]}
    assert len(before) == 21
    assert before[4]["status"] == "done" and before[4]["done_on"] == "2025-11-24"
    assert before[4]["source"] == "platform"
    assert before[1]["status"] == "overdue" and before[1]["due_by"] == "2025-11-24"
    assert before[6]["status"] == "open"          # the nominations window is open
    assert before[16]["status"] == "done"           # Form 19M sent (in the records)
    assert before[20]["status"] == "pending"
    assert before[19]["title_hi"].startswith("पदाधिकारियों के निर्वाचन")

    after = ro.record_checklist_item(payload={
        "election_id": election_id, "item": 1, "done_on": "2025-11-20",
        "note": "Met the CEO at the head office, Kolhapur."})
    item1 = next(i for i in after["items"] if i["item"] == 1)
    assert item1["status"] == "done" and item1["note"].startswith("Met the CEO")
    with pytest.raises(Conflict, match="read from the platform's records"):
        ro.record_checklist_item(payload={"election_id": election_id, "item": 4,
                                          "done_on": "2025-11-24", "note": "Published."})
    with pytest.raises(InvalidInput):
        ro.record_checklist_item(payload={"election_id": election_id, "item": 2,
                                          "done_on": "2025-12-31", "note": "Tomorrow."})
    with pytest.raises(Forbidden):
        stack.aro(election_id).record_checklist_item(payload={
            "election_id": election_id, "item": 2, "done_on": "2025-11-21",
            "note": "Notice issued."})


def test_the_authoritys_spending_limit_names_the_accounts_over_it(election_stack):
    """Rule 19U(3): the CEA specifies the limit; an account over it is still lodged (it is
    the record of what was spent) and named with its excess; specified again, the newest
    limit stands."""
    stack = election_stack
    election_id, (anil, bharati, _) = _declared(stack)
    stack.set_clock("2026-01-20 11:00")
    ro = stack.ro(election_id)
    ro.lodge_expense_account(payload=_account(election_id, anil))        # ₹15,500.50
    ro.lodge_expense_account(payload=_account(election_id, bharati, items=[
        {"spent_on": "2025-12-20", "nature": "Printing of pamphlets", "amount_paid": "9000",
         "paid_on": "2025-12-21", "payee": "Shivaji Printers, Kolhapur",
         "voucher_serial": 1}], voucher_document_ids=[str(uuid.uuid4())]))
    limit = {"election_id": election_id, "amount": "15000", "order_ref": "CEA/EXP/7/2025",
             "order_date": "2025-09-19"}
    with pytest.raises(Forbidden):
        ro.set_expense_limit(payload=limit)
    with pytest.raises(InvalidInput):
        stack.cea.set_expense_limit(payload={**limit, "amount": "0"})
    with pytest.raises(InvalidInput, match="dated today or earlier"):
        stack.cea.set_expense_limit(payload={**limit, "order_date": "2026-02-01"})

    status = stack.cea.set_expense_limit(payload=limit)
    assert status["limit"] == {"limit_paise": 15_000_00, "limit_text": "₹15,000",
                               "order_ref": "CEA/EXP/7/2025", "order_date": "2025-09-19"}
    assert status["over_limit"] == [anil]
    by_id = {i["nomination_id"]: i for i in status["items"]}
    assert by_id[anil]["over_limit_paise"] == 500_50
    assert by_id[bharati]["over_limit_paise"] is None

    # A higher limit specified later stands: no account is over it.
    raised = stack.cea.set_expense_limit(payload={**limit, "amount": "20000",
                                                   "order_ref": "CEA/EXP/9/2025"})
    assert raised["over_limit"] == [] and raised["limit"]["order_ref"] == "CEA/EXP/9/2025"
    assert ro.expense_accounts(payload={"election_id": election_id})["limit"][
        "limit_text"] == "₹20,000"
