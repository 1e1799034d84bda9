"""Nominations over the real broker and PostgreSQL: filing (only voters on the final
list stand, one nomination per person per category, in the window), the display, the
RO's scrutiny with the disqualifications the data proves (rule 19V from another
society's election, the BR Act's 10-year tenure of bank directors, a central government
employee without permission), withdrawal, the lists of valid nominations and
contesting candidates (unopposed and vacant categories), office bearers drawn from the
declared board, and nothing changed by a refusal.

The final voter list is set up directly (voter rows and its publication) so that these
tests do not depend on the draw."""

from __future__ import annotations

import json
import uuid

import pytest

from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound, OutsideWindow
from services.elections.nominations.identity import with_check_digit
from tests.services.integration.elections_kit import seed_order


def aadhaar(n: int) -> str:
    return with_check_digit(f"{2 + n % 8}{n:010d}")


def misspelt(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def final_list(stack, election_id: str, numbers: list[str], struck: tuple = ()) -> None:
    for serial, number in enumerate(numbers, start=1):
        stack.sql(
            "INSERT INTO voter (election_id, serial_no, membership_number, name, category,"
            " language, on_list, source) VALUES (:e, :s, :m, :n, 'individual', 'hi', :o,"
            " 'register')", e=election_id, s=serial, m=number, n=f"Member {number}",
            o=number not in struck)
    stack.sql(
        "INSERT INTO publication (election_id, kind, published_at, published_by, entries,"
        " document_ids) VALUES (:e, 'final_voter_list', now(), 'ro-1', :n, '[]')",
        e=election_id, n=len(numbers))


def new_election(stack, society_id: str | None = None, voters: int = 20, **overrides):
    society_id = society_id or stack.add_society()
    stack.set_clock("2025-09-20 10:00")
    election_id = stack.cea.create_election(payload=seed_order(society_id, **overrides))["id"]
    final_list(stack, election_id, [f"M{i:04d}" for i in range(1, voters + 1)],
               struck=("M0020",))
    return society_id, election_id


def form(election_id: str, n: int, category: str = "general", **extra) -> dict:
    body = {"election_id": election_id, "category": category,
            "membership_number": f"M{n:04d}", "candidate_name": f"Candidate {n:02d}",
            "relative_name": f"Father of {n}", "address": "Kolhapur 416001",
            "mobile": f"97{n:08d}", "aadhaar": aadhaar(n)}
    body.update(extra)
    return body


_COUNTS = {"nomination": "SELECT count(*) FROM nomination",
           "disqualification": "SELECT count(*) FROM disqualification"}


def count(stack, table: str = "nomination") -> int:
    return stack.sql(_COUNTS[table])[0][0]


def test_filing_only_voters_once_per_category_in_the_window(election_stack):
    stack = election_stack
    society_id, election_id = new_election(stack, bye_laws_require_proposer=True)
    ro = stack.ro(election_id)
    society = stack.as_role("society_representative", f"society:{society_id}")
    stack.set_clock("2025-12-09 12:00")
    both = {"proposer_number": "M0010", "seconder_number": "M0011"}

    first = ro.file_nomination(payload=form(election_id, 1, **both))
    assert first["status"] == "filed" and first["contest"] == "board"
    assert "aadhaar" not in first and "identity_digest" not in first
    stored = stack.sql("SELECT identity_digest FROM nomination")[0][0]
    assert len(stored) == 64 and aadhaar(1) not in json.dumps(first)
    assert society.file_nomination(payload=form(election_id, 2, "women", **both))["filed_by"]

    refusals = [
        (form(election_id, 99, **both), InvalidInput, "membership_number"),   # not a voter
        (form(election_id, 20, **both), InvalidInput, "membership_number"),   # struck off
        (form(election_id, 3), InvalidInput, "proposer_number"),              # bye-laws
        (form(election_id, 3, proposer_number="M0099", seconder_number="M0011"),
         InvalidInput, "proposer_number"),
        (form(election_id, 3, "treasurer", **both), InvalidInput, "category"),
        (form(election_id, 3, **both, aadhaar="123456789012"), InvalidInput, "aadhaar"),
        (form(election_id, 3, **both, aadhaar=misspelt(aadhaar(3))), InvalidInput,
         "aadhaar"),                                                       # check digit
        (form(election_id, 1, **both), Conflict, None),                       # duplicate
        (form(election_id, 5, **both, aadhaar=aadhaar(1)), Conflict, None),   # same person
    ]
    for body, error, field in refusals:
        with pytest.raises(error) as refused:
            ro.file_nomination(payload=body)
        if field:
            assert field in refused.value.fields, (body, refused.value.fields)
    with pytest.raises(InvalidInput) as refused:
        ro.file_nomination(payload=form(election_id, 99, **both))
    assert "only voters on the final list may stand" in refused.value.message.lower()
    assert "only voters on the final list may stand" in refused.value.fields[
        "membership_number"]
    assert count(stack) == 2

    # The same person may stand in another category.
    ro.file_nomination(payload=form(election_id, 1, "sc_st", **both))
    # Others: another society's representative, a registrar, another election's RO.
    with pytest.raises(NotFound):
        stack.as_role("society_representative", "society:other").file_nomination(
            payload=form(election_id, 4, **both))
    with pytest.raises(NotFound):
        stack.as_role("returning_officer", "election:" + "0" * 36).file_nomination(
            payload=form(election_id, 4, **both))
    stack.set_clock("2025-12-09 15:30")                    # after the day's hours
    with pytest.raises(OutsideWindow) as refused:
        ro.file_nomination(payload=form(election_id, 4, **both))
    assert refused.value.details["stage"] == "nominations"
    assert refused.value.details["window"] == \
        "08-12-2025 to 15-12-2025, 11:00 to 15:00 IST each day"
    assert count(stack) == 3

    # Not displayed yet: the public cannot read them; officers can.
    public = stack.as_role("member")
    with pytest.raises(NotFound):
        public.list_nominations(payload={"election_id": election_id})
    assert len(ro.list_nominations(payload={"election_id": election_id})["items"]) == 3
    stack.set_clock("2025-12-15 17:30")
    with pytest.raises(Forbidden):
        stack.aro(election_id).publish_nominations(payload={"election_id": election_id})
    shown = ro.publish_nominations(payload={"election_id": election_id})
    assert shown["kind"] == "nominations_received" and shown["entries"] == 3
    with pytest.raises(Conflict):
        ro.publish_nominations(payload={"election_id": election_id})
    page = public.list_nominations(payload={"election_id": election_id, "category": "general",
                                            "limit": 1})
    assert [n["membership_number"] for n in page["items"]] == ["M0001"]
    assert page["items"][0]["mobile"] is None and page["next_offset"] is None

    # Every nomination must be decided before the list of valid nominations.
    stack.set_clock("2025-12-16 17:30")
    with pytest.raises(Conflict) as refused:
        ro.publish_valid_nominations(payload={"election_id": election_id})
    assert refused.value.details["pending"] == 3
    assert stack.sql("SELECT count(*) FROM publication WHERE kind = 'valid_nominations'"
                     )[0][0] == 0
    assert stack.sql("SELECT done_at FROM programme_stage WHERE stage = 'valid_nominations'"
                     )[0][0] is None


def test_scrutiny_forces_rejection_for_what_the_data_proves(election_stack):
    stack = election_stack
    society_id, election_id = new_election(stack)                 # a bank
    _, other_id = new_election(stack, stack.add_society("Kolhapur Dairy", "dairy"))
    ro, other_ro = stack.ro(election_id), stack.ro(other_id, "ro-2")
    stack.set_clock("2025-12-09 12:00")

    # In another society's election the person (Aadhaar 2) stood, and did not lodge
    # an account of expenses: the CEA's order under rule 19V.
    elsewhere = other_ro.file_nomination(payload=form(other_id, 7, aadhaar=aadhaar(2)))
    with pytest.raises(Forbidden):
        ro.record_disqualification(payload={
            "nomination_id": elsewhere["id"], "rule": "19V", "order_ref": "CEA/19V/1",
            "order_date": "2025-10-01", "reason": "No account of election expenses."})
    order = stack.cea.record_disqualification(payload={
        "nomination_id": elsewhere["id"], "rule": "19V", "order_ref": "CEA/19V/1",
        "order_date": "2025-10-01", "reason": "No account of election expenses lodged."})
    assert order["until"] == "2028-10-01" and order["source_election_id"] == other_id
    with pytest.raises(InvalidInput) as refused:
        stack.cea.record_disqualification(payload={
            "aadhaar": aadhaar(40), "name": "Someone", "rule": "29", "order_ref": "X/1",
            "order_date": "2025-10-01", "reason": "Section 29."})
    assert "until" in refused.value.fields
    listed = stack.cea.list_disqualifications(payload={"in_force_on": "2025-12-16"})
    assert [d["id"] for d in listed["items"]] == [order["id"]]
    assert count(stack, "disqualification") == 1

    filed = {
        "ok": ro.file_nomination(payload=form(election_id, 1)),
        "19v": ro.file_nomination(payload=form(election_id, 2)),
        "tenure": ro.file_nomination(payload=form(election_id, 3,
                                                  bank_director_since="2014-04-01")),
        "tenure_ok": ro.file_nomination(payload=form(election_id, 4,
                                                     bank_director_since="2018-01-01")),
        "govt": ro.file_nomination(payload=form(election_id, 5, central_govt_employee=True)),
        "govt_ok": ro.file_nomination(payload=form(
            election_id, 6, central_govt_employee=True,
            permission_document_id=str(uuid.uuid4()))),
        "other": ro.file_nomination(payload=form(election_id, 7)),
        "w1": ro.file_nomination(payload=form(election_id, 8, "women")),
        "w2": ro.file_nomination(payload=form(election_id, 9, "women")),
        "w3": ro.file_nomination(payload=form(election_id, 10, "women")),
    }
    ids = {k: v["id"] for k, v in filed.items()}

    def decide(key, decision, reasons=(), as_=ro):
        return as_.decide_nomination(payload={"election_id": election_id,
                                              "nomination_id": ids[key],
                                              "decision": decision,
                                              "reasons": list(reasons)})

    with pytest.raises(OutsideWindow) as refused:            # scrutiny opens 16 Dec 11:00
        decide("ok", "accept")
    assert refused.value.details["stage"] == "nomination_scrutiny"
    stack.set_clock("2025-12-16 12:00")
    with pytest.raises(Forbidden):
        decide("ok", "accept", as_=stack.aro(election_id))
    expected = {"19v": "disqualified", "tenure": "bank_director_tenure",
                "govt": "no_government_permission"}
    for key, code in expected.items():
        with pytest.raises(Conflict) as refused:
            decide(key, "accept")
        assert [d["code"] for d in refused.value.details["disqualifications"]] == [code]
    assert stack.sql("SELECT count(*) FROM nomination WHERE status <> 'filed'")[0][0] == 0
    for key, code in expected.items():
        decided = decide(key, "reject")
        assert decided["nomination"]["status"] == "rejected"
        assert [r["code"] for r in decided["nomination"]["reasons"]] == [code]
    rejected_19v = ro.get_nomination(payload={"election_id": election_id,
                                              "nomination_id": ids["19v"]})
    assert rejected_19v["reasons"][0]["rule"] == "rule 19V"
    assert "CEA/19V/1" in rejected_19v["reasons"][0]["reason"]
    with pytest.raises(InvalidInput) as refused:
        decide("other", "reject")                           # no reason given or proven
    assert "reasons" in refused.value.fields
    assert decide("other", "reject", ["The nomination form is not signed."])[
        "nomination"]["reasons"][0]["reason"] == "The nomination form is not signed."
    for key in ("ok", "tenure_ok", "govt_ok", "w1", "w2", "w3"):
        assert decide(key, "accept")["disqualifications"] == []
    with pytest.raises(Conflict):
        decide("ok", "reject", ["Second thoughts."])         # decided once

    stack.set_clock("2025-12-16 17:30")
    valid = ro.publish_valid_nominations(payload={"election_id": election_id})
    assert valid["entries"] == 6
    assert valid["summary"]["women"]["contesting"] == 3
    assert valid["summary"]["women"]["unopposed"] is False
    assert valid["summary"]["general"]["rejected"] == 4

    # Withdrawal: accepted nominations only, in the window, by officers or the society.
    stack.set_clock("2025-12-17 12:00")
    society = stack.as_role("society_representative", f"society:{society_id}")
    withdrawn = society.withdraw_nomination(payload={"election_id": election_id,
                                                     "nomination_id": ids["w3"]})
    assert withdrawn["status"] == "withdrawn" and withdrawn["withdrawn_at"]
    with pytest.raises(Conflict):
        ro.withdraw_nomination(payload={"election_id": election_id,
                                        "nomination_id": ids["other"]})
    stack.set_clock("2025-12-17 15:30")
    with pytest.raises(OutsideWindow):
        ro.withdraw_nomination(payload={"election_id": election_id,
                                        "nomination_id": ids["w2"]})

    public = stack.as_role("member")
    with pytest.raises(NotFound):
        public.contesting_candidates(payload={"election_id": election_id})
    stack.set_clock("2025-12-17 17:30")
    published = ro.publish_contesting_list(payload={"election_id": election_id})
    summary = published["summary"]
    assert summary["women"]["unopposed"] is True and summary["women"]["withdrawn"] == 1
    assert {c["membership_number"] for c in summary["women"]["elected_unopposed"]} == {
        "M0008", "M0009"}
    assert summary["sc_st"] == {"seats": 1, "received": 0, "pending": 0, "rejected": 0,
                                "withdrawn": 0, "contesting": 0, "unopposed": True,
                                "elected_unopposed": [], "vacant": 1}
    assert summary["general"]["contesting"] == 3 and summary["general"]["vacant"] == 13
    board = public.contesting_candidates(payload={"election_id": election_id})
    assert [c["membership_number"] for c in board["candidates"]["general"]] == [
        "M0001", "M0004", "M0006"]
    assert all(c["mobile"] is None for c in board["candidates"]["general"])
    kinds = {r[0] for r in stack.sql("SELECT kind FROM publication WHERE election_id = :e",
                                     e=election_id)}
    assert kinds == {"final_voter_list", "valid_nominations", "contesting_candidates"}
    trail = stack.cea.election_audit(payload={"election_id": election_id, "limit": 100})
    actions = [e["action"] for e in trail["items"]]
    assert "nomination_rejected" in actions and "contesting_list_published" in actions


def test_office_bearers_are_elected_directors_of_the_declared_board(election_stack):
    stack = election_stack
    _, election_id = new_election(stack)
    ro = stack.ro(election_id)
    stack.set_clock("2026-01-15 10:00")
    ob = {"contest": "office_bearer"}
    with pytest.raises(Conflict) as refused:
        ro.file_nomination(payload=form(election_id, 1, "chairman", **ob))
    assert "after the board's result is declared" in refused.value.message
    form_id = str(uuid.uuid4())
    stack.sql("INSERT INTO result_form (id, election_id, form, version, body, status,"
              " submitted_by, submitted_at) VALUES (:i, :e, '19M', 1, '{}', 'approved',"
              " 'ro-1', now())", i=form_id, e=election_id)
    elected = [{"nomination_id": str(uuid.uuid4()), "membership_number": f"M000{n}",
                "category": "general"} for n in (1, 2)]
    stack.sql("INSERT INTO declaration (election_id, contest, form_id, elected, declared_by,"
              " declared_at) VALUES (:e, 'board', :f, :x, 'ro-1', now())",
              e=election_id, f=form_id, x=json.dumps(elected))
    with pytest.raises(InvalidInput) as refused:            # not an elected director
        ro.file_nomination(payload=form(election_id, 3, "chairman", **ob))
    assert "Form 19M" in refused.value.fields["membership_number"]
    with pytest.raises(InvalidInput) as refused:            # co-opted
        ro.file_nomination(payload=form(election_id, 2, "chairman", director_kind="co-opted",
                                        **ob))
    assert "co-opted" in refused.value.fields["director_kind"]
    with pytest.raises(InvalidInput) as refused:            # a post not in the order
        ro.file_nomination(payload=form(election_id, 1, "president", **ob))
    assert count(stack) == 0
    chairman = ro.file_nomination(payload=form(election_id, 1, "chairman", **ob))
    assert chairman["director_kind"] == "elected"
    stack.set_clock("2026-01-15 12:45")
    ro.decide_nomination(payload={"election_id": election_id, "nomination_id": chairman["id"],
                                  "decision": "accept"})
    stack.set_clock("2026-01-15 16:30")
    summary = ro.publish_contesting_list(payload={"election_id": election_id,
                                                  **ob})["summary"]
    assert summary["chairman"]["unopposed"] is True
    assert summary["chairman"]["elected_unopposed"][0]["membership_number"] == "M0001"
    assert summary["vice_chairman"]["vacant"] == 1
