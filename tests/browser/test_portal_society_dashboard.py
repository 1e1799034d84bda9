"""A society's dashboard in a real browser, over the real filings service: the
representative opens it from their page and sees the annual return it owes (overdue, the
draft it started to finish) and each audit year pending (overdue since its 30 September)
with the next year's days left, dates dd-mm-yyyy; another society's dashboard is not
found; the main task with JavaScript off; 360 and 1280 px in English and Hindi,
axe-core clean."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import create_engine, text

from services.common.india import INDIA
from tests.browser.conftest import PortalStack, each_width_and_language
from tests.browser.test_portal_sign_in import sign_in_by_password
from tests.services.integration.test_filings_returns import ANNUAL

REGISTERED_ON = date(2024, 1, 10)


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[PortalStack]:
    running = PortalStack(tmp_path_factory.mktemp("portal-dashboard"), "filings")
    try:
        yield running.start()
    finally:
        running.close()


def enrol(stack: PortalStack, society_id: str, name: str) -> None:
    """The society in the register and on the filings roster, as its registration
    event would put it there."""
    stack.society(society_id, name)
    engine = create_engine(stack.service_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO society_roster (society_id, name, registration_number, "
                "registration_date, type, state, district, office_chain, enrolled_at) "
                "VALUES (:i, :n, :r, :d, 'credit', 'Madhya Pradesh', 'Bhopal', "
                "'[\"crcs\"]', :now)"),
                {"i": society_id, "n": name, "r": f"MSCS/CR/{society_id}",
                 "d": REGISTERED_ON, "now": datetime.now(UTC)})
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def society(stack) -> dict:
    society_id = f"dash{uuid.uuid4().hex[:8]}"
    enrol(stack, society_id, "Narmada Credit Sahakari Samiti")
    rep = stack.kit.make_account(role="society_representative", scope_kind="society",
                                 scope_id=society_id)
    started = stack.http.post("/v1/filings", headers=stack.token(
        "society_representative", "society", society_id), json={
        "form_code": "MSCS/ANNUAL", "filer_id": society_id, "period_end": "2024-03-31",
        "values": ANNUAL})
    assert started.status_code == 201, started.text
    return {"id": society_id, "username": rep["username"], "draft": started.json()["id"]}


def _today() -> date:
    return datetime.now(UTC).astimezone(INDIA).date()


def test_the_representative_sees_what_is_due_with_days_left(browser, stack, society):
    today = _today()
    context = browser.new_context(base_url=stack.base_url)
    page = context.new_page()
    try:
        sign_in_by_password(page, society["username"])
        page.get_by_role("link", name="Society dashboard").click()
        page.wait_for_url(f"**/dashboard/{society['id']}")
        assert "Narmada Credit Sahakari Samiti" in page.get_by_role("heading",
                                                                     level=1).inner_text()
        annual = page.locator("table.returns tbody tr").filter(has_text="MSCS/ANNUAL")
        late = (today - date(2024, 9, 30)).days
        assert f"30-09-2024 Overdue by {late} days" in " ".join(annual.inner_text().split())
        assert "overdue" in annual.get_attribute("class")
        assert "Annual return of a multi-state co-operative society" in annual.inner_text()
        assert f"/v1/filings/{society['draft']}/submit" in annual.inner_text()

        audits = page.locator("table.audits tbody tr")
        years = [audits.nth(i).locator("td").nth(1).inner_text()
                 for i in range(audits.count())]
        last_due = today.year if today >= date(today.year, 9, 30) else today.year - 1
        pending = [f"{y - 1}-{y % 100:02d}" for y in range(2024, last_due + 1)]
        coming = f"{last_due}-{(last_due + 1) % 100:02d}"
        assert years == [*pending, coming]
        first = " ".join(audits.first.inner_text().split())
        assert f"Overdue by {(today - date(2024, 9, 30)).days} days" in first
        left = (date(last_due + 1, 9, 30) - today).days
        assert f"{left} days left" in audits.last.inner_text()
        page.get_by_role("link", name="How audits work").first.click()
        assert "audited by 30 September" in page.locator("main").inner_text()

        answer = page.goto("/dashboard/another-society")
        assert answer.status == 404
    finally:
        context.close()


def test_the_dashboard_without_javascript(browser, stack, society):
    context = browser.new_context(base_url=stack.base_url, java_script_enabled=False,
                                  viewport={"width": 360, "height": 800})
    page = context.new_page()
    try:
        sign_in_by_password(page, society["username"])
        page.get_by_role("link", name="Society dashboard").click()
        assert "Overdue by" in page.locator("table.returns").inner_text()
        assert page.locator("table.audits tbody tr").count() >= 2
    finally:
        context.close()


def test_the_dashboard_fits_both_widths_and_passes_axe(browser, stack, society, axe_script):
    def visit(page, language):
        page.goto(f"/dashboard/{society['id']}")
        yield "dashboard"

    problems = each_width_and_language(browser, stack, axe_script, visit,
                                       username=society["username"])
    assert not problems, "\n".join(problems)
