"""The office bearers' meeting as data, over the real broker and PostgreSQL: after the
board's result is declared the RO records the meeting of the new board (when, where, the
elected directors present, who chaired it) and the votes per contested post, with a draw
of lots at a tie; refused inputs name their rule and leave nothing behind; Form 19N is
printed from the record and the declaration that follows carries its votes."""

from __future__ import annotations

import uuid

import pytest

from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound, OutsideWindow
from tests.services.integration.elections_kit import seed_order

BOOTHS = [{"number": n, "location": f"Booth {n}, Kolhapur", "district": "Kolhapur",
           "state": "Maharashtra", "voters_assigned": 100} for n in (1, 2)]
MEETING_AT = "2026-01-16T11:30:00+05:30"


def _nomination(stack, election_id, category, number, name, contest="board"):
    nomination_id = str(uuid.uuid4())
    stack.sql(
        "INSERT INTO nomination (id, election_id, contest, category, membership_number,"
        " candidate_name, relative_name, identity_digest, central_govt_employee,"
        " filed_by, filed_at, status) VALUES (:id, :e, :c, :cat, :m, :n, :r, :d, false,"
        " 'ro-1', now(), 'accepted')",
        id=nomination_id, e=election_id, c=contest, cat=category, m=number, n=name,
        r=f"Father of {name}", d=uuid.uuid4().hex)
    return nomination_id


def _board_declared(stack, *, check_before=False):
    """An election whose board (G1, G2, G3 general, W1 women; elected unopposed) is
    declared, with G1 and G2 standing for chairman and G3 alone for vice chairman."""
    society_id = stack.add_society()
    stack.set_clock("2025-09-20 10:00")
    election_id = stack.cea.create_election(payload=seed_order(
        society_id, seats={"general": 3, "women": 1, "sc_st": 1}, booths=BOOTHS))["id"]
    for i in (1, 2, 3):
        _nomination(stack, election_id, "general", f"M000{i}", f"G{i}")
    _nomination(stack, election_id, "women", "M0020", "W1")
    ro = stack.ro(election_id)
    stack.set_clock("2026-01-07 09:00")
    form = ro.submit_form(payload={"election_id": election_id, "form": "19M"})
    stack.cea.decide_form(payload={"election_id": election_id, "form_id": form["id"],
                                   "decision": "approve", "reason": "In order."})
    stack.set_clock("2026-01-12 10:00")
    if check_before:   # the meeting is of the new board: after its declaration
        with pytest.raises(Conflict) as refused:
            ro.record_ob_meeting(payload=_meeting(election_id, {str(uuid.uuid4()): 1}))
        assert "rule 19N(1)" in refused.value.message
    ro.declare_result(payload={"election_id": election_id})
    posts = {
        "g1": _nomination(stack, election_id, "chairman", "M0001", "G1", "office_bearer"),
        "g2": _nomination(stack, election_id, "chairman", "M0002", "G2", "office_bearer"),
        "g3": _nomination(stack, election_id, "vice_chairman", "M0003", "G3",
                          "office_bearer"),
    }
    return election_id, posts


def _meeting(election_id, votes, *, present=("M0001", "M0002", "M0003", "M0020"),
             draw=None, **extra):
    chairman = {"votes": votes}
    if draw:
        chairman["draw"] = draw
    return {"election_id": election_id, "meeting_at": MEETING_AT,
            "venue": "Head office, Tararani Chowk, Kolhapur",
            "directors_present": list(present), "chaired_by_ro": True,
            "posts": {"chairman": chairman}, **extra}


def _nothing_kept(stack):
    assert stack.sql("SELECT count(*) FROM ob_meeting")[0][0] == 0
    assert stack.sql("SELECT count(*) FROM tie_decision WHERE contest = 'office_bearer'"
                     )[0][0] == 0
    assert stack.sql("SELECT count(*) FROM audit_entry"
                     " WHERE action = 'office_bearers_meeting_recorded'")[0][0] == 0


def test_refused_meetings_name_the_rule_and_keep_nothing(election_stack):
    stack = election_stack
    election_id, c = _board_declared(stack, check_before=True)
    ro = stack.ro(election_id)
    good = _meeting(election_id, {c["g1"]: 3, c["g2"]: 1})

    # Before the meeting's window opens (16-01-2026 from 11:00 IST).
    stack.set_clock("2026-01-16 10:00")
    with pytest.raises(OutsideWindow) as refused:
        ro.record_ob_meeting(payload=good)
    assert refused.value.details["stage"] == "ob_meeting"
    assert "16-01-2026, from 11:00 IST" in refused.value.message

    stack.set_clock("2026-01-16 12:00")
    # Only the RO records it.
    with pytest.raises(Forbidden):
        stack.aro(election_id).record_ob_meeting(payload=good)

    # Only elected directors vote; a director listed twice; a candidate not on the post's
    # list (G3 stands for vice chairman); G2 left out; votes for the unopposed post.
    bad = _meeting(election_id, {c["g1"]: 2, c["g3"]: 1},
                   present=("M0001", "M0001", "M0099"))
    bad["posts"]["vice_chairman"] = {"votes": {c["g3"]: 2}}
    with pytest.raises(InvalidInput) as refused:
        ro.record_ob_meeting(payload=bad)
    fields = refused.value.fields
    assert "rule 19N(1): only the elected directors vote" in fields["directors_present.2"]
    assert "M0001 is listed twice" in fields["directors_present.1"]
    assert fields[f"posts.chairman.votes.{c['g3']}"] == \
        "not a candidate on this post's final contesting list"
    assert "G2 is on the post's final contesting list" in \
        fields[f"posts.chairman.votes.{c['g2']}"]
    assert "rule 19N(4)" in fields["posts.vice_chairman"]
    assert "nothing was kept" in refused.value.message
    _nothing_kept(stack)

    # More votes for the post than directors present.
    with pytest.raises(InvalidInput) as refused:
        ro.record_ob_meeting(payload=_meeting(election_id, {c["g1"]: 3, c["g2"]: 1},
                                              present=("M0001", "M0002", "M0003")))
    assert refused.value.fields["posts.chairman.votes"].startswith(
        "4 votes exceed the 3 elected directors present")
    # A contested post left out; a meeting in the future.
    with pytest.raises(InvalidInput) as refused:
        ro.record_ob_meeting(payload={**good, "posts": {},
                                      "meeting_at": "2026-01-16T15:00:00+05:30"})
    assert refused.value.fields["posts.chairman"] == "missing: the votes of a contested post"
    assert "in the future" in refused.value.fields["meeting_at"]

    # A tie for the post is settled only by a draw of lots among the tied.
    tied = {c["g1"]: 2, c["g2"]: 2}
    with pytest.raises(InvalidInput) as refused:
        ro.record_ob_meeting(payload=_meeting(election_id, tied))
    assert refused.value.fields["posts.chairman.draw"] == (
        "tied at 2 votes: G1, G2; record the RO's draw of lots")
    with pytest.raises(InvalidInput) as refused:
        ro.record_ob_meeting(payload=_meeting(election_id, tied, draw={
            "winners": [c["g3"]], "note": "Lots drawn."}))
    assert "among those tied" in refused.value.fields["posts.chairman.draw"]
    with pytest.raises(InvalidInput) as refused:
        ro.record_ob_meeting(payload=_meeting(election_id, {c["g1"]: 3, c["g2"]: 1},
                                              draw={"winners": [c["g1"]],
                                                    "note": "Lots drawn."}))
    assert "no tie" in refused.value.fields["posts.chairman.draw"]
    _nothing_kept(stack)
    with pytest.raises(NotFound):       # nothing recorded: nothing to read
        stack.cea.get_ob_meeting(payload={"election_id": election_id})


def test_form_19n_is_printed_from_the_recorded_meeting(election_stack):
    stack = election_stack
    election_id, c = _board_declared(stack)
    ro = stack.ro(election_id)
    stack.set_clock("2026-01-16 12:00")

    # A tie, settled by the RO's draw of lots: G2.
    first = ro.record_ob_meeting(payload=_meeting(
        election_id, {c["g1"]: 2, c["g2"]: 2},
        draw={"winners": [c["g2"]], "note": "Lots drawn by the RO before the board: G2."}))
    chairman = first["posts"]["chairman"]
    assert [(x["candidate_name"], x["votes"], x["elected"])
            for x in chairman["candidates"]] == [("G2", 2, True), ("G1", 2, False)]
    assert chairman["draw"]["winners"] == [c["g2"]]
    assert first["posts"]["vice_chairman"]["unopposed"] is True
    assert first["directors_in_office"] == 4 and len(first["directors_present"]) == 4

    # Recorded again (the votes re-read): it replaces the record, the draw goes.
    again = ro.record_ob_meeting(payload=_meeting(
        election_id, {c["g1"]: 2, c["g2"]: 1}, present=("M0001", "M0002", "M0020")))
    assert again["posts"]["chairman"]["draw"] is None
    assert stack.sql("SELECT count(*) FROM tie_decision WHERE contest = 'office_bearer'"
                     )[0][0] == 0
    read = stack.cea.get_ob_meeting(payload={"election_id": election_id})
    assert [d["membership_number"] for d in read["directors_present"]] == [
        "M0001", "M0002", "M0020"]
    assert read["chair_name"] == "District Collector Kolhapur"
    audited = stack.sql("SELECT changes FROM audit_entry"
                        " WHERE action = 'office_bearers_meeting_recorded' ORDER BY id")
    assert len(audited) == 2
    assert audited[1][0]["votes"] == {"chairman": {c["g1"]: 2, c["g2"]: 1}}
    assert audited[1][0]["directors_present"] == ["M0001", "M0002", "M0020"]

    # The RO's checklist: item 19 (the RO chaired the meeting, 19N(2)) done by the record.
    item = {i["item"]: i for i in ro.ro_checklist(payload={"election_id": election_id})[
        "items"]}[19]
    assert item["status"] == "done" and item["done_on"] == "2026-01-16"

    # Form 19N from the record alone; what the form is given for the meeting is not used.
    body = ro.generate_form_19n(payload={"election_id": election_id, "venue": "Elsewhere",
                                         "attended": 1})["body"]
    a = body["section_a"]
    assert body["meeting"] == "recorded"
    assert a["viii_meeting_at"] == "16-01-2026 11:30 IST" and a["date_of_poll"] == "16-01-2026"
    assert a["ix_venue"] == "Head office, Tararani Chowk, Kolhapur"
    assert a["x_incumbent_directors"] == 4 and a["xi_attended"] == 3
    assert a["iv_chaired_by_ro"] == "Yes" and a["ii_a_polling_held"] == "Yes"
    rows = a["6_candidates"]["chairman"]
    assert [(r["candidate_name"], r["votes"], r["recommended"]) for r in rows] == [
        ("G1", 2, "Yes"), ("G2", 1, "No")]
    assert a["6_candidates"]["vice_chairman"][0]["elected_unopposed"] == "Unopposed"
    assert a["xiii_polled_posts"] == ["Chairman"]

    # Once Form 19N is submitted the record stands (19N(4)); after the declaration, for
    # good (19N(6)).
    form = ro.submit_form(payload={"election_id": election_id, "form": "19N"})
    with pytest.raises(Conflict) as refused:
        ro.record_ob_meeting(payload=_meeting(election_id, {c["g1"]: 1, c["g2"]: 2}))
    assert "rule 19N(4)" in refused.value.message
    stack.cea.decide_form(payload={"election_id": election_id, "form_id": form["id"],
                                   "decision": "approve", "reason": "In order."})
    declared = ro.declare_office_bearers(payload={"election_id": election_id})
    assert [(e["candidate_name"], e["votes"]) for e in declared["elected"]] == [
        ("G1", 2), ("G3", "unopposed")]
    with pytest.raises(Conflict) as refused:
        ro.record_ob_meeting(payload=_meeting(election_id, {c["g1"]: 1, c["g2"]: 2}))
    assert "rule 19N(6)" in refused.value.message
    assert refused.value.details["rule"] == "19N(6)"
    assert stack.sql("SELECT votes FROM ob_meeting")[0][0] == {c["g1"]: 2, c["g2"]: 1}
    # The declaration's event, through the outbox, carries the votes as recorded.
    event = stack.sql("SELECT payload FROM outbox_message"
                      " WHERE event_type = 'election_result_declared' ORDER BY id")[-1][0]
    assert event["contest"] == "office_bearer"
    assert [(e["candidate_name"], e["votes"]) for e in event["elected"]] == [
        ("G1", 2), ("G3", "unopposed")]
