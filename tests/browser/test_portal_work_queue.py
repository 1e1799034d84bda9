"""The dealing officer's work queue in a real browser: open applications of the office,
soonest deadline first, the overdue and the due-soon marked; each opens its scrutiny page; an
applicant may not open the queue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, text

from tests.browser.conftest import REGISTRATION_FORM, unique
from tests.browser.test_portal_sign_in import sign_in_by_password


def submitted_application(stack, name: str) -> str:
    http = stack.http
    applicant = stack.token("applicant")
    created = http.post("/v1/applications", headers=applicant, json={
        "kind": "registration", "office_id": "crcs",
        "data": {**REGISTRATION_FORM, "name": name},
        "applicant": {"name": name.split()[0] + " Applicant", "email": "a@example.in",
                      "language": "en"}})
    assert created.status_code == 201, created.text
    application_id = created.json()["id"]
    assert http.post(f"/v1/applications/{application_id}/promoters", headers=applicant,
                     json={"name": "Meera Naik", "aadhaar_number": "456789012345",
                           "otp": "123456"}).status_code == 200
    assert http.post(f"/v1/applications/{application_id}/submit",
                     headers=applicant).status_code == 200
    return application_id


def set_deadline(stack, application_id: str, days: float) -> None:
    engine = create_engine(stack.registry_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE application SET deadline = :d WHERE id = :i"),
                               {"d": datetime.now(UTC) + timedelta(days=days),
                                "i": application_id})
    finally:
        engine.dispose()


def test_the_officer_sees_the_queue_soonest_first_with_overdue_and_due_soon_marked(
        browser, stack):
    tag = unique("Queue")[-6:]
    later = submitted_application(stack, f"Later {tag} Co-operative")
    late = submitted_application(stack, f"Late {tag} Co-operative")
    soon = submitted_application(stack, f"Soon {tag} Co-operative")
    set_deadline(stack, later, 20.5)
    set_deadline(stack, late, -3.5)
    set_deadline(stack, soon, 1.5)
    officer = stack.kit.make_account(role="dealing_officer", scope_kind="office",
                                     scope_id="crcs")
    context = browser.new_context(base_url=stack.base_url)
    page = context.new_page()
    try:
        sign_in_by_password(page, officer["username"])
        page.get_by_role("link", name="Work queue").click()
        rows = page.locator("table.queue tbody tr")
        applicants = [rows.nth(i).locator("td").nth(2).inner_text() for i in range(rows.count())]
        mine = [a for a in applicants if tag in a or a.endswith("Applicant")]
        ours = [a.split()[0] for a in mine if a.split()[0] in ("Late", "Soon", "Later")]
        assert ours[:3] == ["Late", "Soon", "Later"], applicants
        late_row = rows.filter(has_text="Late Applicant").first
        assert "Overdue by 3 days" in late_row.inner_text()
        assert "overdue" in late_row.get_attribute("class")
        assert "Due soon: 1 days left" in rows.filter(has_text="Soon Applicant").first.inner_text()
        assert "20 days left" in rows.filter(has_text="Later Applicant").first.inner_text()
        assert "overdue" in page.locator("p.summary").inner_text()
        late_row.get_by_role("link").click()
        assert "Submitted" in page.locator("main").inner_text()
    finally:
        context.close()


def test_an_applicant_may_not_open_the_queue(browser, stack):
    applicant = stack.kit.make_account(role="applicant")
    context = browser.new_context(base_url=stack.base_url)
    page = context.new_page()
    try:
        sign_in_by_password(page, applicant["username"])
        answer = page.goto("/work")
        assert answer.status == 403
        assert "Your roles do not allow this page." in page.locator("main").inner_text()
    finally:
        context.close()
