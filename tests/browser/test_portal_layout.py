"""Every key page at 360 px (a cheap phone) and 1280 px, in English and Hindi: a
screenshot kept as a test artefact, no sideways scrolling on the phone, and axe-core
finding no serious or critical accessibility violation."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.browser.conftest import WIDTHS, screenshot, serious_violations
from tests.browser.test_portal_sign_in import sign_in_by_password


def key_pages(registered: dict[str, Any]) -> dict[str, str]:
    return {
        "home": "/",
        "directory": f"/societies?q={registered['name'][:10]}",
        "directory-error": "/societies?q=K",
        "society": f"/societies/{registered['society_id']}",
        "verify": "/verify",
        "verify-result": f"/verify/{registered['code']}",
        "guides": "/guides",
        "guide": "/guides/register-a-society",
        "sign-in": "/sign-in",
        "sign-in-code": f"/sign-in/code?challenge={uuid.uuid4()}&to=a***%40example.in",
        "not-found": "/societies/no-such-society",
    }


SIGNED_IN_PAGES = {"me": "/me", "tracker": "/track?number={application_id}"}


@pytest.fixture(scope="module")
def applicant_context(browser, stack, registered):
    """A browser context signed in as the applicant of the registered society."""
    applicant_id = registered["applicant"]["X-Account-Id"]
    username = stack.kit.store.get_account(account_id=applicant_id)["username"]
    context = browser.new_context(base_url=stack.base_url)
    sign_in_by_password(context.new_page(), username)
    yield context
    context.close()


def _check(page: Any, axe_script: str, name: str, width: int) -> list[str]:
    problems = []
    screenshot(page, f"{name}-{width}")
    if width == 360:
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{name} at {width}px scrolls sideways by {overflow}px")
    for violation in serious_violations(page, axe_script):
        problems.append(f"{name} at {width}px: {violation}")
    return problems


@pytest.mark.parametrize("language", ["en", "hi"])
def test_every_public_page_fits_both_widths_and_passes_axe(browser, stack, registered,
                                                           axe_script, language):
    problems: list[str] = []
    for width in WIDTHS:
        context = browser.new_context(base_url=stack.base_url,
                                      viewport={"width": width, "height": 800})
        context.add_cookies([{"name": "portal_lang", "value": language,
                              "url": stack.base_url}])
        page = context.new_page()
        try:
            for name, path in key_pages(registered).items():
                page.goto(path)
                assert page.locator("html").get_attribute("lang") == language
                problems += _check(page, axe_script, f"{language}-{name}", width)
        finally:
            context.close()
    assert not problems, "\n".join(problems)


def test_signed_in_pages_fit_both_widths_and_pass_axe(applicant_context, registered,
                                                      axe_script):
    problems: list[str] = []
    page = applicant_context.new_page()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for name, path in SIGNED_IN_PAGES.items():
            page.goto(path.format(**registered))
            problems += _check(page, axe_script, f"en-{name}", width)
    assert "Approved" in page.locator("main").inner_text()
    assert not problems, "\n".join(problems)


def test_the_work_queue_fits_both_widths_and_passes_axe(browser, stack, registered,
                                                        axe_script):
    from tests.browser.test_portal_work_queue import submitted_application

    submitted_application(stack, "Layout Queue Co-operative")
    officer = stack.kit.make_account(role="dealing_officer", scope_kind="office",
                                     scope_id="crcs")
    problems: list[str] = []
    for language in ("en", "hi"):
        context = browser.new_context(base_url=stack.base_url)
        page = context.new_page()
        try:
            sign_in_by_password(page, officer["username"])
            context.add_cookies([{"name": "portal_lang", "value": language,
                                  "url": stack.base_url}])
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                page.goto("/work")
                assert page.locator("table.queue tbody tr").count() >= 1
                problems += _check(page, axe_script, f"{language}-work-queue", width)
        finally:
            context.close()
    assert not problems, "\n".join(problems)
