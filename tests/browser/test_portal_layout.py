"""Every key page at 360 px (a cheap phone) and 1280 px, in English and Hindi: a
screenshot kept as a test artefact, no sideways scrolling on the phone, and axe-core
finding no serious or critical accessibility violation."""

from __future__ import annotations

import uuid
from typing import Any

from tests.browser.conftest import each_width_and_language


def key_pages(registered: dict[str, Any]) -> dict[str, str]:
    return {
        "home": "/",
        "directory": f"/societies?q={registered['name'][:10]}",
        "directory-error": "/societies?q=K",
        "society": f"/societies/{registered['society_id']}",
        "society-documents": f"/societies/{registered['society_id']}/documents",
        "templates": "/templates",
        "verify": "/verify",
        "verify-result": f"/verify/{registered['code']}",
        "guides": "/guides",
        "guide": "/guides/register-a-society",
        "sign-in": "/sign-in",
        "sign-in-code": f"/sign-in/code?challenge={uuid.uuid4()}&to=a***%40example.in",
        "not-found": "/societies/no-such-society",
    }


SIGNED_IN_PAGES = {"me": "/me", "tracker": "/track?number={application_id}"}


def _applicant_username(stack, registered: dict[str, Any]) -> str:
    applicant_id = registered["applicant"]["X-Account-Id"]
    return stack.kit.store.get_account(account_id=applicant_id)["username"]


def test_every_public_page_fits_both_widths_and_passes_axe(browser, stack, registered,
                                                           axe_script):
    def visit(page, language):
        for name, path in key_pages(registered).items():
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == language
            yield name

    problems = each_width_and_language(browser, stack, axe_script, visit)
    assert not problems, "\n".join(problems)


def test_signed_in_pages_fit_both_widths_and_pass_axe(browser, stack, registered,
                                                      axe_script):
    seen = []

    def visit(page, language):
        for name, path in SIGNED_IN_PAGES.items():
            page.goto(path.format(**registered))
            seen.append(page.locator("main").inner_text())
            yield name

    problems = each_width_and_language(browser, stack, axe_script, visit, languages=("en",),
                                       username=_applicant_username(stack, registered))
    assert "Approved" in seen[-1]
    assert not problems, "\n".join(problems)


def test_the_work_queue_fits_both_widths_and_passes_axe(browser, stack, registered,
                                                        axe_script):
    from tests.browser.test_portal_work_queue import submitted_application

    application_id = submitted_application(stack, "Layout Queue Co-operative")
    officer = stack.kit.make_account(role="dealing_officer", scope_kind="office",
                                     scope_id="crcs")

    def visit(page, language):
        page.goto("/work")
        assert page.locator("table.queue tbody tr").count() >= 1
        yield "work-queue"
        page.goto(f"/applications/{application_id}/audit")
        assert page.locator("table.audit tbody tr").count() >= 1
        yield "application-audit"

    problems = each_width_and_language(browser, stack, axe_script, visit,
                                       username=officer["username"])
    assert not problems, "\n".join(problems)
