"""Voters assigned to polling booths over the real broker and PostgreSQL: the RO's rule
(serial order filling each booth up to the voters the order gives it) or the RO's CSV
(every bad line named with its number, nothing applied), only from the provisional
list's opening until the final list is published or 30 days before the poll (rule
19I(1)), audited; each entry of the list then carries its booth, upheld objections keep
the booths right, and a booth's result may not report more votes than its voters."""

from __future__ import annotations

import pytest

from services.common.errors import Conflict, Forbidden, InvalidInput, OutsideWindow
from tests.services.integration.elections_kit import seed_order
from tests.services.integration.test_elections_counting import _figures, _nomination
from tests.services.integration.test_elections_voters import page_numbers, wait_drawn

# 39 voters (the kit's register) for 15 + 15 + 12 places.
BOOTHS = [
    {"number": 1, "location": "Tararani Chowk, Kolhapur", "district": "Kolhapur",
     "state": "Maharashtra", "voters_assigned": 15},
    {"number": 2, "location": "Shahupuri, Kolhapur", "district": "Kolhapur",
     "state": "Maharashtra", "voters_assigned": 15},
    {"number": 3, "location": "Tilakwadi, Belagavi", "district": "Belagavi",
     "state": "Karnataka", "voters_assigned": 12},
]


def _drawn(stack, booths=None) -> str:
    """An election of seed 003's programme with ``booths``; 39 voters drawn."""
    society_id = stack.add_society()
    stack.add_members(society_id, 39, firms=3)
    stack.set_clock("2025-09-20 10:00")
    election_id = stack.cea.create_election(payload=seed_order(
        society_id, booths=booths or BOOTHS))["id"]
    stack.set_clock("2025-11-24 11:30")
    stack.ro(election_id).draw_voter_list(payload={"election_id": election_id})
    assert wait_drawn(stack, election_id)["status"] == "drawn"
    return election_id


def _booths_of(stack, election_id) -> dict[str, int | None]:
    voters = stack.ro(election_id).list_voters(payload={"election_id": election_id,
                                                        "limit": 1000,
                                                        "include_struck_off": True})
    return {v["membership_number"]: v["booth"] for v in voters["items"]}


def _file(rows) -> str:
    return "membership_number,booth\n" + "".join(f"{n},{b}\n" for n, b in rows)


def test_serial_order_fills_each_booth_up_to_its_voters(election_stack):
    stack = election_stack
    election_id = _drawn(stack)
    ro = stack.ro(election_id)
    command = {"election_id": election_id, "rule": "serial_order"}

    with pytest.raises(Forbidden):                     # the RO decides, not an ARO
        stack.aro(election_id).assign_voter_booths(payload=command)
    before = ro.voter_booths(payload={"election_id": election_id})
    assert (before["rule"], before["assigned"], before["unassigned"]) == (None, 0, 39)

    done = ro.assign_voter_booths(payload=command)
    assert (done["rule"], done["assigned"], done["unassigned"]) == ("serial_order", 39, 0)
    assert [(b["number"], b["voters_ordered"], b["voters_assigned"])
            for b in done["booths"]] == [(1, 15, 15), (2, 15, 15), (3, 12, 9)]
    assert done["assigned_by"] == "ro-1"
    booths = _booths_of(stack, election_id)
    expected = {f"M{i:04d}": 1 if i <= 15 else 2 if i <= 30 else 3 for i in range(1, 40)}
    assert booths == expected                          # serial = membership-number order

    # The published list carries the booth on every entry.
    ro.publish_voter_list(payload={"election_id": election_id, "kind": "provisional"})
    entries = page_numbers(stack, election_id, "provisional", limit=10)
    assert [(e["serial_no"], e["booth"]) for e in entries][:3] == [(1, 1), (2, 1), (3, 1)]
    assert entries[-1] == {"serial_no": 39, "membership_number": "M0039",
                           "name": "Member M0039", "category": "firm", "booth": 3}

    trail = stack.cea.election_audit(payload={"election_id": election_id})["items"]
    entry = next(e for e in trail if e["action"] == "voters_assigned_to_booths")
    assert entry["changes"]["rule"] == "serial_order"
    assert entry["changes"]["booths"] == {"1": 15, "2": 15, "3": 9}
    assert entry["actor_id"] == "ro-1"


def test_the_list_must_fit_the_booths_of_the_order(election_stack):
    stack = election_stack
    small = [{**b, "voters_assigned": 10} for b in BOOTHS]
    election_id = _drawn(stack, small)
    with pytest.raises(Conflict) as refused:
        stack.ro(election_id).assign_voter_booths(payload={"election_id": election_id,
                                                           "rule": "serial_order"})
    assert refused.value.details == {"voters": 39, "room": 30}
    assert "39 voters to place but the booths have room for 30" in refused.value.message
    assert set(_booths_of(stack, election_id).values()) == {None}


def test_a_file_with_bad_lines_is_refused_whole_naming_each_line(election_stack):
    stack = election_stack
    election_id = _drawn(stack)
    ro = stack.ro(election_id)
    ro.assign_voter_booths(payload={"election_id": election_id, "rule": "serial_order"})
    before = _booths_of(stack, election_id)

    rows = [(f"M{i:04d}", 3) for i in range(1, 13)]    # booth 3 full at 12
    body = _file(rows) + ("M0013,3\nM9999,1\nM0001,2\nM0014,36\nM0015,two\nM0016\n"
                           ",1\nM0017,\n")
    with pytest.raises(InvalidInput) as refused:
        ro.assign_voter_booths(payload={"election_id": election_id, "rule": "file",
                                        "csv": body})
    fields = refused.value.fields
    assert fields == {
        "csv.14.booth": "booth 3 is full: the order gives it 12 voters",
        "csv.15.membership_number": "M9999 is not a voter of this election",
        "csv.16.membership_number": "M0001 is listed again (first on line 2)",
        "csv.17.booth": "36 is not a booth of this election's order",
        "csv.18.booth": "two is not a booth of this election's order",
        "csv.19.row": "has 1 cells, the header 2",
        "csv.20.membership_number": "is empty",
        "csv.21.booth": "an empty cell is not a booth of this election's order"}
    assert refused.value.details["bad_row_count"] == 8
    assert refused.value.details["bad_rows"][0] == {
        "line": 14, "field": "booth", "reason": "booth 3 is full: the order gives it 12 voters"}
    assert "8 bad line(s)" in refused.value.message
    assert _booths_of(stack, election_id) == before    # nothing applied

    # A header without the columns.
    with pytest.raises(InvalidInput) as refused:
        ro.assign_voter_booths(payload={"election_id": election_id, "rule": "file",
                                        "csv": "member,booth_no\nM0001,1\n"})
    assert set(refused.value.fields) == {"csv.header.membership_number",
                                         "csv.header.booth"}

    # Voters the file leaves out: refused, unless placed in serial order.
    partial = _file([("M0039", 1), ("M0038", 1), ("m0020", 3)])
    with pytest.raises(InvalidInput) as refused:
        ro.assign_voter_booths(payload={"election_id": election_id, "rule": "file",
                                        "csv": partial})
    assert refused.value.details["left_out"] == 36
    assert "first: M0001, M0002" in refused.value.message
    done = ro.assign_voter_booths(payload={"election_id": election_id, "rule": "file",
                                           "csv": partial, "rest_in_serial_order": True})
    assert (done["rule"], done["assigned"], done["from_file"]) == ("file+serial_order", 39, 3)
    assert [b["voters_assigned"] for b in done["booths"]] == [15, 15, 9]
    booths = _booths_of(stack, election_id)
    assert (booths["M0039"], booths["M0038"], booths["M0020"]) == (1, 1, 3)
    assert booths["M0013"] == 1 and booths["M0014"] == 2   # the rest in serial order


def test_the_window_closes_30_days_before_the_poll_and_objections_keep_booths(
        election_stack):
    stack = election_stack
    stack.set_clock("2025-11-24 10:00")
    society_id = stack.add_society()
    stack.add_members(society_id, 39)
    election_id = stack.cea.create_election(payload=seed_order(society_id,
                                                               booths=BOOTHS))["id"]
    ro = stack.ro(election_id)
    command = {"election_id": election_id, "rule": "serial_order"}
    with pytest.raises(OutsideWindow) as refused:      # the provisional list opens 11:00
        ro.assign_voter_booths(payload=command)
    assert refused.value.details["stage"] == "booth_assignment"
    assert "has not opened yet" in refused.value.message
    stack.set_clock("2025-11-24 11:30")
    with pytest.raises(Conflict):                      # nothing drawn yet
        ro.assign_voter_booths(payload=command)
    ro.draw_voter_list(payload={"election_id": election_id})
    assert wait_drawn(stack, election_id)["status"] == "drawn"
    ro.publish_voter_list(payload={"election_id": election_id, "kind": "provisional"})
    ro.assign_voter_booths(payload=command)

    # An upheld deletion frees the place; an upheld addition takes the first booth
    # with room (booth 1 again).
    stack.set_clock("2025-11-25 12:00")
    objections = [ro.file_objection(payload={
        "election_id": election_id, "kind": kind, "membership_number": number,
        "grounds": "As the register shows.", **extra})["id"]
        for kind, number, extra in (("delete", "M0002", {}),
                                    ("add", "M0100", {"name": "New Member",
                                                      "category": "individual"}))]
    stack.set_clock("2025-12-01 12:00")
    changed = [ro.decide_objection(payload={"election_id": election_id, "objection_id": o,
                                            "decision": "upheld", "reason": "Seen."})
               for o in objections]
    assert [c["status"] for c in changed] == ["upheld", "upheld"]
    booths = _booths_of(stack, election_id)
    assert booths["M0002"] is None and booths["M0100"] == 1
    status = ro.voter_booths(payload={"election_id": election_id})
    assert [b["voters_assigned"] for b in status["booths"]] == [15, 15, 9]

    # Rule 19I(1): from 30 days before the poll (04-01-2026) the booths stand.
    stack.set_clock("2025-12-05 00:00")
    with pytest.raises(OutsideWindow) as refused:
        ro.assign_voter_booths(payload=command)
    assert refused.value.details["rule"] == "19I(1)"
    assert refused.value.details["closes_at"] == "2025-12-05T00:00:00+05:30"
    assert "is closed" in refused.value.message and "05-12-2025 00:00 IST" in \
        refused.value.message

    # The final list carries them as assigned.
    stack.set_clock("2025-12-06 17:30")
    ro.publish_voter_list(payload={"election_id": election_id, "kind": "final"})
    final = {e["membership_number"]: e["booth"]
             for e in page_numbers(stack, election_id, "final")}
    assert len(final) == 39 and "M0002" not in final and final["M0100"] == 1


def test_a_booth_reports_no_more_votes_than_voters_assigned_to_it(election_stack):
    stack = election_stack
    society_id = stack.add_society()
    stack.set_clock("2025-09-20 10:00")
    booths = [{**b, "voters_assigned": 100} for b in BOOTHS]
    election_id = stack.cea.create_election(payload=seed_order(
        society_id, seats={"general": 2, "women": 1, "sc_st": 1}, booths=booths))["id"]
    stack.sql("INSERT INTO voter (election_id, serial_no, membership_number, name,"
              " category, language, on_list, source) SELECT :e, g, 'V' || g, 'Voter',"
              " 'individual', 'hi', true, 'register' FROM generate_series(1, 250) g",
              e=election_id)
    stack.sql("INSERT INTO voter_list_draw (election_id, status, drawn, requested_by,"
              " started_at) VALUES (:e, 'drawn', 250, 'ro-1', now())", e=election_id)
    general = [_nomination(stack, election_id, "general", f"M{i:04d}") for i in (1, 2, 3)]
    _nomination(stack, election_id, "women", "M0020")
    ro = stack.ro(election_id)
    for officer in ("aro-1", "aro-2"):
        ro.assign_booth_officer(payload={"election_id": election_id, "booth_number": 3,
                                         "account_id": officer, "name": officer})
    stack.set_clock("2025-11-24 12:00")
    ro.assign_voter_booths(payload={"election_id": election_id, "rule": "serial_order"})

    stack.set_clock("2026-01-07 09:00")
    aro = stack.aro(election_id, "aro-1")
    with pytest.raises(InvalidInput) as refused:       # 100 ordered, 50 assigned
        aro.enter_booth_result(payload=_figures(election_id, 3, general, [10, 10, 10],
                                                cast=51))
    assert refused.value.fields["votes_cast"].startswith("51 exceeds the booth's 50 voters")
    entered = aro.enter_booth_result(payload=_figures(election_id, 3, general, [10, 10, 10],
                                                      cast=50))
    assert entered["status"] == "awaiting_second_entry"
