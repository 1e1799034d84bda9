"""The applicant's reply to a query in a real browser over the real registry,
JavaScript off: the office takes a submitted registration up and raises a query (over
the API); the applicant reads it on the tracker, is told in Hindi beside the field that
a reply is needed and that a document id is not one, replies, and the application is
back under scrutiny; the dealing officer reads the reply in the application's audit
trail. The tracker with the form and its errors, and the audit trail, at 360 and
1280 px in English and Hindi, axe-core clean. (Named to run after the in-process portal tests.)"""

from __future__ import annotations

import uuid

from tests.browser.conftest import REGISTRATION_FORM, each_width_and_language, unique
from tests.browser.test_portal_sign_in import sign_in_by_password
from tests.gateway.identity_kit import PASSWORD

QUERY = "Send the bye-laws signed by every promoter."


def _headers(stack, username: str) -> dict[str, str]:
    signed = stack.http.post("/v1/auth/sign-in", json={
        "username": username, "password": PASSWORD},
        headers={"X-Forwarded-For": f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
                                    f".{uuid.uuid4().int % 250}"})
    assert signed.status_code == 200, signed.text
    return {"Authorization": f"Bearer {signed.json()['access_token']}"}


def _queried_application(stack, applicant: dict[str, str], name: str) -> str:
    http = stack.http
    created = http.post("/v1/applications", headers=applicant, json={
        "kind": "registration", "office_id": "crcs",
        "data": {**REGISTRATION_FORM, "name": name},
        "applicant": {"name": "Asha Applicant", "email": "a@example.in", "language": "en"}})
    assert created.status_code == 201, created.text
    application_id = created.json()["id"]
    assert http.post(f"/v1/applications/{application_id}/promoters", headers=applicant,
                     json={"name": "Meera Naik", "aadhaar_number": "456789012345",
                           "otp": "123456"}).status_code == 200
    assert http.post(f"/v1/applications/{application_id}/submit",
                     headers=applicant).status_code == 200
    officer = stack.token("dealing_officer", "office", "crcs")
    assert http.post(f"/v1/applications/{application_id}/take-up",
                     headers=officer).status_code == 200
    queried = http.post(f"/v1/applications/{application_id}/query", headers=officer,
                        json={"note": QUERY})
    assert queried.status_code == 200, queried.text
    return application_id


def test_the_applicant_replies_to_the_query_and_the_office_reads_it(browser, stack,
                                                                     axe_script):
    applicant = stack.kit.make_account(role="applicant")["username"]
    application_id = _queried_application(stack, _headers(stack, applicant),
                                           unique("Sahyadri Reply Co-operative"))
    track = f"/track?number={application_id}"

    def tracker(page, language):
        page.goto(track)
        yield "tracker-query"
        page.locator("form[action$='/reply'] button[type=submit]").click()
        yield "tracker-reply-errors"

    problems = each_width_and_language(browser, stack, axe_script, tracker,
                                       username=applicant)
    context = browser.new_context(base_url=stack.base_url, java_script_enabled=False,
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in_by_password(page, applicant)
        page.goto(track)
        main = page.locator("main")
        assert QUERY in main.inner_text() and "Query raised" in main.inner_text()
        page.context.add_cookies([{"name": "portal_lang", "value": "hi",
                                   "url": stack.base_url}])
        page.goto(track)
        form = page.get_by_role("form", name="प्रश्न का उत्तर")
        form.get_by_label("उत्तर के साथ जोड़े गए दस्तावेज़ (वैकल्पिक)").fill("not-an-id")
        form.get_by_role("button").click()
        assert "कार्यालय के प्रश्न का अपना उत्तर लिखें।" in main.inner_text()
        assert "दस्तावेज़ आईडी नहीं: not-an-id" in main.inner_text()
        assert page.get_by_label("आपका उत्तर").get_attribute("aria-invalid") == "true"
        page.context.add_cookies([{"name": "portal_lang", "value": "en",
                                   "url": stack.base_url}])
        page.goto(track)
        form = page.get_by_role("form", name="Reply to the query")
        form.get_by_label("Your reply").fill("The signed bye-laws are filed again.")
        form.get_by_role("button").click()
        assert "Your reply is sent" in main.inner_text()
        assert "Under scrutiny" in main.inner_text()
        assert page.get_by_role("form", name="Reply to the query").count() == 0
    finally:
        context.close()

    officer = stack.kit.make_account(role="dealing_officer", scope_kind="office",
                                     scope_id="crcs")["username"]

    def audit(page, language):
        page.goto(f"/applications/{application_id}/scrutiny")
        page.locator(f'a[href="/applications/{application_id}/audit"]').click()
        if language == "en":
            trail = page.locator("main").inner_text()
            assert "Reply to the query" in trail and "Query raised" in trail
        yield "application-audit-after-reply"

    problems += each_width_and_language(browser, stack, axe_script, audit,
                                        username=officer)
    assert not problems, problems
