"""The voter list over the real broker and PostgreSQL: drawn by the service's timer from
the registry's register as on 31 March of the previous financial year (seed 003 para
12), published provisionally, objections filed and decided in their windows (additions
and deletions frozen 30 days before the poll, rule 19I(1)), the final list published
only once every objection is decided, and read page by page."""

from __future__ import annotations

import time
from datetime import date

import eventlet
import pytest

from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound, OutsideWindow
from services.elections.voters import draw
from tests.services.integration.elections_kit import seed_order

OTHER_ELECTION = "0" * 8 + "-0000-0000-0000-" + "0" * 12


def wait_drawn(stack, election_id: str, timeout: float = 20.0) -> dict:
    ro = stack.ro(election_id)
    deadline = time.monotonic() + timeout
    while True:
        status = ro.voter_list_status(payload={"election_id": election_id})
        if status["status"] != "drawing" or time.monotonic() > deadline:
            return status
        eventlet.sleep(0.1)


def register(stack) -> tuple[str, dict]:
    """A society of 40 members admitted in 2015 (the last 6 firms), one admitted after
    31 March 2025, one ceased before it and one ceased after it."""
    society_id = stack.add_society()
    stack.add_members(society_id, 40, firms=6)
    registry = stack.registry
    late = registry.add_member(payload={
        "society_id": society_id, "membership_number": "M0041", "name": "Member M0041",
        "category": "individual", "admission_date": "2025-06-01", "language": "en"})
    members = {m["membership_number"]: m for m in registry.list_members(payload={
        "society_id": society_id, "filters": {"status": "any"}, "limit": 100})["items"]}
    registry.cease_member(payload={
        "society_id": society_id, "member_id": members["M0003"]["member_id"],
        "cessation_date": "2025-01-15", "reason": "death"})
    registry.cease_member(payload={
        "society_id": society_id, "member_id": members["M0004"]["member_id"],
        "cessation_date": "2025-05-01", "reason": "resignation"})
    return society_id, {"late": late["membership_number"]}


def ordered(stack, society_id: str) -> str:
    stack.set_clock("2025-09-20 10:00")
    return stack.cea.create_election(payload=seed_order(society_id))["id"]


def drawn_and_published(stack) -> tuple[str, str]:
    society_id, _ = register(stack)
    election_id = ordered(stack, society_id)
    stack.set_clock("2025-11-24 11:30")
    stack.ro(election_id).draw_voter_list(payload={"election_id": election_id})
    assert wait_drawn(stack, election_id)["status"] == "drawn"
    stack.ro(election_id).publish_voter_list(payload={"election_id": election_id,
                                                      "kind": "provisional"})
    return society_id, election_id


def page_numbers(stack, election_id: str, kind: str, limit: int = 1000) -> list[dict]:
    items, after = [], None
    while True:
        page = stack.as_role("citizen").voter_list_page(payload={
            "election_id": election_id, "kind": kind, "after": after, "limit": limit})
        items += page["items"]
        after = page["next"]
        if after is None:
            return items


def test_the_draw_takes_the_members_active_on_31_march_page_by_page(election_stack,
                                                                     monkeypatch):
    stack = election_stack
    monkeypatch.setattr(draw, "PAGE_SIZE", 7)        # several pages of the register
    society_id, extra = register(stack)
    election_id = ordered(stack, society_id)
    aro, ro = stack.aro(election_id), stack.ro(election_id)

    stack.set_clock("2025-11-24 10:00")              # the stage opens at 11:00
    with pytest.raises(OutsideWindow) as refused:
        aro.draw_voter_list(payload={"election_id": election_id})
    assert refused.value.details["stage"] == "provisional_list"
    assert refused.value.details["window"] == "24-11-2025, from 11:00 IST"
    assert "24-11-2025, from 11:00 IST" in refused.value.message
    assert stack.sql("SELECT count(*) FROM voter_list_draw")[0][0] == 0
    with pytest.raises(NotFound):
        stack.as_role("returning_officer", f"election:{OTHER_ELECTION}").draw_voter_list(
            payload={"election_id": election_id})
    with pytest.raises(Forbidden):
        stack.as_role("society_representative", f"society:{society_id}").draw_voter_list(
            payload={"election_id": election_id})

    stack.set_clock("2025-11-24 11:30")
    started = aro.draw_voter_list(payload={"election_id": election_id})
    assert started["status"] in ("drawing", "drawn")
    assert started["voters_as_on"] == "2025-03-31"
    with pytest.raises(Conflict):
        ro.draw_voter_list(payload={"election_id": election_id})
    status = wait_drawn(stack, election_id)
    assert status["status"] == "drawn"
    assert (status["drawn"], status["on_list"]) == (39, 39)
    assert (status["individuals"], status["firms"], status["societies"]) == (33, 6, 0)
    assert status["requested_by"] == "aro-1"

    voters = ro.list_voters(payload={"election_id": election_id, "limit": 1000})
    numbers = [v["membership_number"] for v in voters["items"]]
    expected = [f"M{i:04d}" for i in range(1, 41) if i != 3]
    assert numbers == expected                       # in membership-number order
    assert [v["serial_no"] for v in voters["items"]] == list(range(1, 40))
    assert extra["late"] not in numbers              # admitted 1 June 2025
    assert "M0003" not in numbers and "M0004" in numbers   # ceased before / after
    assert voters["total"] == 39

    # Filters: category, a prefix of the number or the name; paging by offset.
    society = stack.as_role("society_representative", f"society:{society_id}")
    firms = society.list_voters(payload={"election_id": election_id, "category": "firm"})
    assert [v["membership_number"] for v in firms["items"]] == [
        f"M{i:04d}" for i in range(35, 41)]
    assert [v["membership_number"] for v in society.list_voters(payload={
        "election_id": election_id, "q": "m001"})["items"]] == [
        f"M{i:04d}" for i in range(10, 20)]
    assert society.list_voters(payload={"election_id": election_id,
                                        "q": "member m0040"})["total"] == 1
    first = ro.list_voters(payload={"election_id": election_id, "limit": 10, "offset": 30})
    assert len(first["items"]) == 9 and first["next_offset"] is None
    assert ro.list_voters(payload={"election_id": election_id,
                                   "limit": 10})["next_offset"] == 10
    with pytest.raises(NotFound):
        stack.as_role("society_representative", "society:other").list_voters(
            payload={"election_id": election_id})
    with pytest.raises(InvalidInput) as refused:
        ro.list_voters(payload={"election_id": election_id, "limit": 0, "category": "x"})
    assert set(refused.value.fields) == {"limit", "category"}

    # Not published yet: the public page is not there; the ARO may not publish.
    with pytest.raises(NotFound):
        stack.as_role("citizen").voter_list_page(payload={"election_id": election_id,
                                                          "kind": "provisional"})
    with pytest.raises(Forbidden):
        aro.publish_voter_list(payload={"election_id": election_id, "kind": "provisional"})
    published = ro.publish_voter_list(payload={"election_id": election_id,
                                               "kind": "provisional"})
    assert published["entries"] == 39 and published["kind"] == "provisional_voter_list"
    with pytest.raises(Conflict):
        ro.publish_voter_list(payload={"election_id": election_id, "kind": "provisional"})
    listed = page_numbers(stack, election_id, "provisional", limit=10)
    assert [v["membership_number"] for v in listed] == expected
    assert listed[0] == {"serial_no": 1, "membership_number": "M0001",
                         "name": "Member M0001", "category": "individual",
                         "booth": None}      # no booth until the RO assigns them
    assert ro.programme_status(payload={"election_id": election_id})["overdue"] == []
    trail = [e["action"] for e in stack.cea.election_audit(
        payload={"election_id": election_id})["items"]]
    assert trail[:3] == ["provisional_voter_list_published", "voter_list_drawn",
                         "voter_list_draw_requested"]
    # The final list waits for its own window.
    with pytest.raises(OutsideWindow) as refused:
        ro.publish_voter_list(payload={"election_id": election_id, "kind": "final"})
    assert refused.value.details["stage"] == "final_list"


def test_objections_are_filed_decided_and_reflected_in_the_final_list(election_stack):
    stack = election_stack
    society_id, election_id = drawn_and_published(stack)
    ro, aro = stack.ro(election_id), stack.aro(election_id)
    society = stack.as_role("society_representative", f"society:{society_id}")

    def file(who, kind, number, **more):
        return who.file_objection(payload={"election_id": election_id, "kind": kind,
                                           "membership_number": number,
                                           "grounds": "The register says otherwise.",
                                           **more})

    # Before the objections window (provisional list day), and after its daily hours.
    with pytest.raises(OutsideWindow) as refused:
        file(society, "delete", "M0005")
    assert refused.value.details["stage"] == "objections"
    stack.set_clock("2025-11-25 16:00")
    with pytest.raises(OutsideWindow) as refused:
        file(society, "delete", "M0005")
    assert refused.value.details["window"] == \
        "25-11-2025 to 29-11-2025, 11:00 to 15:00 IST each day"

    stack.set_clock("2025-11-25 12:00")
    add = file(society, "add", "M0041", name="Member M0041", category="individual",
               filed_by_member="M0010")
    delete = file(society, "delete", "M0005")
    correct = file(society, "correct", "M0007", name="Smt. Kamala Devi Patil")
    dismissed = file(aro, "add", "M0099", name="Someone Else", category="firm")
    later = file(ro, "add", "M0098", name="Another Member", category="individual")
    assert add["status"] == "pending" and add["filed_by_member"] == "M0010"
    assert correct["details"] == {"name": "Smt. Kamala Devi Patil",
                                  "was": {"name": "Member M0007", "category": "individual"}}
    for kind, number, field in (("delete", "M0003", "membership_number"),   # not listed
                                ("add", "M0001", "membership_number")):    # listed
        with pytest.raises(InvalidInput) as refused:
            file(society, kind, number, **({"name": "X Y", "category": "individual"}
                                          if kind == "add" else {}))
        assert field in refused.value.fields
    with pytest.raises(InvalidInput):
        file(society, "add", "M0200")                  # an addition names name/category
    with pytest.raises(InvalidInput) as refused:
        society.file_objection(payload={"election_id": election_id, "kind": "delete",
                                        "membership_number": "M0006", "grounds": ""})
    assert "grounds" in refused.value.fields
    with pytest.raises(NotFound):
        file(stack.as_role("society_representative", "society:other"), "delete", "M0006")
    with pytest.raises(NotFound):
        file(stack.as_role("returning_officer", f"election:{OTHER_ELECTION}"), "delete",
             "M0006")
    pending = society.list_objections(payload={"election_id": election_id,
                                               "status": "pending", "limit": 3})
    assert [o["id"] for o in pending["items"]] == [add["id"], delete["id"], correct["id"]]
    assert pending["next_offset"] == 3

    def decide(who, objection, decision="upheld"):
        return who.decide_objection(payload={
            "election_id": election_id, "objection_id": objection["id"],
            "decision": decision, "reason": "Checked against the register of members."})

    with pytest.raises(OutsideWindow) as refused:     # scrutiny opens on 1 December
        decide(ro, add)
    assert refused.value.details["stage"] == "objection_scrutiny"
    stack.set_clock("2025-12-01 12:00")
    with pytest.raises(Forbidden):
        decide(aro, add)
    with pytest.raises(Forbidden):
        decide(society, add)
    with pytest.raises(NotFound):
        decide(stack.as_role("returning_officer", f"election:{OTHER_ELECTION}"), add)
    assert stack.sql("SELECT status FROM voter_objection WHERE id = :i",
                     i=add["id"])[0][0] == "pending"           # nothing changed
    assert decide(ro, add)["status"] == "upheld"
    assert decide(ro, delete)["decided_by"] == "ro-1"
    decide(ro, correct)
    assert decide(ro, dismissed, "dismissed")["status"] == "dismissed"
    with pytest.raises(Conflict):
        decide(ro, add)                                        # decided once

    # From 5 December (30 days before the poll of 4 January) no addition or deletion.
    stack.set_clock("2025-12-05 12:00")
    with pytest.raises(Conflict) as refused:
        decide(ro, later)
    assert "19I(1)" in refused.value.message and "05-12-2025" in refused.value.message
    assert refused.value.details["rule"] == "19I(1)"
    assert stack.sql("SELECT count(*) FROM voter WHERE membership_number = 'M0098'"
                     )[0][0] == 0
    stack.set_clock("2025-12-10 12:00")
    with pytest.raises(Conflict) as refused:
        file(society, "delete", "M0006")                       # even were a window open
    assert refused.value.details["rule"] == "19I(1)"

    # The final list waits for every objection.
    stack.set_clock("2025-12-06 17:30")
    with pytest.raises(Conflict) as refused:
        ro.publish_voter_list(payload={"election_id": election_id, "kind": "final"})
    assert refused.value.details == {"pending": 1}
    assert "1 objection(s)" in refused.value.message
    assert stack.sql("SELECT count(*) FROM publication WHERE kind = 'final_voter_list'"
                     )[0][0] == 0
    stack.set_clock("2025-12-05 12:30")
    decide(ro, later, "dismissed")                             # dismissing adds nothing
    stack.set_clock("2025-12-06 17:30")
    published = ro.publish_voter_list(payload={"election_id": election_id, "kind": "final"})
    assert published["entries"] == 39                          # +1 added, -1 struck off
    events = stack.sql("SELECT payload FROM outbox_message WHERE event_type = "
                       "'election_stage_published' ORDER BY id")
    assert [(e[0]["stage"], e[0]["title"]) for e in events] == [
        ("provisional_list", "Publication of the provisional list of voters"),
        ("final_list", "Publication of the final list of voters")]
    assert events[1][0]["election_id"] == election_id and events[1][0]["title_hi"]

    final = page_numbers(stack, election_id, "final", limit=15)
    numbers = [v["membership_number"] for v in final]
    assert "M0005" not in numbers and numbers[-1] == "M0041"
    assert final[-1] == {"serial_no": 40, "membership_number": "M0041",
                         "name": "Member M0041", "category": "individual",
                         "booth": None}
    assert next(v for v in final if v["membership_number"] == "M0007")["name"] == \
        "Smt. Kamala Devi Patil"
    assert "M0099" not in numbers and "M0098" not in numbers
    struck = ro.list_voters(payload={"election_id": election_id, "q": "M0005",
                                     "include_struck_off": True})["items"]
    assert struck[0]["on_list"] is False and struck[0]["changed_by_objection"] == delete["id"]
    assert ro.list_voters(payload={"election_id": election_id, "q": "M0005"})["total"] == 0
    status = ro.voter_list_status(payload={"election_id": election_id})
    assert status["on_list"] == 39 and status["final_published_at"] is not None
    decided = society.list_objections(payload={"election_id": election_id,
                                               "status": "upheld"})["items"]
    assert {o["kind"] for o in decided} == {"add", "delete", "correct"}
    actions = [e["action"] for e in stack.cea.election_audit(
        payload={"election_id": election_id, "limit": 100})["items"]]
    assert actions.count("voter_objection_decided") == 5
    assert actions.count("voter_objection_filed") == 5


def test_final_voter_is_on_the_published_final_list_only(election_stack):
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from services.elections.voters.lists import final_voter

    stack = election_stack
    _, election_id = drawn_and_published(stack)
    engine = create_engine(stack.elections_url)
    try:
        with Session(engine) as session:
            assert final_voter(session, election_id, "M0001") is None   # provisional only
        stack.set_clock("2025-12-06 17:30")
        stack.ro(election_id).publish_voter_list(payload={"election_id": election_id,
                                                          "kind": "final"})
        with Session(engine) as session:
            assert final_voter(session, election_id, "M0001").name == "Member M0001"
            assert final_voter(session, election_id, "M0003") is None    # ceased
            assert final_voter(session, election_id, "M0041") is None    # admitted late
    finally:
        engine.dispose()
    assert date.fromisoformat(stack.ro(election_id).voter_list_status(
        payload={"election_id": election_id})["voters_as_on"]) == date(2025, 3, 31)
