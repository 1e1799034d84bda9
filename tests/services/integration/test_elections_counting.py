"""The count over the real broker and PostgreSQL: booth results by double entry (two
assigned officers, different ones), the reconciliation queue, the count with a tie at
the last seat settled only by the RO's draw of lots, Form 19M with every item filled and
its arithmetic checked, the CEA's decision (reject, resubmit, approve), and no
declaration before the approval; then Form 19N and the office bearers."""

from __future__ import annotations

import time
import uuid

import pytest

from services.common.errors import Conflict, Forbidden, InvalidInput
from tests.services.integration.elections_kit import seed_order

BOOTHS = [{"number": n, "location": f"Booth {n}, Kolhapur", "district": "Kolhapur",
           "state": "Maharashtra", "voters_assigned": 100} for n in (1, 2, 3)]


def _nomination(stack, election_id, category, number, status="accepted",
                contest="board", name=None):
    nomination_id = str(uuid.uuid4())
    stack.sql(
        "INSERT INTO nomination (id, election_id, contest, category, membership_number,"
        " candidate_name, relative_name, identity_digest, central_govt_employee,"
        " filed_by, filed_at, status) VALUES (:id, :e, :c, :cat, :m, :n, :r, :d, false,"
        " 'ro-1', now(), :s)",
        id=nomination_id, e=election_id, c=contest, cat=category, m=number,
        n=name or f"Candidate {number}", r=f"Father of {number}",
        d=uuid.uuid4().hex, s=status)
    return nomination_id


def _eventually(read, seconds=10.0):
    """The first truthy answer of ``read`` within ``seconds`` (events arrive a moment
    after the commit that queued them)."""
    deadline = time.monotonic() + seconds
    while True:
        found = read()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def _setup(stack, *, voters=300):
    society_id = stack.add_society()
    stack.set_clock("2025-09-20 10:00")
    order = seed_order(society_id, seats={"general": 2, "women": 1, "sc_st": 1},
                       booths=BOOTHS)
    election_id = stack.cea.create_election(payload=order)["id"]
    stack.sql("INSERT INTO voter (election_id, serial_no, membership_number, name,"
              " category, language, on_list, source) SELECT :e, g, 'V' || g, 'Voter',"
              " 'individual', 'hi', true, 'register' FROM generate_series(1, :n) g",
              e=election_id, n=voters)
    general = [_nomination(stack, election_id, "general", f"M{i:04d}", name=f"G{i}")
               for i in (1, 2, 3)]
    _nomination(stack, election_id, "general", "M0010", status="rejected")
    _nomination(stack, election_id, "general", "M0011", status="withdrawn")
    women = _nomination(stack, election_id, "women", "M0020", name="W1")
    ro = stack.ro(election_id)
    for booth in (1, 2, 3):
        for officer in ("aro-1", "aro-2"):
            ro.assign_booth_officer(payload={"election_id": election_id,
                                             "booth_number": booth, "account_id": officer,
                                             "name": officer})
    return election_id, general, women


def _figures(election_id, booth, general, votes, cast=50, rejected=2):
    return {"election_id": election_id, "booth_number": booth, "votes_cast": cast,
            "rejected": rejected, "votes": dict(zip(general, votes, strict=True))}


def test_double_entry_reconciliation_tie_forms_and_declaration(election_stack):
    stack = election_stack
    election_id, general, women = _setup(stack)
    aro1, aro2 = stack.aro(election_id, "aro-1"), stack.aro(election_id, "aro-2")
    ro = stack.ro(election_id)
    stack.set_clock("2026-01-07 09:00")

    # An officer not assigned to the booth is refused, naming it.
    with pytest.raises(Forbidden) as refused:
        stack.aro(election_id, "aro-9").enter_booth_result(
            payload=_figures(election_id, 1, general, [10, 10, 10]))
    assert "booth 1" in refused.value.message
    # More votes than the booth's voters; a candidate missing; too many votes.
    with pytest.raises(InvalidInput) as refused:
        aro1.enter_booth_result(payload=_figures(election_id, 1, general, [1, 1, 1],
                                                 cast=101))
    assert "no booth may report more votes than its voters" in \
        refused.value.fields["votes_cast"]
    bad = _figures(election_id, 1, general, [1, 1, 1])
    del bad["votes"][general[0]]
    bad["votes"][women] = 3        # elected unopposed: not on the ballot
    with pytest.raises(InvalidInput) as refused:
        aro1.enter_booth_result(payload=bad)
    assert set(refused.value.fields) == {f"votes.{general[0]}", f"votes.{women}"}
    with pytest.raises(InvalidInput) as refused:
        aro1.enter_booth_result(payload=_figures(election_id, 1, general, [48, 48, 1]))
    assert "general" in refused.value.fields["votes.general"]

    # Booth 1 matches; the same officer twice is refused.
    first = aro1.enter_booth_result(payload=_figures(election_id, 1, general, [30, 20, 20]))
    assert first == {"booth_number": 1, "contest": "board", "entries": 1,
                     "status": "awaiting_second_entry"}
    with pytest.raises(Conflict):
        aro1.enter_booth_result(payload=_figures(election_id, 1, general, [30, 20, 20]))
    assert aro2.enter_booth_result(payload=_figures(
        election_id, 1, general, [30, 20, 20]))["status"] == "matched"
    # Booth 2 mismatches: the queue shows both entries; neither counts.
    aro1.enter_booth_result(payload=_figures(election_id, 2, general, [30, 20, 20]))
    assert aro2.enter_booth_result(payload=_figures(
        election_id, 2, general, [30, 21, 20]))["status"] == "mismatch"
    with pytest.raises(Conflict) as pending:
        ro.count(payload={"election_id": election_id})
    assert pending.value.details["pending_booths"] == [2, 3]
    queue = ro.reconciliation_queue(payload={"election_id": election_id})["items"]
    assert [q["booth_number"] for q in queue] == [2]
    assert [e["account_id"] for e in queue[0]["entries"]] == ["aro-1", "aro-2"]
    with pytest.raises(Forbidden):
        aro1.reconcile_booth(payload={**_figures(election_id, 2, general, [30, 20, 20]),
                                      "reason": "Recounted."})
    reconciled = ro.reconcile_booth(payload={
        **_figures(election_id, 2, general, [30, 20, 20]),
        "reason": "Ballots of booth 2 recounted before both agents."})
    assert reconciled["status"] == "reconciled" and reconciled["reconciled_by"] == "ro-1"
    assert ro.reconciliation_queue(payload={"election_id": election_id})["items"] == []
    for officer in (aro1, aro2):
        officer.enter_booth_result(payload=_figures(election_id, 3, general, [10, 20, 20]))

    # G1 70; G2 and G3 60 each for the last general seat: a tie, winners withheld.
    result = stack.cea.count(payload={"election_id": election_id})
    assert result["votes_cast"] == 150 and result["rejected"] == 6
    assert result["ties"] == [{"category": "general", "tied": general[1:], "votes": 60,
                               "remaining_seats": 1}]
    assert result["categories"]["general"]["winners"] is None
    assert result["categories"]["women"]["unopposed"] is True
    assert result["complete"] is False and result["elected"] == []
    with pytest.raises(Conflict):
        ro.generate_form_19m(payload={"election_id": election_id})
    with pytest.raises(InvalidInput) as refused:
        ro.resolve_tie(payload={"election_id": election_id, "category": "general",
                                "winners": [general[0]], "note": "Drawn."})
    assert "among those tied" in refused.value.fields["winners"]
    with pytest.raises(Forbidden):
        aro1.resolve_tie(payload={"election_id": election_id, "category": "general",
                                  "winners": [general[2]], "note": "Drawn."})
    ro.resolve_tie(payload={"election_id": election_id, "category": "general",
                            "winners": [general[2]],
                            "note": "Lots drawn between G2 and G3 before the agents: G3."})
    result = ro.count(payload={"election_id": election_id})
    assert result["complete"] and result["categories"]["general"]["winners"] == [
        general[0], general[2]]
    assert [c["nomination_id"] for c in result["elected"]] == [general[0], general[2],
                                                              women]

    # Form 19M: every item, "Not applicable" where it does not apply.
    body = ro.generate_form_19m(payload={"election_id": election_id})["body"]
    a = body["section_a"]
    assert a["ii_a_polling_held"] == "Yes" and a["ii_b_scheduled_date"] == "Not applicable"
    assert a["date_of_poll"] == "04-01-2026"
    assert a["iii_disruption"] == "Not applicable" and a["8_court_cases"] == "No"
    assert a["vi_received"] == {"general": 5, "women": 1, "sc_st": 0}
    assert a["vii_rejected"]["general"] == 1 and a["viii_withdrawn"]["general"] == 1
    assert a["x_eligible_voters"] == 300 and a["xi_votes_cast"] == 150
    assert a["xiii_unopposed"] == {"general": 0, "women": 1, "sc_st": 0}
    assert a["xiv_polled"] == {"general": 2, "women": 0, "sc_st": 0}
    assert a["6_candidates"]["c_sc_st"] == "Not applicable"
    rows = a["6_candidates"]["a_general"]
    assert [r["recommended"] for r in rows] == ["Yes", "Yes", "No"]
    assert rows[0]["address"] == "Not applicable" and rows[0]["votes"] == 70
    assert a["6_candidates"]["b_women"][0]["elected_unopposed"] == "Unopposed"
    assert a["7_vacant"][0]["category"] == "sc_st" and a["7_vacant"][0]["vacant_seats"] == 1
    assert all(c["holds"] for c in body["checks"])
    assert None not in a.values() and "" not in a.values()

    # Declaring before the CEA's approval is refused, and nothing changes.
    form = ro.submit_form(payload={"election_id": election_id, "form": "19M"})
    assert form["version"] == 1 and form["status"] == "submitted"
    stack.set_clock("2026-01-12 10:00")
    with pytest.raises(Conflict) as refused:
        ro.declare_result(payload={"election_id": election_id})
    assert "before the CEA approves Form 19M" in refused.value.message
    assert stack.sql("SELECT count(*) FROM declaration")[0][0] == 0
    assert stack.sql("SELECT status FROM election")[0][0] == "ordered"

    # The CEA rejects; the RO resubmits (version 2); the CEA approves; the RO declares.
    with pytest.raises(Forbidden):
        ro.decide_form(payload={"election_id": election_id, "form_id": form["id"],
                                "decision": "approve", "reason": "Mine."})
    stack.cea.decide_form(payload={"election_id": election_id, "form_id": form["id"],
                                   "decision": "reject",
                                   "reason": "Court cases item to be confirmed."})
    stack.set_clock("2026-01-07 15:00")
    again = ro.submit_form(payload={"election_id": election_id, "form": "19M",
                                    "court_cases": "None pending before any court."})
    assert again["version"] == 2
    with pytest.raises(Conflict):
        ro.submit_form(payload={"election_id": election_id, "form": "19M"})
    approved = stack.cea.decide_form(payload={
        "election_id": election_id, "form_id": again["id"], "decision": "approve",
        "reason": "Election held as per procedure."})
    assert approved["status"] == "approved" and approved["decided_by"] == "cea-1"
    stack.set_clock("2026-01-12 10:00")
    declared = ro.declare_result(payload={"election_id": election_id})
    assert [e["votes"] for e in declared["elected"]] == [70, 60, "unopposed"]
    assert stack.sql("SELECT status FROM election")[0][0] == "board_declared"
    with pytest.raises(Conflict):
        ro.declare_result(payload={"election_id": election_id})

    # Office bearers: only elected directors stand; Form 19N, approval, declaration.
    chair = _nomination(stack, election_id, "chairman", "M0001", contest="office_bearer",
                        name="G1")
    _nomination(stack, election_id, "vice_chairman", "M0003", contest="office_bearer",
                name="G3")
    outsider = _nomination(stack, election_id, "vice_chairman", "M0002",
                           contest="office_bearer", name="G2")
    stack.set_clock("2026-01-16 12:00")
    meeting = {"election_id": election_id, "meeting_at": "2026-01-16T11:00:00+05:30",
               "venue": "Head office, Kolhapur", "incumbent_directors": 3, "attended": 3,
               "chaired_by_ro": True}
    with pytest.raises(InvalidInput) as refused:
        ro.generate_form_19n(payload=meeting)
    assert "rule 19N" in refused.value.fields[f"candidates.{outsider}"]
    stack.sql("UPDATE nomination SET status = 'withdrawn' WHERE id = :i", i=outsider)
    body = ro.generate_form_19n(payload=meeting)["body"]["section_a"]
    assert body["ii_a_polling_held"] == "No" and body["xiii_polled_posts"] == \
        "Not applicable"
    assert body["iv_chaired_by_ro"] == "Yes"
    n = ro.submit_form(payload={**meeting, "form": "19N"})
    with pytest.raises(Conflict):
        ro.declare_office_bearers(payload={"election_id": election_id})
    stack.cea.decide_form(payload={"election_id": election_id, "form_id": n["id"],
                                   "decision": "approve", "reason": "In order."})
    declared = ro.declare_office_bearers(payload={"election_id": election_id})
    assert declared["elected"][0]["nomination_id"] == chair
    assert stack.sql("SELECT status FROM election")[0][0] == "office_bearers_declared"

    # The registry records the new board from the two declarations, on its public page.
    society_id = stack.sql("SELECT society_id FROM election")[0][0]
    board = _eventually(lambda: (stack.registry.get_public_society(
        payload={"society_id": society_id})["board"] or {}).get("office_bearers"))
    page = stack.registry.get_public_society(payload={"society_id": society_id})["board"]
    assert [(d["name"], d["category"]) for d in page["directors"]] == [
        ("G1", "general"), ("G3", "general"), ("W1", "women")]
    assert board == [{"name": "G1", "membership_number": "M0001", "category": "chairman"},
                     {"name": "G3", "membership_number": "M0003",
                      "category": "vice_chairman"}]


def test_form_19m_refuses_arithmetic_that_does_not_add_up(election_stack):
    stack = election_stack
    election_id, general, _ = _setup(stack, voters=100)
    _nomination(stack, election_id, "general", "M0030", status="filed")  # undecided
    aro1, aro2 = stack.aro(election_id, "aro-1"), stack.aro(election_id, "aro-2")
    stack.set_clock("2026-01-07 09:00")
    for booth in (1, 2, 3):
        for officer in (aro1, aro2):
            officer.enter_booth_result(payload=_figures(election_id, booth, general,
                                                        [40, 30, 20]))
    with pytest.raises(InvalidInput) as refused:
        stack.ro(election_id).generate_form_19m(payload={"election_id": election_id})
    fields = refused.value.fields
    assert any("general: received (6) = rejected (1) + withdrawn (1) + contesting (3)"
               in v for v in fields.values())
    assert any("votes cast (150) <= eligible voters (100)" in v for v in fields.values())


def test_all_unopposed_needs_no_booth_results(election_stack):
    stack = election_stack
    society_id = stack.add_society()
    stack.set_clock("2025-09-20 10:00")
    election_id = stack.cea.create_election(payload=seed_order(
        society_id, seats={"general": 2, "women": 1, "sc_st": 1}, booths=BOOTHS))["id"]
    only = _nomination(stack, election_id, "general", "M0001")
    stack.set_clock("2026-01-07 09:00")
    result = stack.ro(election_id).count(payload={"election_id": election_id})
    assert result["polled"] is False and result["complete"]
    assert [c["nomination_id"] for c in result["elected"]] == [only]
    a = stack.ro(election_id).generate_form_19m(
        payload={"election_id": election_id, "peaceful": False,
                 "disruption": "A scuffle outside booth 2, settled by the police."}
    )["body"]["section_a"]
    assert a["ii_a_polling_held"] == "No" and a["ii_b_scheduled_date"] == "04-01-2026"
    assert a["ii_a_date_and_hours"] == "Not applicable"
    assert a["xi_votes_cast"] == "Not applicable" and a["iii_peaceful"] == "No"
    assert a["xiii_unopposed"]["general"] == 1 and a["7_vacant"][0]["vacant_seats"] == 1


def test_form_19m_prints_the_bye_laws_seats_beside_the_notified_ones(election_stack):
    stack = election_stack
    society_id = stack.add_society()
    stack.set_clock("2025-09-20 10:00")
    notified = {"general": 2, "women": 1, "sc_st": 1}
    with pytest.raises(InvalidInput) as refused:
        stack.cea.create_election(payload=seed_order(
            society_id, seats=notified, booths=BOOTHS,
            bye_law_seats={"general": 3, "women": 0, "sc_st": 1}))
    assert "women: 1 notified, 0 under the bye-laws" in str(refused.value.to_dict())
    order = seed_order(society_id, seats=notified, booths=BOOTHS,
                       bye_law_seats={"general": 3, "women": 2, "sc_st": 1})
    election = stack.cea.create_election(payload=order)
    assert election["bye_law_seats"] == {"general": 3, "women": 2, "sc_st": 1}
    assert election["seats"] == notified
    election_id = election["id"]
    _nomination(stack, election_id, "general", "M0001")
    stack.set_clock("2026-01-07 09:00")
    a = stack.ro(election_id).generate_form_19m(
        payload={"election_id": election_id, "peaceful": True})["body"]["section_a"]
    assert a["iv_seats_bye_laws"] == {"general": 3, "women": 2, "sc_st": 1}
    assert a["v_seats_notified"] == notified
    # An order without them: the bye-laws' seats are taken as those notified.
    other = stack.cea.create_election(payload=seed_order(
        stack.add_society(), seats=notified, booths=BOOTHS))
    assert other["bye_law_seats"] == notified
