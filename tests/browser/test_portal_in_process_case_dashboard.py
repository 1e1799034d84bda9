"""The case dashboard in process (the grievance service faked): the office side reads
``case_dashboard``'s figures (open cases by kind, state, office and age; late now by
level and by officer; the SLA) as SVG bar charts beside tables of the same figures, in
English and Hindi, asked with the visitor's grant and the office chosen; the case queue
links to it for the office side only; anyone else is refused."""

from __future__ import annotations

import re

import pytest

from tests.browser.portal_kit import calls, portal_kit, signed_in
from tests.gateway.unit.conftest import FakeRpc

ANSWER = {
    "open_by_kind": {"grievance": 1250, "appeal": 3},
    "open_by_kind_and_state": {"grievance": {"received": 1000, "assigned": 250},
                               "appeal": {"filed": 3}},
    "open_by_office": {"crcs": 1200, "ro-pune": 53},
    "open_by_age": {"0-7 days": 40, "8-30 days": 13, "over 90 days": 1200},
    "late_now": {"total": 130, "by_level": {"1": 120, "2": 10},
                 "by_officer": {"unassigned": 100, "officer-7": 30}},
    "sla": {"closed": 200, "closed_in_time": 150, "compliance_percent": 75.0,
            "open_past_overall_clock": 12},
    "as_at": "2026-12-08T04:30:00+00:00",
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def rpc() -> FakeRpc:
    fake = FakeRpc()
    fake.on("grievance", "case_dashboard", lambda p: ANSWER)
    fake.on("grievance", "list_cases", lambda p: {"items": [], "next_offset": None,
                                                   "total": 0})
    return fake


@pytest.fixture
async def kit(rpc, tmp_path, monkeypatch):
    async with portal_kit(rpc, tmp_path, monkeypatch, ("grievance",)) as built:
        yield built


def _section(text: str, title: str) -> str:
    start = text.index(f">{title}</h2>")
    return text[start:text.index("</section>", start)]


def _rows(section: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr><td data-label="[^"]+">([^<]+)</td><td data-label="[^"]+">'
                      r'([^<]+)</td></tr>', section)


@pytest.mark.anyio
async def test_the_office_reads_each_figure_as_a_chart_beside_its_table(kit, rpc):
    registrar = await signed_in(kit, role="registrar", scope_kind="office", scope_id="crcs")
    page = await kit.client.get("/cases/dashboard", cookies=registrar)
    assert page.status_code == 200
    assert page.text.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 7
    kinds = _section(page.text, "Open cases by kind")
    assert _rows(kinds) == [("Grievance", "1,250"), ("Appeal", "3")]
    assert "1,253 open cases." in kinds           # the chart's description
    assert _rows(_section(page.text, "Open cases by state")) == [
        ("Received", "1,000"), ("Assigned to an officer", "250"), ("Filed", "3")]
    assert _rows(_section(page.text, "Open cases by office")) == [
        ("crcs", "1,200"), ("ro-pune", "53")]
    assert _rows(_section(page.text, "Open cases by age (days since received)")) == [
        ("0-7 days", "40"), ("8-30 days", "13"), ("31-90 days", "0"),
        ("over 90 days", "1,200")]
    assert _rows(_section(page.text, "Late now, by level")) == [
        ("Level 1", "120"), ("Level 2", "10")]
    assert _rows(_section(page.text, "Late now, by officer")) == [
        ("Not assigned", "100"), ("officer-7", "30")]
    sla = _section(page.text, "Time limits (SLA)")
    assert _rows(sla) == [("Closed within the time limit", "150"),
                          ("Closed after the time limit", "50"),
                          ("Open past the time limit", "12")]
    assert "75.0% of the closed cases closed within their time limit." in sla
    assert "Late now: 130" in page.text and "08-12-2026" in page.text
    [asked] = calls(rpc, "case_dashboard")
    assert asked.context.actor_role == "registrar" and asked.payload == {}
    hindi = await kit.client.get("/cases/dashboard?office=ro-pune",
                                 cookies={**registrar, "portal_lang": "hi"})
    assert hindi.status_code == 200 and '<html lang="hi">' in hindi.text
    for shown in ("मामलों का डैशबोर्ड", "प्रकार के अनुसार खुले मामले", "स्तर 1",
                  "बंद मामलों में से 75.0% अपनी समय-सीमा के भीतर बंद हुए।",
                  "किसी को नहीं सौंपा गया"):
        assert shown in hindi.text, shown
    assert calls(rpc, "case_dashboard")[1].payload == {"office_id": "ro-pune"}
    odd = await kit.client.get("/cases/dashboard?office=<script>", cookies=registrar)
    assert odd.status_code == 200 and calls(rpc, "case_dashboard")[2].payload == {}


@pytest.mark.anyio
async def test_nothing_closed_yet_and_nothing_late_are_said(kit, rpc):
    rpc.on("grievance", "case_dashboard", lambda p: {
        "open_by_kind": {}, "open_by_kind_and_state": {}, "open_by_office": {},
        "open_by_age": {}, "late_now": {"total": 0, "by_level": {}, "by_officer": {}},
        "sla": {"closed": 0, "closed_in_time": 0, "compliance_percent": None,
                "open_past_overall_clock": 0}, "as_at": "2026-12-08T04:30:00+00:00"})
    officer = await signed_in(kit, role="dealing_officer", scope_kind="office",
                              scope_id="crcs")
    page = await kit.client.get("/cases/dashboard", cookies=officer)
    assert page.status_code == 200
    assert "No case with a time limit is closed yet." in page.text
    assert page.text.count("Nothing to count yet.") == 7 and "Late now:" not in page.text


@pytest.mark.anyio
async def test_the_queue_links_it_for_the_office_side_only(kit, rpc):
    officer = await signed_in(kit, role="dealing_officer", scope_kind="office",
                              scope_id="crcs")
    queue = await kit.client.get("/cases", cookies=officer)
    assert 'href="/cases/dashboard"' in queue.text
    citizen = await signed_in(kit, role="citizen")
    mine = await kit.client.get("/cases", cookies=citizen)
    assert mine.status_code == 200 and 'href="/cases/dashboard"' not in mine.text
    assert (await kit.client.get("/cases/dashboard", cookies=citizen)).status_code == 403
    assert (await kit.client.get("/cases/dashboard")).status_code == 401
    assert not calls(rpc, "case_dashboard")
