"""The election pages in a real browser over the real elections service (its rehearsal
clock standing at each stage), JavaScript off: the Returning Officer sees the programme
with what is open and next, decides an objection (refused beside the form while the
scrutiny window is closed, in English and in Hindi, then recorded), scrutinises the
nominations (a rejection without reasons refused), an ARO enters the booths assigned to
them, the RO reconciles the booth whose two entries differ, previews and submits Form
19M, and the CEA approves it with reasons; after the board's declaration the RO
records the office bearers' meeting (a tie without its draw and no venue refused in
Hindi beside their fields, a meeting before its window refused by the service beside
the day, then recorded with the draw of lots) and Form 19N is printed from the record.
Then every page at 360 and 1280 px in English and Hindi, axe-core clean."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest

from tests.browser.conftest import PortalStack, each_width_and_language
from tests.browser.test_portal_sign_in import sign_in_by_password
from tests.services.integration.elections_kit import ist, seed_order

pytestmark = pytest.mark.timeout(900)

# votes cast, then the three general candidates' votes: 11 ballots, 11 voters
FIGURES = {1: (4, 3, 1, 0), 2: (4, 2, 1, 1), 3: (3, 2, 1, 0)}


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[PortalStack]:
    running = PortalStack(tmp_path_factory.mktemp("portal-elections"), "elections",
                          ELECTIONS_CLOCK="adjustable")
    try:
        yield running.start()
    finally:
        running.close()


def _ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json()


class Election:
    """Seed 003's programme, small: 12 members, 3 booths, 2 general seats, 1 women's
    (unopposed), 1 SC/ST (vacant). The steps the pages do not take go over the API."""

    def __init__(self, stack: PortalStack):
        self.stack, self.http = stack, stack.http
        self.cea = stack.token("cea_official")
        society_id = stack.society(f"poll{uuid.uuid4().hex[:8]}",
                                   "Poll Urban Cooperative Bank")
        self.rep = stack.token("society_representative", "society", society_id)
        rows = "".join(f"M{n:04d},Member {n:02d},individual,2015-06-01\n"
                       for n in range(1, 13))
        imported = _ok(self.http.post(
            f"/v1/societies/{society_id}/members/import",
            content=("membership_number,name,category,admission_date\n" + rows).encode(),
            headers={**self.rep, "Content-Type": "text/csv"}), 201)
        assert imported["imported"] == 12
        self.at("2025-09-20 10:00")
        booths = [{"number": n, "location": f"Booth {n}, Kolhapur", "district": "Kolhapur",
                   "state": "Maharashtra", "voters_assigned": 4} for n in (1, 2, 3)]
        self.id = _ok(self.http.post("/v1/elections", headers=self.cea, json=seed_order(
            society_id, number="110/2025-26", booths=booths,
            seats={"general": 2, "women": 1, "sc_st": 1})), 201)["id"]
        self.base = f"/v1/elections/{self.id}"
        self.ro = stack.token("returning_officer", "election", self.id)
        make = stack.kit.make_account
        self.ro_account = make(role="returning_officer", scope_kind="election",
                               scope_id=self.id)
        self.aro_account = make(role="assistant_returning_officer", scope_kind="election",
                                scope_id=self.id)
        self.cea_account = make(role="cea_official")
        self.aro2 = stack.token("assistant_returning_officer", "election", self.id)
        for booth in (1, 2, 3):
            for account_id in (self.aro_account["id"], self.aro2["X-Account-Id"]):
                _ok(self.http.post(f"{self.base}/booths/{booth}/officers", headers=self.ro,
                                   json={"account_id": account_id, "name": "Assistant RO"}),
                    201)
        self.nominations: dict[int, str] = {}
        self.objection = ""

    def at(self, moment: str) -> None:
        _ok(self.http.put("/v1/elections/clock", headers=self.cea,
                          json={"at": ist(moment).isoformat()}))

    def provisional_list_and_an_objection(self) -> None:
        self.at("2025-11-24 11:30")
        assert self.http.post(f"{self.base}/voter-list/draw", headers=self.ro).status_code \
            == 202
        deadline = time.monotonic() + 20
        while _ok(self.http.get(f"{self.base}/voter-list", headers=self.ro))["status"] \
                == "drawing" and time.monotonic() < deadline:
            time.sleep(0.2)
        _ok(self.http.post(f"{self.base}/voter-list/publish", headers=self.ro,
                           json={"kind": "provisional"}))
        self.at("2025-11-26 12:00")
        self.objection = _ok(self.http.post(f"{self.base}/objections", headers=self.rep, json={
            "kind": "delete", "membership_number": "M0012",
            "grounds": "Ceased before 31 March."}), 201)["id"]

    def final_list_and_nominations(self) -> None:
        from services.elections.nominations.identity import with_check_digit

        self.at("2025-12-06 17:30")
        _ok(self.http.post(f"{self.base}/voter-list/publish", headers=self.ro,
                           json={"kind": "final"}))
        self.at("2025-12-09 12:00")
        for number, category in ((1, "general"), (2, "general"), (3, "general"),
                                 (4, "women")):
            self.nominations[number] = _ok(self.http.post(
                f"{self.base}/nominations", headers=self.rep, json={
                    "category": category, "membership_number": f"M{number:04d}",
                    "candidate_name": f"Member {number:02d}",
                    "aadhaar": with_check_digit(f"{2 + number % 8}{number:010d}")}), 201)["id"]
        self.at("2025-12-15 17:30")
        _ok(self.http.post(f"{self.base}/nominations/display", headers=self.ro, json={}))
        self.at("2025-12-16 12:00")

    def contesting_list(self) -> None:
        self.at("2025-12-16 17:30")
        _ok(self.http.post(f"{self.base}/nominations/valid-list", headers=self.ro, json={}))
        self.at("2025-12-17 17:30")
        _ok(self.http.post(f"{self.base}/nominations/contesting-list", headers=self.ro,
                           json={}))
        self.at("2026-01-07 09:00")

    def board_declared_and_office_bearer_candidates(self) -> None:
        """The board declared after the CEA's approval of Form 19M; Member 01 and 02
        stand for chairman, Member 04 for vice-chairman (unopposed)."""
        declared = _ok(self.http.post(f"{self.base}/declarations/board", headers=self.ro),
                       201)
        assert sorted(e["membership_number"] for e in declared["elected"]) == [
            "M0001", "M0002", "M0004"]
        from services.elections.nominations.identity import with_check_digit

        self.at("2026-01-15 10:00")
        self.ob_nominations = {"chairman": [], "vice_chairman": []}
        for number, post in ((1, "chairman"), (2, "chairman"), (4, "vice_chairman")):
            self.ob_nominations[post].append(_ok(self.http.post(
                f"{self.base}/nominations", headers=self.rep, json={
                    "contest": "office_bearer", "category": post,
                    "membership_number": f"M{number:04d}",
                    "candidate_name": f"Member {number:02d}", "director_kind": "elected",
                    "aadhaar": with_check_digit(f"{2 + number % 8}{number:010d}")}),
                201)["id"])
        self.at("2026-01-15 13:00")
        for ids in self.ob_nominations.values():
            for nomination_id in ids:
                _ok(self.http.post(f"{self.base}/nominations/{nomination_id}/decision",
                                   headers=self.ro, json={"decision": "accept"}))
        self.at("2026-01-15 16:30")
        _ok(self.http.post(f"{self.base}/nominations/contesting-list", headers=self.ro,
                           json={"contest": "office_bearer"}))
        self.at("2026-01-16 12:30")

    def second_entries(self) -> None:
        """The other officer's entries; booth 2's differs by one vote."""
        ids = self.nominations
        for booth, (cast, a, b, c) in FIGURES.items():
            shift = 1 if booth == 2 else 0
            _ok(self.http.post(f"{self.base}/booths/{booth}/results", headers=self.aro2, json={
                "votes_cast": cast, "rejected": cast - a - b - c + shift,
                "votes": {ids[1]: a - shift, ids[2]: b, ids[3]: c}}), 201)


@pytest.fixture(scope="module")
def election(stack) -> Election:
    return Election(stack)


def _no_js(browser, stack, username: str, language: str = "en"):
    context = browser.new_context(base_url=stack.base_url, java_script_enabled=False,
                                  viewport={"width": 360, "height": 800})
    page = context.new_page()
    sign_in_by_password(page, username)
    context.add_cookies([{"name": "portal_lang", "value": language, "url": stack.base_url}])
    return context, page


def _main(page) -> str:
    return page.locator("main").inner_text()


def test_the_ro_and_the_cea_run_the_election_without_javascript(browser, stack, election):
    election.provisional_list_and_an_objection()
    context, page = _no_js(browser, stack, election.ro_account["username"])
    try:
        page.goto("/elections")
        page.get_by_role("link", name="Election No. 110/2025-26").click()
        main = _main(page)
        assert "25-11-2025 to 29-11-2025, 11:00 to 15:00 IST each day" in main
        assert "Open now: Objections to the provisional list" in main
        assert "Next: Scrutiny of objections to the provisional list" in main

        # The objection, decided before its scrutiny opens: refused beside the form.
        page.get_by_role("link", name="Objections to the provisional list").click()
        objection = page.locator(f"#objection-{election.objection}")
        objection.get_by_label("Uphold the objection (the list changes)").check()
        objection.get_by_label("Reasons").fill("Cessation order seen.")
        objection.get_by_role("button", name="Record the decision").click()
        refusal = page.locator("#objection-" + election.objection + " .refusal").inner_text()
        assert "Scrutiny of objections to the provisional list has not opened yet" in refusal
        assert "01-12-2025" in refusal
        context.add_cookies([{"name": "portal_lang", "value": "hi", "url": stack.base_url}])
        page.goto(f"/elections/{election.id}/objections")
        objection.get_by_label("आपत्ति स्वीकार करें (सूची बदलेगी)").check()
        objection.get_by_label("कारण").fill("Cessation order seen.")
        objection.get_by_role("button", name="निर्णय दर्ज करें").click()
        assert "आपत्तियों की संवीक्षा अभी खुला नहीं है" in objection.locator(
            ".refusal").inner_text()
        context.add_cookies([{"name": "portal_lang", "value": "en", "url": stack.base_url}])
        page.goto(f"/elections/{election.id}/objections")

        election.at("2025-12-02 12:00")
        objection.get_by_label("Uphold the objection (the list changes)").check()
        objection.get_by_label("Reasons").fill("Cessation order seen.")
        objection.get_by_role("button", name="Record the decision").click()
        assert "The decision is recorded." in _main(page)
        assert "Upheld" in objection.inner_text()

        # Scrutiny: a rejection needs reasons; every nomination accepted.
        election.final_list_and_nominations()
        page.goto(f"/elections/{election.id}/nominations")
        first = page.locator(f"#nomination-{election.nominations[1]}")
        first.get_by_label("Reject the nomination").check()
        first.get_by_role("button", name="Record the scrutiny").click()
        assert "A rejection needs its reasons" in first.inner_text()
        for nomination_id in election.nominations.values():
            item = page.locator(f"#nomination-{nomination_id}")
            item.get_by_label("Accept the nomination").check()
            item.get_by_role("button", name="Record the scrutiny").click()
            assert "Accepted" in page.locator(f"#nomination-{nomination_id}").inner_text()
        election.contesting_list()
    finally:
        context.close()

    # An ARO enters the three booths assigned to them; the other officer's entries differ
    # at booth 2.
    context, page = _no_js(browser, stack, election.aro_account["username"])
    try:
        page.goto(f"/elections/{election.id}")
        page.get_by_role("link", name="Booth results").click()
        assert page.locator("section.booth").count() == 3
        for booth, (cast, a, b, c) in FIGURES.items():
            form = page.locator(f"section[aria-labelledby=booth-{booth}]")
            form.get_by_label("Votes cast").fill(str(cast))
            form.get_by_label("Votes rejected").fill("x" if booth == 1 else
                                                     str(cast - a - b - c))
            for number, votes in zip((1, 2, 3), (a, b, c), strict=True):
                form.get_by_label(f"Votes for Member {number:02d} (General)").fill(str(votes))
            form.get_by_role("button", name=f"Enter booth {booth}").click()
            if booth == 1:  # a figure that is no number is refused beside its field
                form = page.locator("section[aria-labelledby=booth-1]")
                assert "A whole number of votes" in form.inner_text()
                form.get_by_label("Votes rejected").fill("0")
                form.get_by_role("button", name="Enter booth 1").click()
            assert f"Booth {booth}: your entry is recorded" in _main(page)
    finally:
        context.close()
    election.second_entries()

    context, page = _no_js(browser, stack, election.ro_account["username"])
    try:
        page.goto(f"/elections/{election.id}")
        page.get_by_role("link", name="Reconciliation queue").click()
        booth = page.locator("section[aria-labelledby=booth-2]")
        assert page.locator("section.booth").count() == 1
        booth.get_by_label("Votes cast").fill("4")
        booth.get_by_label("Votes rejected").fill("0")
        for number, votes in ((1, 2), (2, 1), (3, 1)):
            booth.get_by_label(f"Votes for Member {number:02d} (General)").fill(str(votes))
        booth.get_by_role("button", name="Record the figure for booth 2").click()
        assert "Why this figure counts" in page.locator(
            "section[aria-labelledby=booth-2]").inner_text()
        assert "3 to 4,000 characters" in _main(page)
        booth = page.locator("section[aria-labelledby=booth-2]")
        booth.get_by_label("Why this figure counts").fill(
            "Counted again before the candidates' agents.")
        booth.get_by_role("button", name="Record the figure for booth 2").click()
        assert "Booth 2: the figure that counts is recorded." in _main(page)

        page.goto(f"/elections/{election.id}/forms")
        page.get_by_role("link", name="Preview Form 19M and send it to the CEA").click()
        main = _main(page)
        assert "(xi) Votes cast" in main and "Member 01" in main
        page.get_by_role("button", name="Submit Form 19M").click()
        assert "Waiting for the CEA" in _main(page)
        form_path = page.url.split(stack.base_url, 1)[1]
    finally:
        context.close()

    election.at("2026-01-12 11:00")
    context, page = _no_js(browser, stack, election.cea_account["username"])
    try:
        page.goto(form_path)
        page.get_by_label("Approve").check()
        page.get_by_role("button", name="Record the decision").click()
        assert "Write the reasons for the decision" in _main(page)
        page.get_by_label("Approve").check()
        page.get_by_label("Reasons").fill("Election held as per procedure.")
        page.get_by_role("button", name="Record the decision").click()
        assert "Approved" in _main(page) and "Election held as per procedure." in _main(page)
    finally:
        context.close()


def test_the_ro_records_the_office_bearers_meeting_and_form_19n_is_printed_from_it(
        browser, stack, election):
    election.board_declared_and_office_bearer_candidates()
    context, page = _no_js(browser, stack, election.ro_account["username"])
    try:
        page.goto(f"/elections/{election.id}")
        page.get_by_role("link", name="The office bearers' meeting").click()
        main = _main(page)
        assert "No office bearers' meeting is recorded yet." in main
        for name in ("Member 01 (M0001, General)", "Member 02 (M0002, General)",
                     "Member 04 (M0004, Women)"):
            assert page.get_by_label(name).is_checked(), name
        assert page.get_by_label("Votes for Member 04").count() == 0   # unopposed

        # A tie without a draw and no venue, told in Hindi beside their fields.
        context.add_cookies([{"name": "portal_lang", "value": "hi", "url": stack.base_url}])
        page.reload()
        page.get_by_label("बैठक का दिन").fill("16-01-2026")
        page.get_by_label("बैठक का समय (IST)").fill("11:30")
        page.get_by_label("Member 01 को मत").fill("1")
        page.get_by_label("Member 02 को मत").fill("1")
        page.get_by_role("button", name="बैठक दर्ज करें").click()
        main = _main(page)
        assert "बैठक कहाँ हुई" in main
        assert "सर्वाधिक मत बराबर हैं" in main
        assert page.get_by_label("Member 01 को मत").input_value() == "1"
        context.add_cookies([{"name": "portal_lang", "value": "en", "url": stack.base_url}])

        # Before the meeting's window opened: only the service knows; beside the day.
        page.goto(f"/elections/{election.id}/office-bearers/meeting")
        page.get_by_label("Day of the meeting").fill("16-01-2026")
        page.get_by_label("Time of the meeting (IST)").fill("10:30")
        page.get_by_label("Venue of the meeting").fill("Head office, Kolhapur")
        page.get_by_label("Votes for Member 01").fill("1")
        page.get_by_label("Votes for Member 02").fill("1")
        post = page.get_by_role("group", name="Votes for the post of Chairman")
        post.get_by_role("checkbox", name="Member 01", exact=True).check()
        page.get_by_label("How the draw of lots was held: who drew, before whom").fill(
            "Drawn by the Returning Officer before the directors present.")
        page.get_by_role("button", name="Record the meeting").click()
        assert "before the meeting's window opens" in page.locator(
            "#e-meeting_day").inner_text()
        assert page.get_by_label("Venue of the meeting").input_value() == \
            "Head office, Kolhapur"
        page.get_by_label("Time of the meeting (IST)").fill("11:30")
        page.get_by_role("button", name="Record the meeting").click()
        main = _main(page)
        assert "The meeting is recorded." in main
        assert "16-01-2026 11:30 IST" in main and "3 of 3" in main
        assert "Decided by the draw of lots: Drawn by the Returning Officer" in main
        assert "Unopposed" in main
        # recording it again starts from the record, its draw included
        post = page.get_by_role("group", name="Votes for the post of Chairman")
        assert post.get_by_role("checkbox", name="Member 01", exact=True).is_checked()
        assert page.get_by_label("Votes for Member 02").input_value() == "1"

        page.get_by_role("link", name="Preview Form 19N from this record").click()
        main = _main(page)
        assert "Form 19N is printed from that record" in main
        assert page.get_by_label("Date and time of the board meeting").count() == 0
        assert "Section A, as it will be sent" in main
    finally:
        context.close()


def test_the_election_pages_fit_both_widths_and_pass_axe(browser, stack, election,
                                                         axe_script):
    base = f"/elections/{election.id}"
    forms = _ok(stack.http.get(f"/v1/elections/{election.id}/forms", headers=election.ro))
    form = forms["items"][0]["id"] if forms["items"] else None

    def as_ro(page, language):
        for name, path in (("elections", "/elections"), ("election", base),
                           ("objections", f"{base}/objections"),
                           ("nominations", f"{base}/nominations"),
                           ("reconciliation", f"{base}/reconciliation"),
                           ("forms", f"{base}/forms"),
                           ("form-19m-preview", f"{base}/forms/19M/preview?peaceful=no"),
                           ("form-19n-preview", f"{base}/forms/19N/preview"),
                           ("ob-meeting", f"{base}/office-bearers/meeting"),
                           ("notice", f"{base}/notice")):
            assert page.goto(path).status in (200, 422), path
            yield name

    def as_aro(page, language):
        page.goto(f"{base}/booths")
        yield "booths"

    def as_cea(page, language):
        page.goto(f"{base}/forms/{form}" if form else f"{base}/forms")
        yield "form-19m"

    problems = each_width_and_language(browser, stack, axe_script, as_ro,
                                       username=election.ro_account["username"])
    problems += each_width_and_language(browser, stack, axe_script, as_aro,
                                        username=election.aro_account["username"])
    problems += each_width_and_language(browser, stack, axe_script, as_cea,
                                        username=election.cea_account["username"])
    assert not problems, "\n".join(problems)
