"""The reports page in a real browser over the real registry (filings not running):
the societies' charts drawn from the register, at 360 px and 1280 px in English and
Hindi, axe-core clean; the compliance chart, whose service is not running, said in its
place; a society's representative refused."""

from __future__ import annotations

from tests.browser.conftest import each_width_and_language
from tests.browser.test_portal_sign_in import sign_in_by_password


def test_the_reports_draw_the_register_in_both_languages_and_widths(
        browser, stack, registered, axe_script):
    officer = stack.kit.make_account(role="registrar", scope_kind="office", scope_id="crcs")

    def visit(page, language):
        page.goto("/reports")
        charts = page.locator("svg[role=img]")
        assert charts.count() >= 3
        # the registered society is counted under its type, in the chart and the table
        fishery = "Fishery" if language == "en" else "मत्स्य"
        assert page.locator(f"svg[role=img] rect title:has-text('{fishery}')").count() >= 1
        assert page.locator("table.figures").first.is_visible()
        yield "reports"

    problems = each_width_and_language(browser, stack, axe_script, visit,
                                       username=officer["username"])
    assert not problems, "\n".join(problems)


def test_a_missing_service_is_said_in_its_place_and_a_society_is_refused(
        browser, stack, registered):
    officer = stack.kit.make_account(role="dealing_officer", scope_kind="office",
                                     scope_id="crcs")
    context = browser.new_context(base_url=stack.base_url)
    page = context.new_page()
    try:
        sign_in_by_password(page, officer["username"])
        page.get_by_role("link", name="Reports with charts").click()
        assert page.url.endswith("/reports")
        main = page.locator("main").inner_text()
        assert "The service that keeps these figures is not answering" in main
        assert "Societies by type" in main
    finally:
        context.close()
    representative = stack.kit.make_account(role="society_representative",
                                            scope_kind="society",
                                            scope_id=registered["society_id"])
    context = browser.new_context(base_url=stack.base_url)
    page = context.new_page()
    try:
        sign_in_by_password(page, representative["username"])
        answer = page.goto("/reports")
        assert answer.status == 403
    finally:
        context.close()
