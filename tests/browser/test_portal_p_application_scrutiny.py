"""An application's scrutiny in a real browser over the real registry, JavaScript off:
the dealing officer opens a submitted registration from the work queue, reads the form
beside its documents, takes it up, is told beside the field what a query and a hearing
lack (in Hindi too) and schedules the hearing; the registrar rejects it, reasons
required; another office's officer is told it is not found. The page at 360 and
1280 px in English and Hindi, axe-core clean. (Named to run after the in-process portal
tests: a Playwright run before them leaves an event loop running.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.common.india import INDIA
from tests.browser.conftest import each_width_and_language, unique
from tests.browser.test_portal_sign_in import sign_in_by_password
from tests.browser.test_portal_work_queue import submitted_application


def _context(browser, stack):
    return browser.new_context(base_url=stack.base_url, java_script_enabled=False,
                               viewport={"width": 1280, "height": 900})


def _form(page, name: str):
    return page.get_by_role("form", name=name)


def test_the_office_scrutinises_and_the_registrar_rejects(browser, stack, axe_script):
    name = unique("Konkan Scrutiny Co-operative")
    application_id = submitted_application(stack, name)
    path = f"/applications/{application_id}/scrutiny"
    officer = stack.kit.make_account(role="dealing_officer", scope_kind="office",
                                     scope_id="crcs")["username"]
    context = _context(browser, stack)
    page = context.new_page()
    try:
        sign_in_by_password(page, officer)
        page.get_by_role("link", name="Work queue").click()
        page.locator(f'a[href="{path}"]').click()
        main = page.locator("main")
        assert name in main.inner_text() and "Goa" in main.inner_text()
        assert "Submitted" in main.inner_text()
        assert page.locator('a[href="/documents/doc-bye-laws"]').count() == 1
        assert _form(page, "Approve the application").count() == 0   # the registrar's
        _form(page, "Take it up for scrutiny").get_by_role("button").click()
        assert "The step is recorded." in main.inner_text()
        assert "Under scrutiny" in main.inner_text()

        query = _form(page, "Raise a query to the applicant")
        query.get_by_role("button").click()
        assert "Write the query to the applicant." in main.inner_text()
        assert page.get_by_label("The query").get_attribute("aria-invalid") == "true"
        page.context.add_cookies([{"name": "portal_lang", "value": "hi",
                                   "url": stack.base_url}])
        page.goto(path)
        hearing = _form(page, "सुनवाई तय करें")
        hearing.get_by_label("सुनवाई का दिन").fill("31-02-2027")
        hearing.get_by_label("सुनवाई का समय (IST)").fill("11:00")
        hearing.get_by_label("वर्चुअल सुनवाई का लिंक").fill("https://meet.example/konkan")
        hearing.get_by_role("button").click()
        assert "सुनवाई का दिन, जैसे 15-01-2027।" in main.inner_text()
        assert hearing.get_by_label("वर्चुअल सुनवाई का लिंक").input_value() == \
            "https://meet.example/konkan"
        page.context.add_cookies([{"name": "portal_lang", "value": "en",
                                   "url": stack.base_url}])
        page.goto(path)
        day = (datetime.now(UTC) + timedelta(days=7)).astimezone(INDIA)
        hearing = _form(page, "Schedule the hearing")
        hearing.get_by_label("Day of the hearing").fill(day.strftime("%d-%m-%Y"))
        hearing.get_by_label("Time of the hearing (IST)").fill("11:00")
        hearing.get_by_label("Link of the virtual hearing").fill("https://meet.example/konkan")
        hearing.get_by_role("button").click()
        assert "Hearing scheduled" in main.inner_text()
        assert f"{day.strftime('%d-%m-%Y')} 11:00 IST" in main.inner_text()
    finally:
        context.close()

    registrar = stack.kit.make_account(role="registrar")["username"]
    context = _context(browser, stack)
    page = context.new_page()
    try:
        sign_in_by_password(page, registrar)
        page.goto(path)
        main = page.locator("main")
        reject = _form(page, "Reject the application")
        reject.get_by_role("button").click()
        assert "Write the reasons for the rejection." in main.inner_text()
        reject = _form(page, "Reject the application")
        reject.get_by_label("Reasons for the rejection").fill(
            "The bye-laws do not provide for the area of operation.")
        reject.get_by_role("button").click()
        assert "The step is recorded." in main.inner_text()
        assert "Rejected" in main.inner_text()
        assert _form(page, "Reject the application").count() == 0
    finally:
        context.close()

    elsewhere = stack.kit.make_account(role="dealing_officer", scope_kind="office",
                                       scope_id="wb")["username"]
    context = _context(browser, stack)
    page = context.new_page()
    try:
        sign_in_by_password(page, elsewhere)
        assert page.goto(path).status == 404
    finally:
        context.close()

    def visit(page, language):
        page.goto(path)
        yield "application-scrutiny"

    problems = each_width_and_language(browser, stack, axe_script, visit,
                                       username=officer)
    assert not problems, problems
