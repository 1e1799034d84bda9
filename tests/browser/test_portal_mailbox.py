"""The mailbox in a real browser, over the real notify service: a society's
representative sees the unread count in the menu, pages through the society's messages
(next and previous, 20 a page), opens one (marked read: the count drops), marks it
unread again; another society's mailbox is not found; the main task with JavaScript
off; the list and a message at 360 and 1280 px in English and Hindi, axe-core clean."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from services.notify import mailbox
from tests.browser.conftest import PortalStack, each_width_and_language
from tests.browser.test_portal_sign_in import sign_in_by_password

MESSAGES = 22  # two pages of 20; the oldest one already read


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[PortalStack]:
    running = PortalStack(tmp_path_factory.mktemp("portal-mailbox"), "notify")
    try:
        yield running.start()
    finally:
        running.close()


def post_messages(stack: PortalStack, society_id: str, count: int) -> list[str]:
    """``count`` reminders in the society's mailbox, one a day, the oldest read."""
    engine = create_engine(stack.service_url)
    start = datetime(2026, 6, 1, 5, 0, tzinfo=UTC)
    try:
        with Session(engine) as session, session.begin():
            for n in range(count):
                mailbox.post(session, mailbox_kind="society", mailbox_id=society_id,
                             kind="reminder", subject=f"Reminder {n + 1:02d}",
                             body=f"Return {n + 1} falls due.\n\nThe registrar's office",
                             links=[], source_key=f"test-{n}",
                             now=start + timedelta(days=n))
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "UPDATE mailbox_message SET read_at = created_at WHERE mailbox_id = %s "
                "AND subject = 'Reminder 01'", (society_id,))
    finally:
        engine.dispose()
    return [f"Reminder {n + 1:02d}" for n in range(count)]


@pytest.fixture(scope="module")
def society(stack) -> dict:
    society_id = f"mbx{uuid.uuid4().hex[:8]}"
    post_messages(stack, society_id, MESSAGES)
    rep = stack.kit.make_account(role="society_representative", scope_kind="society",
                                 scope_id=society_id)
    return {"id": society_id, "username": rep["username"]}


def _badge(page) -> str:
    return page.locator("nav a.mailbox-link").inner_text()


def test_the_representative_pages_opens_and_marks_the_societys_messages(browser, stack,
                                                                       society):
    context = browser.new_context(base_url=stack.base_url)
    page = context.new_page()
    try:
        sign_in_by_password(page, society["username"])
        assert _badge(page) == f"Mailbox {MESSAGES - 1} unread"
        page.locator("nav a.mailbox-link").click()
        rows = page.locator("table.mailbox tbody tr")
        assert rows.count() == 20
        assert rows.first.inner_text().startswith("22-06-2026")  # newest first, IST
        assert "Reminder 22" in rows.first.inner_text()
        page.get_by_role("link", name="Next page").click()
        subjects = [rows.nth(i).locator("td").nth(1).inner_text().split()
                    for i in range(rows.count())]
        assert subjects == [["Reminder", "02", "Unread"], ["Reminder", "01"]]
        page.get_by_role("link", name="Previous page").click()
        assert rows.count() == 20 and "Reminder 22" in rows.first.inner_text()

        page.get_by_role("link", name="Reminder 22").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Reminder 22"
        assert "Return 22 falls due." in page.locator("main").inner_text()
        assert _badge(page) == f"Mailbox {MESSAGES - 2} unread"
        page.get_by_role("link", name="Back to the mailbox").click()
        assert "Unread" not in rows.first.inner_text()
        page.get_by_role("link", name="Reminder 22").click()
        page.get_by_role("button", name="Mark as unread").click()
        page.wait_for_url(f"**/mailbox/societies/{society['id']}")
        assert _badge(page) == f"Mailbox {MESSAGES - 1} unread"
        assert "Unread" in rows.first.inner_text()

        answer = page.goto("/mailbox/societies/another-society")
        assert answer.status == 404
        assert "not yours to see" in page.locator("main").inner_text()
    finally:
        context.close()


def test_reading_a_message_without_javascript(browser, stack, society):
    context = browser.new_context(base_url=stack.base_url, java_script_enabled=False,
                                  viewport={"width": 360, "height": 800})
    page = context.new_page()
    try:
        sign_in_by_password(page, society["username"])
        page.locator("nav a.mailbox-link").click()
        page.get_by_label("Show").select_option("unread")
        page.get_by_role("button", name="Search").click()
        assert page.locator("table.mailbox tbody tr").count() == 20
        page.get_by_role("link", name="Reminder 21").click()
        assert "Return 21 falls due." in page.locator("main").inner_text()
        page.get_by_role("button", name="Mark as unread").click()
        page.wait_for_url(f"**/mailbox/societies/{society['id']}")
    finally:
        context.close()


def test_the_mailbox_fits_both_widths_and_passes_axe(browser, stack, society, axe_script):
    def visit(page, language):
        page.goto(f"/mailbox/societies/{society['id']}")
        yield "mailbox"
        page.locator("table.mailbox tbody tr a").first.click()
        yield "message"

    problems = each_width_and_language(browser, stack, axe_script, visit,
                                       username=society["username"])
    assert not problems, "\n".join(problems)
