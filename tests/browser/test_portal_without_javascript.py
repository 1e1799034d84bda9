"""Every page's main task with JavaScript turned off: plain links and forms carry the
directory search and paging, a society's page, the language switch, certificate checks
by code and by file, and signing in by one-time code."""

from __future__ import annotations

import re
import uuid
from urllib.parse import parse_qs, urlparse

import pytest


@pytest.fixture
def page(browser, stack):
    context = browser.new_context(base_url=stack.base_url, java_script_enabled=False,
                                  viewport={"width": 360, "height": 800})
    try:
        yield context.new_page()
    finally:
        context.close()


def test_searching_and_opening_a_society(page, registered):
    page.goto("/")
    page.get_by_label("Name begins with").fill(registered["name"][:12])
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=registered["name"]).click()
    assert page.get_by_role("heading", level=1).inner_text() == registered["name"]


def test_switching_the_language(page):
    page.goto("/guides")
    page.get_by_role("link", name="हिन्दी").click()
    assert page.get_by_role("heading", level=1).inner_text() == "मार्गदर्शिकाएँ"
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "hi"


def test_checking_a_certificate_by_code_and_by_file(page, registered, tmp_path):
    page.goto("/verify")
    page.get_by_label("Verification code").fill(registered["code"])
    page.get_by_role("button", name="Verify", exact=True).click()
    assert "Genuine" in page.locator("section.result").inner_text()
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(registered["pdf"])
    page.get_by_label("The certificate's PDF file").set_input_files(str(pdf))
    page.get_by_role("button", name="Check the file").click()
    assert "byte for byte" in page.locator("section.result").inner_text()


def test_signing_in_by_one_time_code(page, stack):
    page.goto("/sign-in")
    page.get_by_label("E-mail address or mobile number").fill(
        f"nojs-{uuid.uuid4().hex[:8]}@example.in")
    page.get_by_role("button", name="Send me a code").click()
    page.wait_for_url(re.compile(r"/sign-in/code\?"))
    challenge = parse_qs(urlparse(page.url).query)["challenge"][0]
    page.get_by_label("One-time code").fill(stack.otp_for(challenge))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/me")
    assert "You are signed in." in page.locator("main").inner_text()
