"""The reports page in process (registry and filings faked): societies by state, type
and status, each office's open and overdue applications and one return's compliance,
drawn as SVG bar charts beside tables of the same figures in Indian grouping; asked with
the visitor's grant; a service that does not answer said in its place while the rest
show; and refused to whom the reports' API routes refuse."""

from __future__ import annotations

import re

import pytest

from services.common.errors import NotFound
from tests.browser.portal_kit import calls, portal_kit, signed_in
from tests.gateway.unit.conftest import FakeRpc

SOCIETIES = {
    "state": [{"state": "Madhya Pradesh", "count": 123456}, {"state": "West Bengal",
                                                            "count": 850000}],
    "type": [{"type": "credit", "count": 40}, {"type": "housing", "count": 60}],
    "status": [{"status": "registered", "count": 95}, {"status": "under_liquidation",
                                                       "count": 5}],
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def rpc() -> FakeRpc:
    fake = FakeRpc()
    fake.on("notify", "list_mailbox", lambda p: {"items": [], "next_cursor": None,
                                                 "unread": 0})
    fake.on("registry", "report_societies", lambda p: {
        "by": p["by"], "rows": SOCIETIES[p["by"]],
        "total": sum(r["count"] for r in SOCIETIES[p["by"]])})
    fake.on("registry", "report_applications", lambda p: {"by": "overdue", "rows": [
        {"office_id": "mp-bhopal", "stage": "submitted", "open": 7, "overdue": 2},
        {"office_id": "mp-bhopal", "stage": "under_scrutiny", "open": 5, "overdue": 1},
        {"office_id": "mp", "stage": "submitted", "open": 20, "overdue": 0}], "total": 3})
    fake.on("filings", "compliance_view", lambda p: {
        "form_code": p["form_code"], "as_on": "2026-12-08", "items": [],
        "summary": {"filed_on_time": 120, "filed_late": 30, "overdue": 1050,
                    "not_yet_due": 0}, "next_offset": None})
    return fake


@pytest.fixture
async def kit(rpc, tmp_path, monkeypatch):
    async with portal_kit(rpc, tmp_path, monkeypatch, ("registry", "notify", "filings")
                          ) as built:
        yield built


@pytest.mark.anyio
async def test_the_reports_draw_each_figure_as_a_bar_with_its_table(kit, rpc):
    cookies = await signed_in(kit, role="registrar", scope_kind="office", scope_id="mp")
    page = await kit.client.get("/reports?office=mp-bhopal&form=RCS/LQR/01",
                                cookies=cookies)
    assert page.status_code == 200, page.text
    html = page.text
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 5
    # Indian grouping in the bars' figures and in the tables
    assert ">8,50,000</text>" in html and "<td data-label=\"Number\">1,23,456</td>" in html
    # the largest figure first and the full length (340 - 80 for its figure), the
    # others in scale under their labels
    assert re.search(r'<rect x="0" y="18" width="260.0" height="16" fill="#1d4ed8">'
                     r'<title>West Bengal: 8,50,000</title>', html)
    assert 'width="37.8" height="16" fill="#1d4ed8"><title>Madhya Pradesh: 1,23,456' in html
    # codes named as the register names them; the overdue share drawn over its office
    assert "Housing: 60" in html and "Under liquidation: 5" in html
    assert "mp-bhopal: 12 (3 overdue)" in html and 'fill="#b91c1c"' in html
    assert "Filing compliance of RCS/LQR/01" in html and "Overdue: 1,050" in html
    # each asked with the registrar's grant and the office chosen
    for method in ("report_societies", "report_applications"):
        for call in calls(rpc, method):
            assert call.payload["office_id"] == "mp-bhopal"
            assert call.context.actor_scope == "office:mp"
    assert sorted(c.payload["by"] for c in calls(rpc, "report_societies")) == [
        "state", "status", "type"]
    [compliance] = calls(rpc, "compliance_view")
    assert compliance.payload == {"form_code": "RCS/LQR/01", "limit": 1, "offset": 0}


@pytest.mark.anyio
async def test_the_reports_in_hindi_and_a_silent_service_said_in_its_place(kit, rpc):
    cookies = {**await signed_in(kit, role="dealing_officer"), "portal_lang": "hi"}
    rpc.on("filings", "compliance_view", lambda p: (_ for _ in ()).throw(
        NotFound("No such form.", {"form_code": p["form_code"]})))
    page = await kit.client.get("/reports?office=<script>&form=nonsense", cookies=cookies)
    assert page.status_code == 200, page.text
    assert "रिपोर्ट" in page.text and "राज्य के अनुसार समितियाँ" in page.text
    assert "ये आंकड़े पढ़े नहीं जा सके: No such form." in page.text
    # a bad office is not asked for; a bad form code falls back to the annual return
    assert all(c.payload["office_id"] is None for c in calls(rpc, "report_societies"))
    assert calls(rpc, "compliance_view")[0].payload["form_code"] == "MSCS/ANNUAL"
    rpc.calls.clear()
    rpc._answers.pop(("registry", "report_applications"))
    page = await kit.client.get("/reports", cookies={**cookies, "portal_lang": "en"})
    assert page.status_code == 200
    assert "The service that keeps these figures is not answering" in page.text
    assert "Societies by type" in page.text and "Credit: 40" in page.text


@pytest.mark.anyio
async def test_a_society_may_not_read_the_reports(kit, rpc):
    cookies = await signed_in(kit, role="society_representative", scope_kind="society",
                              scope_id="s1")
    page = await kit.client.get("/reports", cookies=cookies)
    assert page.status_code == 403
    assert not calls(rpc, "report_societies")
