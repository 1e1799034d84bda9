"""Elections through the real gateway, the registry and the elections service as
processes on the real broker and PostgreSQL: the CEA orders seed 003's election, its
officers reach it and no other, anyone reads the published programme, and the
programme's windows answer by the rehearsal clock."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest

from tests.e2e.harness import DomainStack
from tests.services.integration.elections_kit import ist, seed_order


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[DomainStack]:
    running = DomainStack(tmp_path_factory.mktemp("elections-stack"), "elections",
                          ELECTIONS_CLOCK="adjustable")
    try:
        yield running.start()
    finally:
        running.close()


def test_the_cea_orders_an_election_and_only_its_officers_run_it(stack):
    society_id = stack.society("veershaiv", "Shri Veershaiv Cooperative Bank Limited")
    cea = stack.token("cea_official")
    clock = stack.http.put("/v1/elections/clock", headers=cea,
                           json={"at": ist("2025-09-20 10:00").isoformat()})
    assert clock.status_code == 200, clock.text

    bad = stack.http.post("/v1/elections", headers=cea,
                          json={**seed_order(society_id), "number": "107"})
    assert bad.status_code == 422
    assert "number" in bad.json()["error"]["details"]["fields"]
    refused = stack.http.post("/v1/elections", headers=stack.token("registrar"),
                              json=seed_order(society_id))
    assert refused.status_code == 403

    created = stack.http.post("/v1/elections", headers=cea,
                              json=seed_order(society_id, number="107/2025-26"))
    assert created.status_code == 201, created.text
    election_id = created.json()["id"]
    assert created.json()["programme"]["next"] == "provisional_list"

    ro = stack.token("returning_officer", "election", election_id)
    other_ro = stack.token("returning_officer", "election", "0" * 8 + "-0000-0000-0000-" + "0" * 12)
    assert stack.http.get(f"/v1/elections/{election_id}", headers=ro).status_code == 200
    assert stack.http.get(f"/v1/elections/{election_id}",
                          headers=other_ro).status_code == 404
    assert stack.http.post(f"/v1/elections/{election_id}/booths/1/officers", headers=ro,
                           json={"account_id": "aro-1", "name": "S. Kulkarni"}
                           ).status_code == 201
    aro = stack.token("assistant_returning_officer", "election", election_id)
    assert stack.http.post(f"/v1/elections/{election_id}/booths/2/officers", headers=aro,
                           json={"account_id": "aro-2", "name": "R. Desai"}
                           ).status_code == 403

    # Anyone reads the programme as published, without the officers.
    public = stack.http.get(f"/v1/elections/{election_id}/public")
    assert public.status_code == 200
    assert all(b["officers"] == [] for b in public.json()["booths"])

    # The clock in the objections window: the RO sees it open, the CEA sees it overdue.
    stack.http.put("/v1/elections/clock", headers=cea,
                   json={"at": ist("2025-11-26 12:00").isoformat()})
    status = stack.http.get(f"/v1/elections/{election_id}/programme", headers=ro).json()
    assert status["open"] == ["objections"] and status["overdue"] == ["provisional_list"]
    board = stack.http.get("/v1/elections/dashboard", headers=cea)
    assert board.status_code == 200 and board.json()["overdue_count"] == 1
    assert stack.http.get("/v1/elections/dashboard", headers=ro).status_code == 403
    mine = stack.http.get("/v1/elections", headers=stack.token(
        "society_representative", "society", society_id)).json()
    assert [e["id"] for e in mine["items"]] == [election_id]
    trail = stack.http.get(f"/v1/elections/{election_id}/audit", headers=ro).json()
    assert {e["action"] for e in trail["items"]} >= {"election_ordered",
                                                     "booth_officer_assigned"}


def test_the_checklist_and_remuneration_over_http(stack):
    society_id = stack.society("kolhapurdairy", "Kolhapur Zilla Dudh Utpadak Sangh")
    cea = stack.token("cea_official")
    stack.http.put("/v1/elections/clock", headers=cea,
                   json={"at": ist("2025-09-20 10:00").isoformat()})
    created = stack.http.post("/v1/elections", headers=cea,
                              json=seed_order(society_id, number="108/2025-26"))
    assert created.status_code == 201, created.text
    election_id = created.json()["id"]
    ro = stack.token("returning_officer", "election", election_id)
    aro = stack.token("assistant_returning_officer", "election", election_id)
    other_ro = stack.token("returning_officer", "election", "1" * 8 + "-0000-0000-0000-" + "0" * 12)

    listed = stack.http.get(f"/v1/elections/{election_id}/checklist", headers=ro)
    assert listed.status_code == 200 and len(listed.json()["items"]) == 21
    assert stack.http.get(f"/v1/elections/{election_id}/checklist",
                          headers=other_ro).status_code == 404
    entry = {"done_on": "2025-09-20", "note": "Met the CEO at the head office."}
    assert stack.http.put(f"/v1/elections/{election_id}/checklist/1", headers=aro,
                          json=entry).status_code == 403
    done = stack.http.put(f"/v1/elections/{election_id}/checklist/1", headers=ro, json=entry)
    assert done.status_code == 200, done.text
    assert done.json()["items"][0]["status"] == "done"
    assert stack.http.put(f"/v1/elections/{election_id}/checklist/22", headers=ro,
                          json=entry).status_code == 422

    claim = {"kind": "returning_officer", "name": "Amol Yedge",
             "designation": "District Collector", "service": "IAS", "pan": "ABCPY1234",
             "bank_account": {"account_number": "00112233445566", "bank_name": "SBI",
                              "branch": "Kolhapur", "ifsc": "SBIN0000456"},
             "cancelled_cheque_document_id": "2" * 8 + "-0000-0000-0000-" + "0" * 12,
             "basic_pay": "93000", "days": 15}
    bad = stack.http.post(f"/v1/elections/{election_id}/remuneration", headers=ro, json=claim)
    assert bad.status_code == 422 and "pan" in str(bad.json()["error"]["details"]["fields"])
    early = stack.http.post(f"/v1/elections/{election_id}/remuneration", headers=ro,
                            json={**claim, "pan": "ABCPY1234K"})
    assert early.status_code == 409 and "declared" in early.json()["error"]["message"]
    accounts = stack.http.get(f"/v1/elections/{election_id}/expense-accounts", headers=cea)
    assert accounts.status_code == 200 and accounts.json()["window"] is None


def _at(stack, cea, moment: str) -> None:
    answer = stack.http.put("/v1/elections/clock", headers=cea,
                            json={"at": ist(moment).isoformat()})
    assert answer.status_code == 200, answer.text


def _ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json()


def test_an_election_replayed_through_the_api_from_the_register_to_the_new_board(stack):
    """Seed 003's programme, small: 12 members, 3 booths, 2 general seats, 1 women's,
    1 SC/ST left vacant; every step by HTTP as the role that takes it."""
    import time

    from services.elections.nominations.identity import with_check_digit

    society_id = stack.society("replaybank", "Replay Urban Cooperative Bank")
    cea = stack.token("cea_official")
    registrar = stack.token("registrar")
    rep = stack.token("society_representative", "society", society_id)
    for n in range(1, 13):
        _ok(stack.http.post(f"/v1/societies/{society_id}/members", headers=registrar, json={
            "membership_number": f"M{n:04d}", "name": f"Member {n:02d}",
            "category": "individual", "admission_date": "2015-06-01",
            "phone": f"98{n:08d}", "language": "hi"}), 201)

    _at(stack, cea, "2025-09-20 10:00")
    booths = [{"number": n, "location": f"Booth {n}, Kolhapur", "district": "Kolhapur",
               "state": "Maharashtra", "voters_assigned": 4} for n in (1, 2, 3)]
    election_id = _ok(stack.http.post("/v1/elections", headers=cea, json=seed_order(
        society_id, number="109/2025-26", booths=booths,
        seats={"general": 2, "women": 1, "sc_st": 1})), 201)["id"]
    base = f"/v1/elections/{election_id}"
    ro = stack.token("returning_officer", "election", election_id)
    aro = stack.token("assistant_returning_officer", "election", election_id)
    aro2 = stack.token("assistant_returning_officer", "election", election_id)
    for booth in (1, 2, 3):
        for officer in (aro, aro2):
            _ok(stack.http.post(f"{base}/booths/{booth}/officers", headers=ro, json={
                "account_id": officer["X-Account-Id"], "name": "Assistant RO"}), 201)

    # The voter list: drawn as on 31 March, provisional, an objection, final.
    _at(stack, cea, "2025-11-24 11:30")
    assert stack.http.post(f"{base}/voter-list/draw", headers=aro).status_code == 202
    deadline = time.monotonic() + 20
    while (status := _ok(stack.http.get(f"{base}/voter-list", headers=ro)))["status"] \
            == "drawing" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert status["status"] == "drawn" and status["on_list"] == 12
    # The RO places the voters in the booths in serial order, 4 to each.
    assigned = _ok(stack.http.post(f"{base}/voter-list/booths", headers=ro,
                                   json={"rule": "serial_order"}))
    assert [b["voters_assigned"] for b in assigned["booths"]] == [4, 4, 4]
    _ok(stack.http.post(f"{base}/voter-list/publish", headers=ro, json={"kind": "provisional"}))
    early = stack.http.post(f"{base}/objections", headers=rep, json={
        "kind": "delete", "membership_number": "M0012", "grounds": "Ceased before 31 March."})
    assert early.status_code == 409 and early.json()["error"]["details"]["stage"] == "objections"
    _at(stack, cea, "2025-11-26 12:00")
    objection = _ok(stack.http.post(f"{base}/objections", headers=rep, json={
        "kind": "delete", "membership_number": "M0012",
        "grounds": "Ceased before 31 March."}), 201)
    _at(stack, cea, "2025-12-02 12:00")
    _ok(stack.http.post(f"{base}/objections/{objection['id']}/decision", headers=ro,
                        json={"decision": "upheld", "reason": "Cessation order seen."}))
    _at(stack, cea, "2025-12-06 17:30")
    final = _ok(stack.http.post(f"{base}/voter-list/publish", headers=ro, json={"kind": "final"}))
    assert final["entries"] == 11
    csv_text = stack.http.get(f"{base}/voter-list/final/export.csv").text
    assert "M0011" in csv_text and "M0012" not in csv_text
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert rows[0][-1] == "booth"           # M0012's place in booth 3 freed by the objection
    assert [r[-1] for r in rows[1:]] == ["1"] * 4 + ["2"] * 4 + ["3"] * 3

    # Nominations: filed in the window by voters on the final list only.
    _at(stack, cea, "2025-12-09 12:00")

    def nominate(number: int, category: str):
        return stack.http.post(f"{base}/nominations", headers=rep, json={
            "category": category, "membership_number": f"M{number:04d}",
            "candidate_name": f"Member {number:02d}",
            "aadhaar": with_check_digit(f"{2 + number % 8}{number:010d}")})

    ids = {n: _ok(nominate(n, c), 201)["id"] for n, c in
           ((1, "general"), (2, "general"), (3, "general"), (4, "women"))}
    struck = nominate(12, "general")
    assert struck.status_code in (409, 422) and "final" in struck.text
    _at(stack, cea, "2025-12-15 17:30")
    _ok(stack.http.post(f"{base}/nominations/display", headers=ro, json={}))
    _at(stack, cea, "2025-12-16 12:00")
    for nomination_id in ids.values():
        _ok(stack.http.post(f"{base}/nominations/{nomination_id}/decision", headers=ro,
                            json={"decision": "accept"}))
    _at(stack, cea, "2025-12-16 17:30")
    _ok(stack.http.post(f"{base}/nominations/valid-list", headers=ro, json={}))
    _at(stack, cea, "2025-12-17 17:30")
    _ok(stack.http.post(f"{base}/nominations/contesting-list", headers=ro, json={}))

    # The count: two officers per booth, one mismatch reconciled by the RO.
    _at(stack, cea, "2026-01-07 09:00")
    # votes cast, then M0001, M0002, M0003: 11 ballots for the 11 voters on the list
    figures = {1: (4, 3, 1, 0), 2: (4, 2, 1, 1), 3: (3, 2, 1, 0)}
    over = stack.http.post(f"{base}/booths/3/results", headers=aro, json={
        "votes_cast": 4, "rejected": 1, "votes": {ids[1]: 2, ids[2]: 1, ids[3]: 0}})
    assert over.status_code == 422      # 3 voters are assigned to booth 3 (the order: 4)
    assert "exceeds the booth's 3 voters" in over.json()["error"]["details"]["fields"][
        "votes_cast"]
    for booth, (cast, a, b, c) in figures.items():
        for officer in (aro, aro2):
            shift = 1 if booth == 2 and officer is aro2 else 0
            _ok(stack.http.post(f"{base}/booths/{booth}/results", headers=officer, json={
                "votes_cast": cast, "rejected": cast - a - b - c + shift,
                "votes": {ids[1]: a - shift, ids[2]: b, ids[3]: c}}), 201)
    pending = stack.http.get(f"{base}/result", headers=ro)
    assert pending.status_code == 409, pending.text
    queue = _ok(stack.http.get(f"{base}/reconciliation", headers=ro))
    assert [b["booth_number"] for b in queue["items"]] == [2]
    _ok(stack.http.put(f"{base}/reconciliation/2", headers=ro, json={
        "votes_cast": 4, "rejected": 0, "votes": {ids[1]: 2, ids[2]: 1, ids[3]: 1},
        "reason": "Counted again before the candidates' agents."}))
    result = _ok(stack.http.get(f"{base}/result", headers=ro))
    assert [e["nomination_id"] for e in result["elected"]] == [ids[1], ids[2], ids[4]]

    # Form 19M to the CEA; no declaration before its approval; then the board.
    preview = _ok(stack.http.post(f"{base}/forms/19M/preview", headers=ro, json={}))
    assert preview["body"]["section_a"]["xi_votes_cast"] == 11
    form = _ok(stack.http.post(f"{base}/forms/19M", headers=ro, json={}), 201)
    _at(stack, cea, "2026-01-12 11:00")
    refused = stack.http.post(f"{base}/declarations/board", headers=ro)
    assert refused.status_code == 409, refused.text
    assert stack.http.post(f"{base}/forms/{form['id']}/decision", headers=ro, json={
        "decision": "approve", "reason": "In order."}).status_code == 403
    _ok(stack.http.post(f"{base}/forms/{form['id']}/decision", headers=cea, json={
        "decision": "approve", "reason": "Election held as per procedure."}))
    declared = _ok(stack.http.post(f"{base}/declarations/board", headers=ro), 201)
    assert [e["candidate_name"] for e in declared["elected"]] == [
        "Member 01", "Member 02", "Member 04"]

    # The registry records the new board; the public page shows it.
    deadline = time.monotonic() + 20
    while True:
        page = _ok(stack.http.get(f"/v1/societies/{society_id}/register-entry",
                                  headers=registrar))
        if page.get("board") or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert [d["membership_number"] for d in page["board"]["directors"]] == [
        "M0001", "M0002", "M0004"]
