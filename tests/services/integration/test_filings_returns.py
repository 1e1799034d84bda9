"""Returns through their lifecycle on the real broker and database: a society's annual
return saved in parts and submitted with an acknowledgement, returned for correction and
resubmitted (the earlier submission kept), accepted; the West Bengal liquidation return
of seed 002 refused with every broken rule named; who may file and decide; a new form
published as data alone; a late return marked."""

from __future__ import annotations

import copy

import pytest

from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.filings.forms.catalogue import shipped
from tests.services.unit.test_filings_forms import _lqr_values

ANNUAL = {
    "activities": "Credit to 1,200 members; a godown at Berasia.",
    "members_opening": 1180, "members_admitted": 40, "members_ceased": 20,
    "authorised_capital": "5000000", "paid_up": "3250000", "net_profit": "-125000",
    "agm_date": "2025-09-12", "board_election_date": "2023-01-15",
}
DOCUMENTS = {"audited_accounts": "doc-accounts-2024-25", "balance_sheet": "doc-bs-2024-25"}


def _start(stack, society_id, period_end="2025-03-31", **values):
    return stack.representative(society_id).start_filing(payload={
        "form_code": "MSCS/ANNUAL", "filer_id": society_id, "period_end": period_end,
        "values": values})


def test_a_draft_is_resumed_submitted_returned_resubmitted_and_accepted(filings_stack):
    society = filings_stack.add_society()
    rep = filings_stack.representative(society)
    draft = _start(filings_stack, society, **ANNUAL)
    assert (draft["status"], draft["form_version"], draft["jurisdiction"]) == (
        "draft", 1, "national")          # Madhya Pradesh has none: the national form
    assert draft["due_on"] == "2025-09-30"

    with pytest.raises(InvalidInput) as refused:
        rep.submit_filing(payload={"filing_id": draft["id"]})
    assert {"values.audited_accounts", "values.balance_sheet"} <= set(refused.value.fields)
    assert "आवश्यक" in str(refused.value.details["failures"])

    rep.save_draft(payload={"filing_id": draft["id"], "values": DOCUMENTS})
    first = rep.submit_filing(payload={"filing_id": draft["id"]})
    assert first["status"] == "submitted" and first["ack_number"].startswith("ACK-")
    assert first["values"]["members_closing"] == 1200
    assert first["late"] is True and first["days_late"] > 0   # filed after 30-09-2025

    registrar = filings_stack.staff("registrar", office="mp")
    returned = registrar.return_filing(payload={
        "filing_id": draft["id"], "remarks": "Attach the auditor's signed balance sheet."})
    assert returned["status"] == "returned"
    assert returned["remarks"].startswith("Attach")

    rep.save_draft(payload={"filing_id": draft["id"],
                            "values": {"balance_sheet": "doc-bs-2024-25-signed"}})
    second = rep.submit_filing(payload={"filing_id": draft["id"]})
    assert second["ack_number"] != first["ack_number"]
    assert [s["number"] for s in second["submissions"]] == [1, 2]
    assert second["submissions"][0]["outcome"] == "returned"
    assert second["submissions"][0]["ack_number"] == first["ack_number"]

    accepted = registrar.accept_filing(payload={"filing_id": draft["id"]})
    assert accepted["status"] == "accepted"
    with pytest.raises(Conflict):
        rep.save_draft(payload={"filing_id": draft["id"], "values": {"paid_up": "1"}})
    events = filings_stack.sql("SELECT event_type FROM outbox_message ORDER BY 1")
    assert {e.event_type for e in events} >= {"filing_submitted", "filing_decided"}


def test_another_societys_representative_and_a_far_office_cannot_reach_it(filings_stack):
    mine, theirs = filings_stack.add_society(), filings_stack.add_society("Other Samiti")
    with pytest.raises(NotFound):
        filings_stack.representative(theirs).start_filing(payload={
            "form_code": "MSCS/ANNUAL", "filer_id": mine, "period_end": "2025-03-31"})
    draft = _start(filings_stack, mine, **ANNUAL, **DOCUMENTS)
    with pytest.raises(NotFound):
        filings_stack.representative(theirs).get_filing(payload={"filing_id": draft["id"]})
    filings_stack.representative(mine).submit_filing(payload={"filing_id": draft["id"]})
    with pytest.raises(NotFound):      # West Bengal's staff do not reach Bhopal
        filings_stack.staff("registrar", office="wb").accept_filing(
            payload={"filing_id": draft["id"]})
    with pytest.raises(Forbidden):     # the society cannot accept its own return
        filings_stack.representative(mine).accept_filing(payload={"filing_id": draft["id"]})
    page = filings_stack.staff("dealing_officer", office="mp-bhopal").list_filings(
        payload={"status": "submitted"})
    assert [item["id"] for item in page["items"]] == [draft["id"]]
    assert filings_stack.staff("dealing_officer", office="wb").list_filings(
        payload={})["items"] == []
    # The state office above Bhopal reaches it; ids that only look alike do not (a
    # prefix, a LIKE wildcard); an unscoped registrar reaches every filer.
    assert [i["id"] for i in filings_stack.staff("registrar", office="mp").list_filings(
        payload={"form_code": "MSCS/ANNUAL"})["items"]] == [draft["id"]]
    for lookalike in ("mp-b", "mp_bhopal", "m_"):
        assert filings_stack.staff("registrar", office=lookalike).list_filings(
            payload={})["items"] == [], lookalike
    assert draft["id"] in [i["id"] for i in filings_stack.staff("registrar").list_filings(
        payload={"filer_id": mine})["items"]]


def test_the_liquidation_return_is_refused_listing_every_broken_rule(filings_stack):
    officer = filings_stack.staff("dealing_officer", office="wb-kolkata")
    draft = officer.start_filing(payload={
        "form_code": "RCS/LQR/01", "filer_kind": "office", "filer_id": "wb-kolkata",
        "period_end": "2025-09-30",
        "values": _lqr_values(pending_above_10=30, by_type={"pacs": {"total": 20}})})
    assert (draft["jurisdiction"], draft["due_on"]) == ("West Bengal", "2025-10-15")
    with pytest.raises(InvalidInput) as refused:
        officer.submit_filing(payload={"filing_id": draft["id"]})
    failures = {f["rule"]: f for f in refused.value.details["failures"]}
    assert set(failures) == {"pending_within_closing", "annexure_1_total"}
    assert failures["annexure_1_total"]["figures"] == {"left": "20", "right": "42",
                                                       "operator": "=="}
    assert filings_stack.sql("SELECT status FROM filing WHERE id = :i",
                             i=draft["id"])[0].status == "draft"
    with pytest.raises(InvalidInput):          # another office's return: refused by type
        officer.start_filing(payload={
            "form_code": "RCS/LQR/01", "filer_kind": "office", "filer_id": "wb-kolkata",
            "period_end": "2025-06-30"})


def test_the_next_return_opens_where_the_last_one_closed(filings_stack):
    officer = filings_stack.staff("dealing_officer", office="wb-kolkata")

    def file(period_end, values):
        draft = officer.start_filing(payload={
            "form_code": "RCS/LQR/01", "filer_kind": "office", "filer_id": "wb-kolkata",
            "period_end": period_end, "values": values})
        return draft, lambda: officer.submit_filing(payload={"filing_id": draft["id"]})

    _, submit = file("2025-03-31", _lqr_values())
    submit()
    _, submit = file("2025-09-30", _lqr_values(opening=41, closed=4))   # 42 closed last time
    with pytest.raises(InvalidInput) as refused:
        submit()
    continuity = [f for f in refused.value.details["failures"] if f["rule"] == "continuity"]
    assert continuity[0]["field"] == "opening"
    assert continuity[0]["figures"]["right"] == "42"


def test_a_new_form_is_published_as_data_and_versions_do_not_move_old_filings(filings_stack):
    admin = filings_stack.as_role("administrator")
    raw = copy.deepcopy(next(r for r in shipped() if r["code"] == "MSCS/ANNUAL"))
    raw.update(code="MSCS/HALF", title={"en": "Half-yearly statement",
                                         "hi": "अर्धवार्षिक विवरण"})
    raw["period"] = {"ends": ["03-31", "09-30"]}
    assert admin.publish_form(payload={"definition": raw})["version"] == 1
    society = filings_stack.add_society()
    old = filings_stack.representative(society).start_filing(payload={
        "form_code": "MSCS/HALF", "filer_id": society, "period_end": "2025-09-30"})

    v2 = copy.deepcopy(raw)
    v2["version"] = 2
    v2["rules"].append({"id": "admitted_cap", "check": "members_admitted <= 100",
                        "message": {"en": "At most 100 admissions", "hi": "अधिकतम 100 प्रवेश"}})
    admin.publish_form(payload={"definition": v2})
    assert filings_stack.system.get_filing(payload={"filing_id": old["id"]})[
        "form_version"] == 1

    bad = copy.deepcopy(v2)
    bad["version"] = 3
    bad["rules"].append({"id": "nonsense", "check": "members_admited <= 1",
                         "message": {"en": "x", "hi": "x"}})
    with pytest.raises(InvalidInput) as refused:
        admin.publish_form(payload={"definition": bad})
    assert "members_admited" in str(refused.value.fields)
    with pytest.raises(Forbidden):
        filings_stack.representative(society).publish_form(payload={"definition": bad})


def test_the_liquidation_return_starts_with_the_registrys_counts(filings_stack):
    society = filings_stack.add_society("Memari Rice Mill Co-op", office_id="wb-kolkata",
                                        state="West Bengal")
    registrar = filings_stack.rpc_proxy(actor_id="reg-1", actor_role="registrar",
                                        request_id="r1").registry
    registrar.order_liquidation(payload={
        "society_id": society, "order_ref": "RCS/WB/LQ/12/2025", "ordered_on": "2025-05-02",
        "liquidator_name": "S. Banerjee", "reason": "Defunct for three years"})
    officer = filings_stack.staff("dealing_officer", office="wb-kolkata")
    draft = officer.start_filing(payload={
        "form_code": "RCS/LQR/01", "filer_kind": "office", "filer_id": "wb-kolkata",
        "period_end": "2025-09-30", "values": {"range_name": "Kolkata"}})
    values = draft["values"]
    assert (values["opening"], values["placed"], values["closed"]) == (0, 1, 0)
    assert values["by_type"] == {"others": {"total": 1}}
    assert values["range_name"] == "Kolkata"
