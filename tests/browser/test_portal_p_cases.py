"""The case pages in a real browser, over the real grievance service and registry: a
citizen signed in by one-time code raises a grievance against a society (the form's
mistakes told beside their fields first), the society's office finds it in its case
queue and assigns it, and the citizen sees the step; another office's officer is told
the case is not found; a court case's status is public. The walk runs with JavaScript
off; the queue, a case, the grievance form and the court case status are checked at
360 and 1280 px in English and Hindi, axe-core clean. (Named to run after the
in-process portal tests: a Playwright run before them leaves an event loop running.)"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest

from services.common.india import INDIA
from tests.browser.conftest import PortalStack, each_width_and_language
from tests.browser.test_portal_sign_in import sign_in_by_password

OFFICE = "mp"


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[PortalStack]:
    running = PortalStack(tmp_path_factory.mktemp("portal-cases"), "grievance")
    try:
        yield running.start()
    finally:
        running.close()


@pytest.fixture(scope="module")
def society(stack) -> str:
    return stack.society(f"cs{uuid.uuid4().hex[:8]}", "Sahyog Credit Co-operative Society",
                         office_id=OFFICE)


@pytest.fixture(scope="module")
def officers(stack) -> dict[str, str]:
    return {name: stack.kit.make_account(role="dealing_officer", scope_kind="office",
                                         scope_id=office)["username"]
            for name, office in (("here", OFFICE), ("elsewhere", "wb"))}


def _context(browser, stack, javascript: bool = False):
    return browser.new_context(base_url=stack.base_url, java_script_enabled=javascript,
                               viewport={"width": 360, "height": 800})


def sign_in_by_code(page, stack) -> None:
    page.goto("/sign-in")
    page.get_by_label("E-mail address or mobile number").fill(
        f"case-{uuid.uuid4().hex[:8]}@example.in")
    page.get_by_role("button", name="Send me a code").click()
    page.wait_for_url(re.compile(r"/sign-in/code\?"))
    challenge = parse_qs(urlparse(page.url).query)["challenge"][0]
    page.get_by_label("One-time code").fill(stack.otp_for(challenge))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/me")


def raise_grievance(page, society: str) -> str:
    """The form from my page, a mistake first, then the grievance: its case's path."""
    page.get_by_role("link", name="Raise a grievance").click()
    page.get_by_label("Society id").fill(society)
    page.get_by_label("A member of the society").check()
    page.get_by_label("Subject").fill("x")
    page.get_by_role("button", name="Raise the grievance").click()
    main = page.locator("main").inner_text()
    assert "Write a subject of 3 to 300 characters." in main
    assert "Choose what the grievance is about." in main
    assert page.get_by_label("Subject").get_attribute("aria-invalid") == "true"
    page.get_by_label("What it is about").select_option("accounts_and_dividend")
    page.get_by_label("Subject").fill("Dividend for 2025 not credited")
    page.get_by_label("What happened").fill("The dividend declared in September was "
                                            "never credited to my account.")
    page.get_by_role("button", name="Raise the grievance").click()
    page.wait_for_url(re.compile(r"/cases/[0-9a-f-]{36}\?raised=1"))
    assert "has been received" in page.locator("main").inner_text()
    return urlparse(page.url).path


def test_a_citizen_raises_a_grievance_and_the_office_assigns_it(browser, stack, society,
                                                                  officers):
    citizen = _context(browser, stack)
    officer = _context(browser, stack)
    outsider = _context(browser, stack)
    try:
        page = citizen.new_page()
        sign_in_by_code(page, stack)
        case_path = raise_grievance(page, society)
        number = page.get_by_role("heading", level=1).inner_text().split()[-1]
        assert "Received" in page.locator("dl.facts").inner_text()
        page.goto("/cases")
        assert page.get_by_role("link", name=number).count() == 1

        desk = officer.new_page()
        sign_in_by_password(desk, officers["here"])
        desk.get_by_role("link", name="Case queue").click()
        row = desk.locator("table.cases tbody tr", has_text=number)
        assert "days left" in row.inner_text()
        row.get_by_role("link", name=number).click()
        # a step without what it needs is told beside its field
        desk.get_by_role("button", name="Assign to an officer").click()
        assert "Name the officer the case is assigned to." in desk.locator(
            "main").inner_text()
        desk.get_by_label("Officer's id").fill("do-mp-7")
        desk.get_by_label("Note").fill("Taken up at the grievance cell.")
        desk.get_by_role("button", name="Assign to an officer").click()
        desk.wait_for_url(re.compile(r"\?done=assign$"))
        facts = desk.locator("dl.facts").inner_text()
        assert "Assigned to an officer" in facts and "do-mp-7" in facts
        assert "Taken up at the grievance cell." in desk.locator("table.history").inner_text()
        assert desk.get_by_role("button", name="Assign to an officer").count() == 1

        page.goto(case_path)
        assert "Assigned to an officer" in page.locator("dl.facts").inner_text()
        assert page.get_by_role("button", name="Assign to an officer").count() == 0
        assert page.get_by_role("button", name="Withdraw").count() == 1

        other = outsider.new_page()
        sign_in_by_password(other, officers["elsewhere"])
        answer = other.goto(case_path)
        assert answer.status == 404
        other.goto("/cases")
        assert other.get_by_role("link", name=number).count() == 0
    finally:
        for context in (citizen, officer, outsider):
            context.close()


def test_a_court_cases_status_is_public(browser, stack):
    registrar = stack.token("registrar", "office", OFFICE)
    number = f"W.P. {uuid.uuid4().int % 10000}/2026"
    recorded = stack.http.post("/v1/court-cases", headers=registrar, json={
        "number": number, "court": "High Court of Madhya Pradesh",
        "petitioners": ["A Society"], "respondents": ["Registrar"],
        "subject": "Supersession", "description": "Writ against supersession."})
    assert recorded.status_code == 201, recorded.text
    context = _context(browser, stack)
    try:
        page = context.new_page()
        page.goto("/")
        page.get_by_role("link", name="Court case status").first.click()
        page.get_by_label("Case number").fill(number)
        page.get_by_role("button", name="Show").click()
        assert "High Court of Madhya Pradesh" in page.locator("main").inner_text()
        page.get_by_label("Case number").fill("W.P. 0/1900")
        page.get_by_role("button", name="Show").click()
        assert "No court case" in page.locator("main").inner_text()
    finally:
        context.close()


def test_the_office_fixes_a_hearing_and_passes_orders_on_a_court_case(browser, stack,
                                                                      officers):
    """A court case recorded over the API; the office's officer fixes its hearing (a
    day that does not exist told beside its field first), passes an interim order, reads
    the case's audit trail, then disposes of it with a final order: the forms are gone,
    and the office's queue (open cases by default) lists it among the closed ones."""
    registrar = stack.token("registrar", "office", OFFICE)
    number = f"W.P. {uuid.uuid4().int % 10000}/2027"
    recorded = stack.http.post("/v1/court-cases", headers=registrar, json={
        "number": number, "court": "High Court of Madhya Pradesh",
        "petitioners": ["A Society"], "respondents": ["Registrar"],
        "subject": "Supersession of the board", "description": "Writ against it."})
    assert recorded.status_code == 201, recorded.text
    case_path = f"/cases/{recorded.json()['id']}"
    context = _context(browser, stack)
    try:
        desk = context.new_page()
        sign_in_by_password(desk, officers["here"])
        desk.goto(case_path)
        hearing = desk.locator("#hearing-form")
        day = (datetime.now(INDIA) + timedelta(days=14)).strftime("%d-%m-%Y")
        hearing.get_by_label("Day of the hearing").fill("31-02-2027")
        hearing.get_by_label("Time (IST)").fill("11:00")
        hearing.get_by_label("Place").fill("Court room 3, Jabalpur")
        hearing.get_by_label("Purpose").fill("Arguments on the stay")
        hearing.get_by_role("button", name="Fix the hearing").click()
        hearing = desk.locator("#hearing-form")
        assert "The day of the hearing, as 15-01-2027." in hearing.inner_text()
        assert hearing.get_by_label("Place").input_value() == "Court room 3, Jabalpur"
        hearing.get_by_label("Day of the hearing").fill(day)
        hearing.get_by_role("button", name="Fix the hearing").click()
        desk.wait_for_url(re.compile(r"\?fixed=hearing$"))
        assert "The hearing is fixed" in desk.locator("main").inner_text()
        hearings = desk.locator("section[aria-labelledby=hearings]").inner_text()
        assert day in hearings and "Court room 3, Jabalpur" in hearings
        assert "Hearing" in desk.locator("dl.facts").inner_text()

        order = desk.locator("#order-form")
        order.get_by_label("Date of the order").fill(datetime.now(INDIA).strftime("%d-%m-%Y"))
        order.get_by_label("What the order says").fill("Interim stay on the supersession.")
        order.get_by_label("Interim: the case goes on").check()
        order.get_by_role("button", name="Record the order").click()
        desk.wait_for_url(re.compile(r"\?fixed=order$"))
        assert "Interim stay on the supersession." in desk.locator(
            "section[aria-labelledby=orders]").inner_text()

        desk.get_by_role("link", name="Audit trail of this case").click()
        trail = desk.locator("table.audit").inner_text()
        assert "Court case recorded" in trail and "Hearing fixed" in trail
        assert "Order recorded" in trail
        desk.go_back()

        order = desk.locator("#order-form")
        order.get_by_label("Date of the order").fill(datetime.now(INDIA).strftime("%d-%m-%Y"))
        order.get_by_label("What the order says").fill("Writ disposed of.")
        order.get_by_label("Final: it disposes of the case").check()
        order.get_by_role("button", name="Record the order").click()
        desk.wait_for_url(re.compile(r"\?fixed=order$"))
        assert "Disposed of" in desk.locator("dl.facts").inner_text()
        assert desk.locator("#order-form").count() == 0
        assert desk.locator("#hearing-form").count() == 0
        # the office's queue is its open cases, soonest deadline first: the disposed
        # case is among the closed ones only
        case_number = recorded.json()["number"]
        desk.goto("/cases")
        assert desk.get_by_label("Sort by").input_value() == "due"
        assert desk.get_by_role("link", name=case_number).count() == 0
        desk.get_by_label("Show").select_option("closed")
        desk.get_by_role("button", name="Show").click()
        assert desk.get_by_role("link", name=case_number).count() == 1
    finally:
        context.close()


def test_the_case_pages_at_both_widths_and_in_both_languages(browser, stack, axe_script,
                                                             society, officers):
    representative = stack.kit.make_account(role="society_representative",
                                            scope_kind="society", scope_id=society)
    rep = stack.token("society_representative", "society", society)
    raised = stack.http.post("/v1/grievances", headers=rep, json={
        "complainant_type": "member", "against_type": "board_member",
        "against_name": "The treasurer", "society_id": society, "category": "management",
        "subject": "Minutes not shared", "description": "The minutes were not shared."})
    assert raised.status_code == 201, raised.text
    case_id = raised.json()["id"]
    recorded = stack.http.post("/v1/court-cases", headers=stack.token(
        "registrar", "office", OFFICE), json={
        "number": f"W.P. {uuid.uuid4().int % 10000}/2028", "court": "High Court",
        "petitioners": ["A Society"], "respondents": ["Registrar"],
        "subject": "Audit of the society", "description": "Writ about the audit."})
    assert recorded.status_code == 201, recorded.text
    court_case = recorded.json()["id"]

    def officer_pages(page, language):
        page.goto("/cases")
        yield "case-queue"
        page.goto(f"/cases/{case_id}")
        yield "case"
        page.goto(f"/cases/{court_case}")
        yield "court-case-forms"
        page.locator("#hearing-form button[type=submit]").click()
        yield "court-case-hearing-errors"
        page.goto(f"/cases/{court_case}/audit")
        yield "case-audit"
        page.goto("/cases/dashboard")
        assert page.locator("section.report").count() == 7
        assert page.locator("section.report svg.chart").count() >= 1
        yield "case-dashboard"
        page.goto("/court-cases?number=W.P. 0/1900")
        yield "court-case-status"

    def raising(page, language):
        page.goto(f"/grievances/new?society={society}")
        yield "grievance-form"
        page.locator("form.raise button[type=submit]").click()
        yield "grievance-form-errors"

    problems = each_width_and_language(browser, stack, axe_script, officer_pages,
                                       username=officers["here"])
    problems += each_width_and_language(browser, stack, axe_script, raising,
                                        username=representative["username"])
    assert not problems, "\n".join(problems)
