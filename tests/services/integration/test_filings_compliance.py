"""Due dates and compliance: a registered society joins the roster, its calendar shows
the annual return it owes (overdue first), reminders go out once each, and the office's
compliance view says who filed, who is late and by how much."""

from __future__ import annotations

import time

import pytest

from services.common.errors import Forbidden, NotFound
from tests.services.integration.test_filings_returns import ANNUAL, DOCUMENTS


def test_a_societys_calendar_names_the_return_it_owes(filings_stack):
    society = filings_stack.register(registered_on="2024-01-10")
    calendar = filings_stack.representative(society).society_calendar(
        payload={"society_id": society, "as_on": "2025-09-20"})
    annual = next(f for f in calendar["forms"] if f["form_code"] == "MSCS/ANNUAL")
    # the first year ended after registration: 31-03-2024, due 30-09-2024, overdue
    assert (annual["next_period_end"], annual["next_due_on"]) == ("2024-03-31", "2024-09-30")
    assert annual["overdue"] is True and annual["days_overdue"] == 355
    # West Bengal's office returns are not a Madhya Pradesh society's
    assert {f["form_code"] for f in calendar["forms"]} == {"MSCS/ANNUAL"}
    with pytest.raises(NotFound):
        filings_stack.representative("someone-else").society_calendar(
            payload={"society_id": society})


def test_reminders_go_out_once_and_stop_when_the_return_is_filed(filings_stack):
    late, prompt = filings_stack.register("Late Samiti"), filings_stack.register("Prompt")
    rep = filings_stack.representative(prompt)
    draft = rep.start_filing(payload={"form_code": "MSCS/ANNUAL", "filer_id": prompt,
                                      "period_end": "2025-03-31",
                                      "values": {**ANNUAL, **DOCUMENTS}})
    rep.submit_filing(payload={"filing_id": draft["id"]})
    first = filings_stack.system.scan_due_dates(payload={"as_on": "2025-09-20"})
    again = filings_stack.system.scan_due_dates(payload={"as_on": "2025-09-21"})
    assert again["events"] == 0
    sent = filings_stack.sql("SELECT society_id, period_end::text AS p, kind "
                             "FROM due_reminder ORDER BY 1, 2")
    # the late society: overdue for the years to 2024, due soon for 2025; the prompt one
    # overdue only for years it has not filed
    assert ("2025-03-31", "due_soon") in {(r.p, r.kind) for r in sent
                                           if r.society_id == late}
    assert ("2025-03-31", "due_soon") not in {(r.p, r.kind) for r in sent
                                               if r.society_id == prompt}
    assert first["events"] == len(sent)
    types = {r.event_type for r in filings_stack.sql("SELECT event_type FROM outbox_message")}
    assert {"filing_due_soon", "filing_overdue"} <= types
    with pytest.raises(Forbidden):
        rep.scan_due_dates(payload={})


def test_the_compliance_view_says_who_filed_who_is_late_and_how_late(filings_stack):
    on_time, late, missing = (filings_stack.register(n) for n in ("A Samiti", "B Samiti",
                                                                  "C Samiti"))
    for society in (on_time, late):
        rep = filings_stack.representative(society)
        draft = rep.start_filing(payload={"form_code": "MSCS/ANNUAL", "filer_id": society,
                                          "period_end": "2025-03-31",
                                          "values": {**ANNUAL, **DOCUMENTS}})
        rep.submit_filing(payload={"filing_id": draft["id"]})
    # Filed on time (today is past the due date): as stored, in the return and in the
    # compliance view's copy of it.
    filings_stack.sql("UPDATE filing SET days_late = 0, late = false WHERE filer_id = :i",
                      i=on_time)
    filings_stack.sql("UPDATE filed_return SET days_late = 0 WHERE society_id = :i",
                      i=on_time)
    view = filings_stack.staff("dealing_officer", office="mp").compliance_view(payload={
        "form_code": "MSCS/ANNUAL", "period_end": "2025-03-31", "as_on": "2025-12-01"})
    by_society = {i["society_id"]: i for i in view["items"]}
    assert by_society[on_time]["status"] == "filed_on_time"
    assert by_society[late]["status"] == "filed_late"
    assert by_society[late]["ack_number"].startswith("ACK-")
    assert (by_society[missing]["status"], by_society[missing]["days_late"]) == ("overdue", 62)
    assert view["summary"] == {"filed_on_time": 1, "filed_late": 1, "overdue": 1,
                               "not_yet_due": 0}
    overdue = filings_stack.staff("registrar").compliance_view(payload={
        "form_code": "MSCS/ANNUAL", "period_end": "2025-03-31", "status": "overdue",
        "as_on": "2025-12-01", "limit": 1})
    assert [i["society_id"] for i in overdue["items"]] == [missing]
    far = filings_stack.staff("registrar", office="wb").compliance_view(payload={
        "form_code": "MSCS/ANNUAL", "period_end": "2025-03-31"})
    assert far["items"] == [] and far["summary"]["overdue"] == 0
    with pytest.raises(Forbidden):
        filings_stack.representative(on_time).compliance_view(payload={
            "form_code": "MSCS/ANNUAL"})


def test_good_standing_changes_when_the_return_lands_and_the_audit_is_recorded(
        filings_stack):
    society = filings_stack.register("Standing Samiti", registered_on="2024-06-01")
    rep = filings_stack.representative(society)
    before = rep.good_standing(payload={"society_id": society, "as_on": "2025-12-01"})
    assert before["good_standing"] is False
    assert [o["form_code"] for o in before["overdue_returns"]] == ["MSCS/ANNUAL"]
    assert before["audit"] == "pending_1_3"
    draft = rep.start_filing(payload={"form_code": "MSCS/ANNUAL", "filer_id": society,
                                      "period_end": "2025-03-31",
                                      "values": {**ANNUAL, **DOCUMENTS}})
    rep.submit_filing(payload={"filing_id": draft["id"]})
    filings_stack.staff("registrar").record_audit(payload={
        "society_id": society, "financial_year": "2024-25", "audited_on": "2025-08-01",
        "auditor_name": "M/s Rao & Associates"})
    after = rep.good_standing(payload={"society_id": society, "as_on": "2025-12-01"})
    assert (after["good_standing"], after["reasons"]) == (True, [])


def _eventually(check, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            assert found, "the registry never showed the announced standing"
            return found
        time.sleep(0.1)


def _announced(stack, society_id: str) -> list[dict]:
    """The ``society_standing_changed`` events in the outbox for one society, in order."""
    rows = stack.sql("SELECT payload FROM outbox_message "
                     "WHERE event_type = 'society_standing_changed' ORDER BY id")
    return [r.payload for r in rows if r.payload["society_id"] == society_id]


def test_the_standing_is_announced_when_it_changes_and_not_when_it_does_not(filings_stack):
    # Registered in June 2024: by today the annual returns for 2025 and 2026 are overdue.
    society = filings_stack.register("Ghoshit Samiti", registered_on="2024-06-01")
    rep = filings_stack.representative(society)
    first = _announced(filings_stack, society)
    assert len(first) == 1 and first[0]["good_standing"] is False
    assert first[0]["reasons"] == rep.good_standing(payload={"society_id": society})[
        "reasons"]
    assert any("MSCS/ANNUAL for the period ended 2025-03-31" in r for r in first[0]["reasons"])

    # A draft changes nothing; the return filed changes what the standing rests on.
    draft = rep.start_filing(payload={"form_code": "MSCS/ANNUAL", "filer_id": society,
                                      "period_end": "2025-03-31",
                                      "values": {**ANNUAL, **DOCUMENTS}})
    assert len(_announced(filings_stack, society)) == 1
    rep.submit_filing(payload={"filing_id": draft["id"]})
    after = _announced(filings_stack, society)
    assert len(after) == 2
    assert not any("2025-03-31" in r for r in after[1]["reasons"])
    assert after[1]["reasons"] == rep.good_standing(payload={"society_id": society})[
        "reasons"]

    # The scan sends the overdue reminders for the 2026 return, which the standing
    # already rests on: nothing new to announce, however often it runs.
    assert filings_stack.system.scan_due_dates(payload={})["events"] > 0
    filings_stack.system.scan_due_dates(payload={})
    assert len(_announced(filings_stack, society)) == 2

    # The registry shows the newest standing in the directory and on the public page.
    registry = filings_stack.rpc_proxy().registry
    page = _eventually(lambda: (lambda p: p if p.get("standing") and p["standing"][
        "reasons"] == after[1]["reasons"] else None)(
            registry.get_public_society(payload={"society_id": society})))
    assert page["good_standing"] is False and page["standing"]["as_on"] == after[1]["as_on"]
    listed = registry.search_societies(payload={"q": "ghoshit"})["items"]
    assert [(s["id"], s["good_standing"]) for s in listed] == [(society, False)]

    # Months later the same overdue return is only more days late: still nothing.
    filings_stack.system.scan_due_dates(payload={"as_on": "2026-12-31"})
    assert len(_announced(filings_stack, society)) == 2


def test_the_compliance_counts_follow_a_return_sent_back_and_filed_again(filings_stack):
    society = filings_stack.register("D Samiti")
    rep = filings_stack.representative(society)
    officer = filings_stack.staff("dealing_officer", office="mp")
    view = {"form_code": "MSCS/ANNUAL", "period_end": "2025-03-31", "as_on": "2025-12-01"}
    draft = rep.start_filing(payload={"form_code": "MSCS/ANNUAL", "filer_id": society,
                                      "period_end": "2025-03-31",
                                      "values": {**ANNUAL, **DOCUMENTS}})
    assert officer.compliance_view(payload=view)["summary"]["overdue"] == 1   # a draft
    rep.submit_filing(payload={"filing_id": draft["id"]})
    filed = officer.compliance_view(payload=view)
    assert (filed["summary"]["filed_late"], filed["summary"]["overdue"]) == (1, 0)
    officer.return_filing(payload={"filing_id": draft["id"], "remarks": "Sign page 2"})
    sent_back = officer.compliance_view(payload=view)
    assert (sent_back["summary"]["filed_late"], sent_back["summary"]["overdue"]) == (0, 1)
    assert sent_back["items"][0]["filing_status"] == "returned"
    rep.submit_filing(payload={"filing_id": draft["id"]})
    officer.accept_filing(payload={"filing_id": draft["id"]})
    accepted = officer.compliance_view(payload=view)
    assert accepted["summary"] == {"filed_on_time": 0, "filed_late": 1, "overdue": 0,
                                   "not_yet_due": 0}
    assert [(i["status"], i["filing_status"]) for i in accepted["items"]] == [
        ("filed_late", "accepted")]
    for status, expected in (("filed_late", [society]), ("filed_on_time", []),
                             ("overdue", []), ("not_yet_due", [])):
        listed = officer.compliance_view(payload={**view, "status": status})["items"]
        assert [i["society_id"] for i in listed] == expected, status


def test_two_replicas_scanning_at_once_announce_each_reminder_once(filings_stack,
                                                                    containers):
    import eventlet

    from services.filings.service import FilingsService

    societies = [filings_stack.register(f"Ekta Samiti {n}") for n in range(3)]
    containers(FilingsService, filings_stack.filings_url)      # a second replica
    pool = eventlet.GreenPool()
    answers = list(pool.imap(lambda _: filings_stack.system.scan_due_dates(
        payload={"as_on": "2025-10-05"}), range(4)))
    # 2023-24 and 2024-25 overdue for each of the three societies: six reminders in all,
    # however the four scans and two replicas shared them out
    assert sum(a["events"] for a in answers) == 6
    rows = filings_stack.sql("SELECT payload FROM outbox_message "
                             "WHERE event_type IN ('filing_due_soon', 'filing_overdue')")
    announced = [(r.payload["society_id"], r.payload["period_end"]) for r in rows]
    assert sorted(announced) == sorted((s, p) for s in societies
                                       for p in ("2024-03-31", "2025-03-31"))
    assert len(filings_stack.sql("SELECT 1 FROM due_reminder")) == 6


def test_the_audit_year_falling_pending_is_announced_on_its_day_once(filings_stack):
    # Audited every year to 2025-26: up to date until 2026-27's audit falls due on
    # 30-09-2027.
    audited = filings_stack.register("Lekha Samiti", registered_on="2020-06-01")
    never = filings_stack.register("Bina Lekha Samiti", registered_on="2020-06-01")
    registrar = filings_stack.staff("registrar")
    for start in range(2020, 2026):
        registrar.record_audit(payload={
            "society_id": audited, "financial_year": f"{start}-{(start + 1) % 100:02d}",
            "audited_on": f"{start + 1}-08-01", "auditor_name": "M/s Rao & Associates"})

    def audit_news(society):
        """What was announced for the society after its audits were recorded."""
        return [e for e in _announced(filings_stack, society)[recorded[society]:]
                if any("audit pending" in r for r in e["reasons"])]

    recorded = {s: len(_announced(filings_stack, s)) for s in (audited, never)}
    assert _announced(filings_stack, audited)[-1]["good_standing"] is False  # returns
    filings_stack.system.scan_due_dates(payload={"as_on": "2027-09-29"})
    assert audit_news(audited) == []
    on_the_day = filings_stack.system.scan_due_dates(payload={"as_on": "2027-09-30"})
    news = audit_news(audited)
    assert len(news) == 1 and news[0]["as_on"] == "2027-09-30"
    assert "audit pending for 1 year(s): 2026-27" in news[0]["reasons"]
    assert on_the_day["standing_changes"] >= 1
    # the same day again, the next day: nothing more; the society never audited was
    # already pending more than three years
    assert filings_stack.system.scan_due_dates(
        payload={"as_on": "2027-09-30"})["standing_changes"] == 0
    filings_stack.system.scan_due_dates(payload={"as_on": "2027-10-01"})
    assert len(audit_news(audited)) == 1
    assert audit_news(never) == []
    assert registrar.good_standing(payload={"society_id": audited, "as_on": "2027-10-01"})[
        "audit"] == "pending_1_3"
