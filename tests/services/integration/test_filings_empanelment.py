"""Auditors' empanelment (seed 001): an auditor applies, the office keeping the panel
queries, the auditor replies, the office approves (empanelled to 31 March) or rejects;
audits allotted to empanelled auditors with their limits (area served, rotation, expired
or suspended empanelments, one allotment a year, reallotment with reasons); and the audit
reminders of the six months after a financial year (seed 000), each sent once.

Dates are the service's today (India): the year applied for is the one whose window
holds today."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest

from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound, OutsideWindow
from services.common.india import INDIA
from services.filings.audits.empanelment import window, year_of
from services.filings.audits.status import year_end, year_name

TODAY = datetime.now(UTC).astimezone(INDIA).date()
_THIS = year_of(TODAY)
# Applications for a year are taken from 1 January before it to 31 December within it.
YEAR = _THIS if window(_THIS)[0] <= TODAY <= window(_THIS)[1] else \
    year_name(year_end(_THIS).year + 1)
NEXT = year_name(year_end(YEAR).year + 1)
# The last financial year that has ended, and those before it.
ENDED = year_name(TODAY.year if TODAY > date(TODAY.year, 3, 31) else TODAY.year - 1)
_numbers = itertools.count(100001)


def _before(year: str, n: int) -> str:
    return year_name(year_end(year).year - n)


def application(**changes) -> dict:
    return {"financial_year": YEAR, "office_id": "mp", "name": "Anita Sharma",
            "membership_number": str(next(_numbers)), "email": "anita@example.in",
            "phone": "9876543210", "qualifications": ["FCA", "DISA"],
            "certificate_document_ids": ["doc-cop-1"], "states": ["Madhya Pradesh"],
            **changes}


def auditor(stack, actor_id: str):
    return stack.as_role("auditor", "society:none", actor_id)


def empanel(stack, actor_id: str, **changes) -> dict:
    found = auditor(stack, actor_id).apply_for_empanelment(payload=application(**changes))
    approved = stack.staff("registrar", office="mp").approve_empanelment(
        payload={"empanelment_id": found["id"]})
    if date.fromisoformat(approved["valid_from"]) > TODAY:  # applied in January-March
        stack.sql("UPDATE auditor_empanelment SET valid_from = :d WHERE id = :i",
                  d=TODAY, i=found["id"])
    return approved


def rule_of(error) -> str:
    return error.value.details["rule"]


def test_an_auditor_is_empanelled_after_the_offices_query_is_answered(filings_stack):
    ca = auditor(filings_stack, "ca-anita")
    state = filings_stack.staff("dealing_officer", office="mp")
    national = filings_stack.staff("registrar")
    applied = ca.apply_for_empanelment(payload=application(
        firm_name="Sharma & Associates", frn="012345C", districts=["Bhopal", "Sehore"]))
    assert (applied["status"], applied["applicant_id"], applied["renewal_of"]) == (
        "submitted", "ca-anita", None)
    # the state office keeps the panel, the national one is above it; a district office
    # below it and another state's do not see it
    assert [i["id"] for i in state.list_empanelments(payload={})["items"]] == [applied["id"]]
    assert national.get_empanelment(payload={"empanelment_id": applied["id"]})["id"]
    for other in ("mp-bhopal", "wb"):
        with pytest.raises(NotFound):
            filings_stack.staff("registrar", office=other).get_empanelment(
                payload={"empanelment_id": applied["id"]})
    with pytest.raises(NotFound):
        auditor(filings_stack, "ca-other").get_empanelment(
            payload={"empanelment_id": applied["id"]})
    queried = state.query_empanelment(payload={
        "empanelment_id": applied["id"], "text": "Attach the certificate of practice."})
    assert queried["status"] == "queried"
    with pytest.raises(Conflict) as refused:
        state.approve_empanelment(payload={"empanelment_id": applied["id"]})
    assert rule_of(refused) == "empanelment_status"
    with pytest.raises(Forbidden) as refused:
        state.reply_empanelment(payload={"empanelment_id": applied["id"], "text": "Here."})
    assert rule_of(refused) == "applicant_replies"
    replied = ca.reply_empanelment(payload={"empanelment_id": applied["id"],
                                            "text": "Attached.", "document_ids": ["doc-cop-2"]})
    assert replied["status"] == "submitted"
    assert replied["certificate_document_ids"] == ["doc-cop-1", "doc-cop-2"]
    with pytest.raises(Forbidden) as refused:
        ca.approve_empanelment(payload={"empanelment_id": applied["id"]})
    assert rule_of(refused) == "office_scrutinises"
    approved = state.approve_empanelment(payload={"empanelment_id": applied["id"]})
    assert approved["status"] == "empanelled"
    assert approved["valid_to"] == year_end(YEAR).isoformat()
    assert [s["step"] for s in approved["steps"]] == ["applied", "queried", "replied",
                                                      "approved"]
    assert [i["id"] for i in ca.list_empanelments(payload={})["items"]] == [applied["id"]]
    # one application per membership number and year
    with pytest.raises(Conflict) as refused:
        ca.apply_for_empanelment(payload=application(
            membership_number=applied["membership_number"]))
    assert rule_of(refused) == "one_application_per_year"
    # renewal: the next year's window opens on 1 January
    if TODAY < window(NEXT)[0]:
        with pytest.raises(OutsideWindow) as refused:
            ca.apply_for_empanelment(payload=application(
                financial_year=NEXT, membership_number=applied["membership_number"]))
        assert rule_of(refused) == "empanelment_window"
    events = filings_stack.sql("SELECT payload FROM outbox_message "
                               "WHERE event_type = 'auditor_empanelled'")
    assert [(e.payload["empanelment_id"], e.payload["renewal"]) for e in events] == [
        (applied["id"], False)]
    trail = filings_stack.sql("SELECT action FROM audit_entry WHERE entity_id = :i "
                              "ORDER BY id", i=applied["id"])
    assert [t.action for t in trail] == ["empanelment_applied", "empanelment_queried",
                                         "empanelment_replied", "empanelment_approved"]
    # the query goes to the applicant too (notify posts it to their mailbox)
    [asked] = filings_stack.sql("SELECT payload FROM outbox_message "
                                "WHERE event_type = 'empanelment_step'")
    assert (asked.payload["step"], asked.payload["applicant_id"], asked.payload["text"]) == (
        "queried", "ca-anita", "Attach the certificate of practice.")


def test_the_empanelment_event_names_the_panel_office_when_filings_knows_it(filings_stack):
    # filings knows an office's name once the due-date scan has read the registry's
    # offices (office_roster); before, the event carries none
    unknown = empanel(filings_stack, "ca-unknown")
    filings_stack.sql("INSERT INTO office_roster (office_id, name, level, state, read_at) "
                      "VALUES ('mp', 'Registrar of Co-operative Societies, Madhya Pradesh', "
                      "'state', 'Madhya Pradesh', now())")
    known = empanel(filings_stack, "ca-known")
    events = {e.payload["empanelment_id"]: e.payload for e in filings_stack.sql(
        "SELECT payload FROM outbox_message WHERE event_type = 'auditor_empanelled'")}
    assert events[unknown["id"]]["office_name"] is None
    assert (events[known["id"]]["office_id"], events[known["id"]]["office_name"]) == (
        "mp", "Registrar of Co-operative Societies, Madhya Pradesh")


def test_an_application_is_refused_or_rejected_with_its_rule(filings_stack):
    with pytest.raises(Forbidden) as refused:
        filings_stack.as_role("citizen").apply_for_empanelment(payload=application())
    assert rule_of(refused) == "auditor_applies"
    ca = auditor(filings_stack, "ca-bad")
    with pytest.raises(InvalidInput) as bad:
        ca.apply_for_empanelment(payload=application(membership_number="12AB45",
                                                     frn="12345"))
    assert {"membership_number", "frn"} <= set(bad.value.fields)
    with pytest.raises(InvalidInput) as bad:
        ca.apply_for_empanelment(payload=application(frn="012345N"))
    assert "firm_name" in bad.value.fields
    with pytest.raises(NotFound):
        ca.apply_for_empanelment(payload=application(office_id="nowhere"))
    applied = ca.apply_for_empanelment(payload=application())
    rejected = filings_stack.staff("registrar", office="mp").reject_empanelment(
        payload={"empanelment_id": applied["id"], "reasons": "Not in practice."})
    assert (rejected["status"], rejected["steps"][-1]["text"]) == ("rejected",
                                                                   "Not in practice.")
    assert filings_stack.sql("SELECT 1 FROM outbox_message WHERE event_type = "
                             "'auditor_empanelled'") == []
    steps = filings_stack.sql("SELECT payload FROM outbox_message WHERE event_type = "
                              "'empanelment_step'")
    assert [(e.payload["step"], e.payload["text"]) for e in steps] == [
        ("rejected", "Not in practice.")]


def test_audits_are_allotted_within_the_limits_and_reallotted_with_reasons(filings_stack):
    society = filings_stack.register("Berasia Samiti", registered_on="2018-06-01")
    office = filings_stack.staff("dealing_officer", office="mp-bhopal")
    a = empanel(filings_stack, "ca-a")
    b = empanel(filings_stack, "ca-b", districts=["Indore"])
    c = empanel(filings_stack, "ca-c", states=["West Bengal"])
    d = empanel(filings_stack, "ca-d", name="Deepak Jain", firm_name="Jain & Co.",
                frn="301003C")
    e = empanel(filings_stack, "ca-e", name="Esha Rao")

    def allot(who, year=ENDED, reasons=None, on=society):
        return office.allot_audit(payload={"society_id": on, "financial_year": year,
                                           "empanelment_id": who["id"], "reasons": reasons})

    for outside in (b, c):
        with pytest.raises(Conflict) as refused:
            allot(outside)
        assert rule_of(refused) == "serves_area"
    with pytest.raises(InvalidInput):
        allot(a, year=year_of(TODAY))  # not ended yet
    for n in (3, 2, 1):
        allot(a, year=_before(ENDED, n))
    with pytest.raises(Conflict) as refused:
        allot(a)
    assert rule_of(refused) == "rotation_limit"
    assert refused.value.details["limit"] == 3
    assert "लगातार 3 वर्षों" in refused.value.details["message_hi"]
    first = allot(d)
    assert (first["auditor_name"], first["status"]) == ("Jain & Co.", "allotted")
    with pytest.raises(Conflict) as refused:
        allot(e)
    assert rule_of(refused) == "one_allotment_per_year"
    with pytest.raises(Conflict) as refused:
        allot(a, reasons="Jain & Co. declined the audit.")
    assert rule_of(refused) == "rotation_limit"
    second = allot(e, reasons="Jain & Co. declined the audit.")
    history = filings_stack.sql("SELECT id, status, replaced_reasons FROM audit_allotment "
                                "WHERE society_id = :s AND financial_year = :y ORDER BY "
                                "allotted_at", s=society, y=ENDED)
    assert [(h.id, h.status) for h in history] == [(first["id"], "replaced"),
                                                   (second["id"], "allotted")]
    assert history[0].replaced_reasons == "Jain & Co. declined the audit."
    # each auditor sees their own allotments; the office those under it
    assert auditor(filings_stack, "ca-d").list_allotments(payload={})["items"] == []
    assert [i["id"] for i in auditor(filings_stack, "ca-d").list_allotments(
        payload={"include_replaced": True})["items"]] == [first["id"]]
    assert [i["id"] for i in auditor(filings_stack, "ca-e").list_allotments(
        payload={})["items"]] == [second["id"]]
    assert len(office.list_allotments(payload={"society_id": society})["items"]) == 4
    assert filings_stack.staff("registrar", office="wb").list_allotments(
        payload={})["items"] == []
    with pytest.raises(NotFound):
        filings_stack.staff("registrar", office="wb").allot_audit(payload={
            "society_id": society, "financial_year": ENDED, "empanelment_id": e["id"]})
    # recording the audit notes the allotment; the year is then closed to allotment
    recorded = office.record_audit(payload={
        "society_id": society, "financial_year": ENDED, "audited_on": TODAY.isoformat(),
        "auditor_name": "Esha Rao"})
    assert recorded["allotment_id"] == second["id"]
    assert auditor(filings_stack, "ca-e").list_allotments(
        payload={})["items"][0]["status"] == "audited"
    with pytest.raises(Conflict) as refused:
        allot(d, reasons="Again.")
    assert rule_of(refused) == "already_audited"
    # suspended and expired empanelments receive nothing
    other = filings_stack.register("Sehore Samiti", registered_on="2018-06-01")
    filings_stack.staff("registrar", office="mp").suspend_empanelment(
        payload={"empanelment_id": e["id"], "reasons": "Under disciplinary inquiry."})
    with pytest.raises(Conflict) as refused:
        allot(e, on=other)
    assert rule_of(refused) == "empanelment_suspended"
    filings_stack.sql("UPDATE auditor_empanelment SET valid_to = :d WHERE id = :i",
                      d=TODAY - timedelta(days=1), i=d["id"])
    with pytest.raises(Conflict) as refused:
        allot(d, on=other)
    assert rule_of(refused) == "empanelment_expired"
    events = filings_stack.sql("SELECT payload FROM outbox_message "
                               "WHERE event_type = 'audit_allotted' ORDER BY id")
    assert events[-1].payload["replaces"] == first["id"]
    # the first allotment of the year to a firm carries the firm's name and no auditor
    # replaced; the reallotment names the auditor (firm) it replaces
    allotted_first, reallotted = (events[-2].payload, events[-1].payload)
    assert (allotted_first["allotment_id"], allotted_first["auditor_name"],
            allotted_first["auditor_firm_name"], allotted_first["replaces"],
            allotted_first["replaced_auditor_id"],
            allotted_first["replaced_auditor_name"]) == (
        first["id"], "Jain & Co.", "Jain & Co.", None, None, None)
    assert (reallotted["allotment_id"], reallotted["auditor_id"],
            reallotted["auditor_name"], reallotted["auditor_firm_name"],
            reallotted["replaced_auditor_id"], reallotted["replaced_auditor_name"]) == (
        second["id"], "ca-e", "Esha Rao", None, "ca-d", "Jain & Co.")
    assert {t.action for t in filings_stack.sql(
        "SELECT action FROM audit_entry WHERE entity_id = :s", s=society)} >= {
        "audit_allotted", "audit_reallotted", "audit_recorded"}


def test_audit_reminders_go_out_monthly_in_the_six_months_each_once(filings_stack):
    year = "2025-26"
    waiting = filings_stack.register("Waiting Samiti", registered_on="2020-06-01")
    audited = filings_stack.register("Audited Samiti", registered_on="2020-06-01")
    allotted = filings_stack.register("Allotted Samiti", registered_on="2020-06-01")
    filings_stack.register("New Samiti", registered_on="2026-05-01")
    office = filings_stack.staff("dealing_officer", office="mp-bhopal")
    office.record_audit(payload={"society_id": audited, "financial_year": year,
                                 "audited_on": "2026-04-02", "auditor_name": "Rao & Co."})
    ca = empanel(filings_stack, "ca-r")
    office.allot_audit(payload={"society_id": allotted, "financial_year": year,
                                "empanelment_id": ca["id"]})
    scan = filings_stack.system.scan_audit_reminders
    assert scan(payload={"as_on": "2026-03-31"})["events"] == 0
    assert scan(payload={"as_on": "2026-04-05"})["events"] == 1
    assert scan(payload={"as_on": "2026-04-25"})["events"] == 0
    assert scan(payload={"as_on": "2026-05-01"})["events"] == 1
    assert scan(payload={"as_on": "2026-10-01"})["events"] == 0
    sent = filings_stack.sql("SELECT society_id, financial_year, number FROM audit_reminder "
                             "ORDER BY number")
    assert [(s.society_id, s.financial_year, s.number) for s in sent] == [
        (waiting, year, 1), (waiting, year, 2)]
    events = filings_stack.sql("SELECT payload FROM outbox_message "
                               "WHERE event_type = 'audit_reminder' ORDER BY id")
    assert events[0].payload == {"society_id": waiting, "society_name": "Waiting Samiti",
                                 "financial_year": year, "due_on": "2026-09-30",
                                 "number": 1, "of": 6}
    with pytest.raises(Forbidden):
        office.scan_audit_reminders(payload={})


def test_the_windows_and_the_reminder_months_by_date():
    from services.filings.audits.reminders import due_now

    assert window("2027-28") == (date(2027, 1, 1), date(2027, 12, 31))
    assert (year_of(date(2027, 3, 31)), year_of(date(2027, 4, 1))) == ("2026-27", "2027-28")
    assert [due_now(date(2026, m, 15)) for m in (3, 4, 9, 10)] == [
        None, ("2025-26", 1), ("2025-26", 6), None]
