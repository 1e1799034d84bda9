"""Seed 003 replayed at its own size through the real gateway, registry and elections
service on the real broker and PostgreSQL: 30,644 voters (30,466 individuals and 178
firms) on the list drawn as on 31 March 2025, from a register that also holds members
admitted later and members who ceased before it; 35 booths (31 in Maharashtra, 4 in
Karnataka) filled in serial order; 19 seats (General 16, Women 2, SC/ST 1); Annexure I's
programme by the rehearsal clock. Every step by HTTP as the role that takes it, with the
edge cases the seed's rules decide: a non-voter's and a duplicate nomination refused,
one rejected at scrutiny with its reason, two withdrawn, the SC/ST seat unopposed, a tie
for the last general seat settled only by the RO's draw of lots, one booth's two entries
differing and reconciled, Form 19M's arithmetic, no declaration before the CEA's
approval, and the new board in the register; then the office bearers: a director not
elected refused, the chairman's post contested and voted at the meeting the RO records,
the vice chairman unopposed, Form 19N from that record, approved before the office
bearers are declared and the register shows them."""

from __future__ import annotations

import csv
import io
import time
import zlib
from collections.abc import Iterator

import pytest

from services.elections.nominations.identity import with_check_digit
from tests.e2e.harness import DomainStack
from tests.services.integration.elections_kit import ist, seed_order

INDIVIDUALS, FIRMS = 30_466, 178
VOTERS = INDIVIDUALS + FIRMS
SOCIETY = "veershaiv003"


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[DomainStack]:
    running = DomainStack(tmp_path_factory.mktemp("seed003-stack"), "elections",
                          ELECTIONS_CLOCK="adjustable")
    try:
        yield running.start()
    finally:
        running.close()


def _ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json()


def _at(stack, cea, moment: str) -> None:
    _ok(stack.http.put("/v1/elections/clock", headers=cea,
                       json={"at": ist(moment).isoformat()}))


def _register_csv() -> str:
    """The society's register: the 30,644 voters-to-be, two members who ceased before
    31 March 2025 (ceased below) and three admitted after it."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["membership_number", "name", "category", "admission_date", "phone",
                     "language"])
    for n in range(1, VOTERS + 3):
        firm = n > INDIVIDUALS + 2
        writer.writerow([f"M{n:06d}", f"{'Firm' if firm else 'Member'} {n}",
                         "firm" if firm else "individual", "2012-06-01",
                         f"9{n:09d}", "hi"])
    for n in range(1, 4):
        writer.writerow([f"L{n:05d}", f"Late Member {n}", "individual", "2025-06-01",
                         f"8{n:09d}", "hi"])
    return out.getvalue()


def _wait_drawn(stack, base: str, ro: dict) -> dict:
    deadline = time.monotonic() + 120
    while (status := _ok(stack.http.get(f"{base}/voter-list", headers=ro)))["status"] \
            == "drawing" and time.monotonic() < deadline:
        time.sleep(0.25)
    return status


def test_seed_003_at_its_own_size_from_the_register_to_the_new_board(stack):
    society_id = stack.society(SOCIETY, "Shri Veershaiv Cooperative Bank Limited")
    cea = stack.token("cea_official")
    registrar = stack.token("registrar")
    rep = stack.token("society_representative", "society", society_id)
    members = f"/v1/societies/{society_id}/members"

    # The register: 30,649 rows in one CSV upload, all or nothing.
    job = _ok(stack.http.post(f"{members}/import", headers={
        **registrar, "Content-Type": "text/csv"}, content=_register_csv().encode(),
        timeout=300), 201)
    assert job["imported"] == VOTERS + 5 and job["bad_row_count"] == 0
    for number in ("M000001", "M000002"):       # ceased before the cut-off
        [member] = _ok(stack.http.get(members, headers=registrar,
                                      params={"q": number}))["items"]
        _ok(stack.http.post(f"{members}/{member['member_id']}/cease", headers=registrar,
                            json={"cessation_date": "2024-12-31", "reason": "resigned"}))

    # The CEA's order of 19-09-2025: 19 seats, 35 booths, Annexure I.
    _at(stack, cea, "2025-09-20 10:00")
    election_id = _ok(stack.http.post("/v1/elections", headers=cea, json=seed_order(
        society_id, number="107/2025-26")), 201)["id"]
    base = f"/v1/elections/{election_id}"
    ro = stack.token("returning_officer", "election", election_id)
    aro = stack.token("assistant_returning_officer", "election", election_id)
    aro2 = stack.token("assistant_returning_officer", "election", election_id)
    for booth in range(1, 36):
        for officer in (aro, aro2):
            _ok(stack.http.post(f"{base}/booths/{booth}/officers", headers=ro, json={
                "account_id": officer["X-Account-Id"], "name": "Assistant RO"}), 201)

    # The list as on 31 March 2025: neither the ceased nor the admitted later.
    _at(stack, cea, "2025-11-24 11:30")
    assert stack.http.post(f"{base}/voter-list/draw", headers=aro).status_code == 202
    status = _wait_drawn(stack, base, ro)
    assert status["status"] == "drawn" and status["on_list"] == VOTERS, status
    assigned = _ok(stack.http.post(f"{base}/voter-list/booths", headers=ro,
                                   json={"rule": "serial_order"}))
    assert [b["voters_assigned"] for b in assigned["booths"]] == \
        [900] * 31 + [700] * 3 + [VOTERS - 31 * 900 - 3 * 700]
    _ok(stack.http.post(f"{base}/voter-list/publish", headers=ro,
                        json={"kind": "provisional"}))

    # An objection to a name, upheld; one to delete a voter, dismissed.
    _at(stack, cea, "2025-11-26 12:00")
    corrected = _ok(stack.http.post(f"{base}/objections", headers=rep, json={
        "kind": "correct", "membership_number": "M000010",
        "name": "Member Ten Patil", "grounds": "Surname left out."}), 201)
    kept = _ok(stack.http.post(f"{base}/objections", headers=rep, json={
        "kind": "delete", "membership_number": "M000011",
        "grounds": "Said to have ceased."}), 201)
    _at(stack, cea, "2025-12-02 12:00")
    _ok(stack.http.post(f"{base}/objections/{corrected['id']}/decision", headers=ro,
                        json={"decision": "upheld", "reason": "Share certificate seen."}))
    _ok(stack.http.post(f"{base}/objections/{kept['id']}/decision", headers=ro,
                        json={"decision": "dismissed",
                              "reason": "No cessation order on record."}))
    _at(stack, cea, "2025-12-06 17:30")
    final = _ok(stack.http.post(f"{base}/voter-list/publish", headers=ro,
                                json={"kind": "final"}))
    assert final["entries"] == VOTERS
    exported = stack.http.get(f"{base}/voter-list/final/export.csv", timeout=120).text
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert len(rows) == VOTERS
    assert sum(r["category"] == "firm" for r in rows) == FIRMS
    numbers = {r["membership_number"] for r in rows}
    assert "M000003" in numbers and not numbers & {"M000001", "M000002", "L00001"}
    assert {r["booth"] for r in rows} == {str(n) for n in range(1, 36)}
    assert next(r for r in rows if r["membership_number"] == "M000010")["name"] == \
        "Member Ten Patil"

    # Nominations in their window, by voters on the final list only, once each.
    _at(stack, cea, "2025-12-09 12:00")

    def nominate(number: str, category: str, contest: str = "board", **extra):
        return stack.http.post(f"{base}/nominations", headers=rep, json={
            "contest": contest, "category": category, "membership_number": number,
            "candidate_name": f"Candidate {number}",
            "aadhaar": with_check_digit(f"7{zlib.crc32(number.encode()):010d}"),
            **extra})

    general = [f"M{n:06d}" for n in range(101, 121)]
    women = [f"M{n:06d}" for n in range(201, 204)]
    ids = {number: _ok(nominate(number, "general"), 201)["id"] for number in general}
    ids |= {number: _ok(nominate(number, "women"), 201)["id"] for number in women}
    ids["M000301"] = _ok(nominate("M000301", "sc_st"), 201)["id"]
    late = nominate("L00001", "general")           # admitted after 31 March 2025
    assert late.status_code in (409, 422) and "final" in late.text, late.text
    again = nominate("M000101", "general")
    assert again.status_code == 409, again.text

    # Displayed; scrutiny rejects one with its reason; the valid list.
    _at(stack, cea, "2025-12-15 17:30")
    _ok(stack.http.post(f"{base}/nominations/display", headers=ro, json={}))
    _at(stack, cea, "2025-12-16 12:00")
    no_reason = stack.http.post(f"{base}/nominations/{ids['M000120']}/decision",
                                headers=ro, json={"decision": "reject"})
    assert no_reason.status_code == 422, no_reason.text
    _ok(stack.http.post(f"{base}/nominations/{ids['M000120']}/decision", headers=ro, json={
        "decision": "reject", "reasons": ["The proposer's signature does not match."]}))
    for number, nomination_id in ids.items():
        if number != "M000120":
            _ok(stack.http.post(f"{base}/nominations/{nomination_id}/decision",
                                headers=ro, json={"decision": "accept"}))
    _at(stack, cea, "2025-12-16 17:30")
    _ok(stack.http.post(f"{base}/nominations/valid-list", headers=ro, json={}))

    # Two general candidates withdraw; 17 stand for 16 seats, 3 for 2, SC/ST unopposed.
    _at(stack, cea, "2025-12-17 12:00")
    for number in ("M000118", "M000119"):
        _ok(stack.http.post(f"{base}/nominations/{ids[number]}/withdrawal", headers=rep))
    _at(stack, cea, "2025-12-17 17:30")
    _ok(stack.http.post(f"{base}/nominations/contesting-list", headers=ro, json={}))
    contesting = _ok(stack.http.get(f"{base}/nominations/contesting"))
    assert {c: len(v) for c, v in contesting["candidates"].items()} == {
        "general": 17, "women": 3, "sc_st": 1}
    summary = contesting["summary"]
    assert summary["general"] | {"elected_unopposed": []} == {
        "seats": 16, "received": 20, "pending": 0, "rejected": 1, "withdrawn": 2,
        "contesting": 17, "unopposed": False, "elected_unopposed": [], "vacant": 0}
    assert summary["sc_st"]["unopposed"] is True
    assert [c["membership_number"] for c in summary["sc_st"]["elected_unopposed"]] == [
        "M000301"]

    # The count on 07-01-2026: two officers enter each of the 35 booths. The 16th and
    # 17th general candidates are level in every booth, so tied at the end; booth 7's
    # second entry differs and goes to the RO.
    standing = general[:17]
    booth_voters = {b["number"]: b["voters_assigned"] for b in assigned["booths"]}

    def figures(booth: int) -> dict:
        cast = booth_voters[booth] * 6 // 10
        rejected = booth % 4
        valid = cast - rejected
        votes = {ids[n]: valid - (k * valid) // 40 for k, n in enumerate(standing)}
        votes[ids[standing[16]]] = votes[ids[standing[15]]]
        votes |= {ids[women[0]]: valid // 2, ids[women[1]]: valid * 2 // 5,
                  ids[women[2]]: valid * 3 // 10}
        return {"votes_cast": cast, "rejected": rejected, "votes": votes}

    _at(stack, cea, "2026-01-07 09:00")
    outsider = stack.token("assistant_returning_officer", "election", election_id)
    assert stack.http.post(f"{base}/booths/1/results", headers=outsider,
                           json=figures(1)).status_code == 403
    too_many = {**figures(35), "votes_cast": booth_voters[35] + 1}
    refused = stack.http.post(f"{base}/booths/35/results", headers=aro, json=too_many)
    assert refused.status_code == 422
    assert f"exceeds the booth's {booth_voters[35]} voters" in refused.json()["error"][
        "details"]["fields"]["votes_cast"]
    for booth in range(1, 36):
        first = figures(booth)
        _ok(stack.http.post(f"{base}/booths/{booth}/results", headers=aro, json=first), 201)
        second = first if booth != 7 else {
            **first, "votes": {**first["votes"], ids[standing[0]]:
                               first["votes"][ids[standing[0]]] - 10}}
        _ok(stack.http.post(f"{base}/booths/{booth}/results", headers=aro2, json=second),
            201)
    queue = _ok(stack.http.get(f"{base}/reconciliation", headers=ro))
    assert [b["booth_number"] for b in queue["items"]] == [7]
    assert stack.http.get(f"{base}/result", headers=ro).status_code == 409
    _ok(stack.http.put(f"{base}/reconciliation/7", headers=ro, json={
        **figures(7), "reason": "Recounted before the candidates' agents."}))

    # The tie for the last general seat is the RO's to settle, by a recorded draw.
    tied = stack.http.get(f"{base}/result", headers=ro)
    body = tied.json()
    assert body["complete"] is False and body["elected"] == []
    assert body["votes_cast"] == sum(figures(b)["votes_cast"] for b in range(1, 36))
    [tie] = body["ties"]
    assert set(tie["tied"]) == {ids["M000116"], ids["M000117"]}
    assert tie["remaining_seats"] == 1
    early = stack.http.post(f"{base}/forms/19M", headers=ro, json={})
    assert early.status_code == 409, early.text
    outside = stack.http.post(f"{base}/ties/general", headers=ro, json={
        "winners": [ids["M000115"]], "note": "Lots drawn before the candidates."})
    assert outside.status_code == 422, outside.text
    _ok(stack.http.post(f"{base}/ties/general", headers=ro, json={
        "winners": [ids["M000117"]],
        "note": "Lots drawn by the RO before both candidates and their agents."}), 201)
    result = _ok(stack.http.get(f"{base}/result", headers=ro))
    assert result["complete"] is True
    elected = [e["membership_number"] for e in result["elected"]]
    assert len(elected) == 19 and "M000116" not in elected
    assert set(elected) == set(general[:15]) | {"M000117", women[0], women[1], "M000301"}

    # Form 19M from the data; its arithmetic holds; no declaration before approval.
    preview = _ok(stack.http.post(f"{base}/forms/19M/preview", headers=ro, json={}))
    form_body = preview["body"]
    assert all(check["holds"] for check in form_body["checks"]), form_body["checks"]
    assert "general: received (20) = rejected (1) + withdrawn (2) + contesting (17)" in [
        check["equation"] for check in form_body["checks"]]
    section_a = form_body["section_a"]
    assert (section_a["x_eligible_voters"], section_a["xi_votes_cast"],
            section_a["xii_votes_rejected"]) == (VOTERS, body["votes_cast"], body["rejected"])
    assert section_a["xiii_unopposed"] == {"general": 0, "women": 0, "sc_st": 1}
    assert section_a["xiv_polled"] == {"general": 16, "women": 2, "sc_st": 0}
    form = _ok(stack.http.post(f"{base}/forms/19M", headers=ro, json={}), 201)
    _at(stack, cea, "2026-01-12 11:00")
    before = stack.http.post(f"{base}/declarations/board", headers=ro)
    assert before.status_code == 409, before.text
    _ok(stack.http.post(f"{base}/forms/{form['id']}/decision", headers=cea, json={
        "decision": "approve", "reason": "Election held as per the programme."}))
    declared = _ok(stack.http.post(f"{base}/declarations/board", headers=ro), 201)
    assert len(declared["elected"]) == 19

    # The registry records the new board of 19.
    deadline = time.monotonic() + 30
    while True:
        entry = _ok(stack.http.get(f"/v1/societies/{society_id}/register-entry",
                                   headers=registrar))
        if entry.get("board") or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    assert sorted(d["membership_number"] for d in entry["board"]["directors"]) == \
        sorted(elected)

    # The office bearers: only directors elected in the approved 19M stand.
    _at(stack, cea, "2026-01-15 10:00")
    ob = {}
    for number, post in (("M000101", "chairman"), ("M000102", "chairman"),
                         ("M000103", "vice_chairman")):
        ob[number] = _ok(nominate(number, post, "office_bearer",
                                  director_kind="elected"), 201)["id"]
    loser = nominate("M000116", "chairman", "office_bearer", director_kind="elected")
    assert loser.status_code in (409, 422), loser.text
    assert "not a director elected in Form 19M" in loser.json()["error"]["details"][
        "fields"]["membership_number"]
    _at(stack, cea, "2026-01-15 13:00")
    for nomination_id in ob.values():
        _ok(stack.http.post(f"{base}/nominations/{nomination_id}/decision", headers=ro,
                            json={"decision": "accept"}))
    _at(stack, cea, "2026-01-15 16:30")
    _ok(stack.http.post(f"{base}/nominations/contesting-list", headers=ro,
                        json={"contest": "office_bearer"}))

    # The meeting of the new board, as the RO records it; Form 19N from the record.
    _at(stack, cea, "2026-01-16 12:30")
    meeting = _ok(stack.http.put(f"{base}/office-bearers/meeting", headers=ro, json={
        "meeting_at": ist("2026-01-16 11:30").isoformat(),
        "venue": "Head office, Kolhapur", "directors_present": elected,
        "chaired_by_ro": True,
        "posts": {"chairman": {"votes": {ob["M000101"]: 12, ob["M000102"]: 7}}}}))
    assert meeting["directors_in_office"] == 19 and len(meeting["directors_present"]) == 19
    assert meeting["posts"]["vice_chairman"]["unopposed"] is True
    preview = _ok(stack.http.post(f"{base}/forms/19N/preview", headers=ro, json={}))
    n_body = preview["body"]
    assert all(check["holds"] for check in n_body["checks"]), n_body["checks"]
    assert (n_body["section_a"]["x_incumbent_directors"],
            n_body["section_a"]["xi_attended"]) == (19, 19)
    assert [(e["membership_number"], e["votes"]) for e in n_body["elected"]] == [
        ("M000101", 12), ("M000103", "unopposed")]
    form_n = _ok(stack.http.post(f"{base}/forms/19N", headers=ro, json={}), 201)
    too_soon = stack.http.post(f"{base}/declarations/office_bearers", headers=ro)
    assert too_soon.status_code == 409, too_soon.text
    _ok(stack.http.post(f"{base}/forms/{form_n['id']}/decision", headers=cea, json={
        "decision": "approve", "reason": "Meeting held as per rule 19N."}))
    _ok(stack.http.post(f"{base}/declarations/office_bearers", headers=ro), 201)

    # The register shows the chairman and the vice chairman of the new board.
    deadline = time.monotonic() + 30
    while True:
        entry = _ok(stack.http.get(f"/v1/societies/{society_id}/register-entry",
                                   headers=registrar))
        if entry["board"].get("office_bearers") or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    assert [(o["membership_number"], o["category"]) for o in
            entry["board"]["office_bearers"]] == [("M000101", "chairman"),
                                                  ("M000103", "vice_chairman")]
