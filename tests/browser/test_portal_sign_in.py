"""Signing in on the portal in a real browser: a citizen by a one-time code (registered on
first use), signed out again; an applicant by password, following the application on the
tracker, which shows another applicant nothing (the registry's own rule)."""

from __future__ import annotations

import re
import uuid
from urllib.parse import parse_qs, urlparse

from tests.gateway.identity_kit import PASSWORD


def test_a_citizen_signs_in_by_one_time_code_and_out_again(page, stack):
    answer = page.goto("/me")
    # not signed in: the page asks to sign in (401), and comes back afterwards
    assert answer.status == 401
    assert "Sign in to see this page" in page.locator("main").inner_text()
    email = f"citizen-{uuid.uuid4().hex[:8]}@example.in"
    page.get_by_label("E-mail address or mobile number").fill(email)
    page.get_by_role("button", name="Send me a code").click()
    page.wait_for_url(re.compile(r"/sign-in/code\?"))
    assert "@example.in" in page.locator("main").inner_text()
    challenge = parse_qs(urlparse(page.url).query)["challenge"][0]
    code = stack.otp_for(challenge)

    wrong = "000000" if code != "000000" else "111111"
    page.get_by_label("One-time code").fill(wrong)
    page.get_by_role("button", name="Sign in").click()
    assert "not right" in page.locator("#e-code").inner_text()

    page.get_by_label("One-time code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/me")
    assert "You are signed in." in page.locator("main").inner_text()
    assert "Citizen" in page.locator("dl.facts").inner_text()
    # the session cookies are not readable by scripts
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["portal_access"]["httpOnly"] and cookies["portal_refresh"]["httpOnly"]
    assert cookies["portal_access"]["sameSite"] == "Lax"
    # the same session reaches other pages: the menu offers "My page", not "Sign in"
    page.goto("/guides")
    assert page.get_by_role("link", name="My page").count() == 1

    page.goto("/me")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{stack.base_url}/")
    assert page.get_by_role("link", name="Sign in", exact=True).count() == 1
    assert page.goto("/me").status == 401
    assert page.get_by_role("button", name="Send me a code").count() == 1


def test_a_bad_destination_is_explained_beside_the_field(page, stack):
    page.goto("/sign-in")
    page.get_by_label("E-mail address or mobile number").fill("12345")
    page.get_by_role("button", name="Send me a code").click()
    assert "10-digit mobile number" in page.locator("#e-destination").inner_text()


def sign_in_by_password(page, username: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in with password").click()
    page.wait_for_url("**/me")


def test_the_applicant_follows_the_application_on_the_tracker(browser, stack, registered):
    applicant_id = registered["applicant"]["X-Account-Id"]
    username = stack.kit.store.get_account(account_id=applicant_id)["username"]
    context = browser.new_context(base_url=stack.base_url)
    page = context.new_page()
    try:
        sign_in_by_password(page, username)
        page.get_by_role("link", name="Track an application").click()
        page.get_by_label("Application number").fill(registered["application_id"])
        page.get_by_role("button", name="Show").click()
        tracker = page.locator("main").inner_text()
        assert "Registration of a society" in tracker
        assert "Approved" in tracker
        steps = page.locator("ol.timeline li")
        assert steps.count() >= 3
        assert re.search(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2} IST", steps.first.inner_text())
    finally:
        context.close()


def test_another_applicant_sees_nothing_of_it(browser, stack, registered):
    other = stack.kit.make_account(role="applicant")
    context = browser.new_context(base_url=stack.base_url)
    page = context.new_page()
    try:
        sign_in_by_password(page, other["username"])
        page.goto(f"/track?number={registered['application_id']}")
        assert page.locator("#e-number").inner_text() == (
            "No application with this number is yours to see.")
        assert "Approved" not in page.locator("main").inner_text()
    finally:
        context.close()


def test_a_wrong_password_is_explained_beside_the_field(page, stack):
    page.goto("/sign-in")
    page.get_by_label("User name").fill("nobody-" + uuid.uuid4().hex[:6])
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Sign in with password").click()
    assert "not right" in page.locator("#e-password").inner_text()
