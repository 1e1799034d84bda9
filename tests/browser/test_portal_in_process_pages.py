"""The signed-in portal pages in process (notify, filings and the registry faked): the
mailbox and its unread count in every page's menu, the society dashboard, the member
register and its CSV import — each asking its RPC with the call context the API route
gives the same visitor, refusing whom the API refuses, in English and Hindi."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from gateway.rpc import RpcTimeout
from services.common.errors import NotFound
from tests.browser.portal_kit import calls, portal_kit, signed_in
from tests.gateway.unit.conftest import FakeRpc

MESSAGE = {"id": "0b7c9d2e-0000-4000-8000-000000000001", "mailbox_kind": "society",
           "mailbox_id": "s1", "kind": "reminder", "subject": "Annual return due on 30-09-2026",
           "body": "File the annual return.\n\nThe registrar's office", "links": [],
           "created_at": "2026-08-31T04:30:00+00:00", "read_at": None, "archived_at": None}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def rpc() -> FakeRpc:
    fake = FakeRpc()
    fake.on("registry", "search_societies", lambda p: {"items": [], "next_cursor": None})
    fake.on("notify", "list_mailbox", lambda p: {
        "items": [MESSAGE], "next_cursor": "c2" if not p.get("cursor") else None,
        "unread": 3})
    fake.on("notify", "update_mailbox_message",
            lambda p: {**MESSAGE, "read_at": "2026-09-01T00:00:00+00:00" if p["read"] else None})
    return fake


@pytest.fixture
async def kit(rpc, tmp_path, monkeypatch):
    async with portal_kit(rpc, tmp_path, monkeypatch, ("registry", "notify", "filings")) as built:
        yield built


# ------------------------------------------------------------------ mailbox


@pytest.mark.anyio
async def test_every_signed_in_page_shows_the_unread_count_of_the_societys_mailbox(kit, rpc):
    cookies = await signed_in(kit, role="society_representative", scope_kind="society",
                               scope_id="s1")
    page = await kit.client.get("/societies", cookies=cookies)
    assert page.status_code == 200
    assert re.search(r'class="mailbox-link" href="/mailbox/societies/s1">Mailbox '
                     r'<span class="badge">3 unread', page.text)
    [count] = [c for c in calls(rpc, "list_mailbox")]
    assert count.payload == {"mailbox": {"kind": "society", "id": "s1"}, "limit": 1}
    # the context the API's notify.society_mailbox gives the representative
    assert count.context.actor_role == "society_representative"
    assert count.context.actor_scope == "society:s1"
    # an anonymous visitor's page asks nothing
    rpc.calls.clear()
    kit.client.cookies.clear()
    await kit.client.get("/societies")
    assert not calls(rpc, "list_mailbox")


@pytest.mark.anyio
async def test_a_mailbox_that_does_not_answer_leaves_the_page_whole(kit, rpc):
    def slow(payload):
        raise RpcTimeout("notify", "list_mailbox", 1.0)

    rpc.on("notify", "list_mailbox", slow)
    cookies = await signed_in(kit, role="applicant")
    page = await kit.client.get("/me", cookies=cookies)
    assert page.status_code == 200 and "You are signed in." in page.text
    assert 'href="/mailbox">Mailbox</a>' in page.text and "unread" not in page.text


@pytest.mark.anyio
async def test_the_mailbox_pages_in_hindi_and_a_message_is_marked_read_when_opened(kit, rpc):
    cookies = {**await signed_in(kit, role="society_representative", scope_kind="society",
                                  scope_id="s1"), "portal_lang": "hi"}
    listing = await kit.client.get("/mailbox/societies/s1", cookies=cookies)
    assert listing.status_code == 200
    assert "3 अपठित" in listing.text and "अनुस्मारक" in listing.text  # unread, reminder
    assert "31-08-2026" in listing.text
    [call] = calls(rpc, "list_mailbox")  # the list's own count serves the menu
    assert call.payload["limit"] == 20 and call.payload["cursor"] is None
    assert 'rel="next" href="/mailbox/societies/s1?cursor=c2&amp;back="' in listing.text
    rpc.calls.clear()
    opened = await kit.client.get(f"/mailbox/societies/s1/messages/{MESSAGE['id']}",
                                  cookies=cookies)
    assert opened.status_code == 200 and "File the annual return." in opened.text
    [update] = calls(rpc, "update_mailbox_message")
    assert update.payload == {"mailbox": {"kind": "society", "id": "s1"},
                              "message_id": MESSAGE["id"], "read": True}
    assert update.context.actor_scope == "society:s1"


@pytest.mark.anyio
async def test_another_societys_mailbox_is_not_found_and_unread_needs_the_form_token(kit, rpc):
    cookies = await signed_in(kit, role="society_representative", scope_kind="society",
                               scope_id="s1")
    other = await kit.client.get("/mailbox/societies/s2", cookies=cookies)
    assert other.status_code == 404 and "not yours to see" in other.text
    assert not [c for c in calls(rpc, "list_mailbox") if c.payload.get("limit") == 20]
    refused = await kit.client.post(f"/mailbox/societies/s1/messages/{MESSAGE['id']}",
                                    data={"csrf": "forged"}, cookies=cookies)
    assert refused.status_code == 422
    assert not calls(rpc, "update_mailbox_message")
    token = kit.client.cookies.get("portal_csrf")
    marked = await kit.client.post(f"/mailbox/societies/s1/messages/{MESSAGE['id']}",
                                   data={"csrf": token}, cookies=cookies)
    assert marked.status_code == 303 and marked.headers["location"] == "/mailbox/societies/s1"
    assert calls(rpc, "update_mailbox_message")[0].payload["read"] is False


@pytest.mark.anyio
async def test_the_mailbox_asks_to_sign_in(kit):
    page = await kit.client.get("/mailbox")
    assert page.status_code == 401 and "Send me a code" in page.text


# ------------------------------------------------------------------ dashboard


def _calendar(today: date) -> dict:
    def form(code, title, due_in, started=None):
        due_on = today + timedelta(days=due_in)
        return {"form_code": code, "title": title, "jurisdiction": "national",
                "next_period_end": (due_on - timedelta(days=15)).isoformat(),
                "next_due_on": due_on.isoformat(), "overdue": due_in < 0,
                "days_overdue": max(0, -due_in), "started_filing_id": started}

    return {"society_id": "s1", "name": "Kaveri Dairy", "as_on": today.isoformat(),
            "forms": [form("MSCS/ANNUAL", "Annual return", -20),
                      form("RCS/LQR/01", "Quarterly return", 6,
                           "5d0c2c4e-0000-4000-8000-00000000000a"),
                      form("MSCS/HALF", "Half-yearly return", 40)]}


@pytest.fixture
def filings(rpc):
    today = date(2026, 8, 20)
    rpc.on("filings", "society_calendar", lambda p: _calendar(today))
    rpc.on("filings", "audit_status", lambda p: {
        "society_id": "s1", "name": "Kaveri Dairy", "as_on": today.isoformat(),
        "category": "pending_1_3", "years_pending": 1, "pending_years": ["2024-25"],
        "last_audited_year": "2023-24"})
    rpc.on("registry", "get_public_society", lambda p: {
        "id": "s1", "name": "Kaveri Dairy", "registration_date": "2020-04-01"})
    return today


@pytest.mark.anyio
async def test_the_dashboard_marks_what_is_overdue_due_soon_and_later_in_indian_dates(
        kit, rpc, filings):
    cookies = await signed_in(kit, role="society_representative", scope_kind="society",
                               scope_id="s1")
    page = await kit.client.get("/dashboard/s1", cookies=cookies)
    assert page.status_code == 200, page.text
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))
    # returns: overdue first, then due soon (within 15 days), then later
    assert text.index("Annual return") < text.index("Quarterly return") \
        < text.index("Half-yearly return")
    assert "31-07-2026 Overdue by 20 days" in text
    assert "26-08-2026 Due soon: 6 days left" in text
    assert "29-09-2026 40 days left" in text
    assert "POST /v1/filings/5d0c2c4e-0000-4000-8000-00000000000a/submit" in text
    # audits: 2024-25 due 30-09-2025, overdue; 2025-26 due 30-09-2026, 41 days left
    assert "30-09-2025 Overdue by 324 days" in text and "2024-25" in text
    assert "30-09-2026 41 days left" in text and "2025-26" in text
    assert "Audit pending 1 to 3 years" in text
    assert "As on 20-08-2026: 2 overdue, 1 due within 15 days, 2 later." in text
    for method in ("society_calendar", "audit_status"):
        [call] = calls(rpc, method)
        assert call.payload == {"society_id": "s1"}
        assert call.context.actor_role == "society_representative"
        assert call.context.actor_scope == "society:s1"
    hindi = await kit.client.get("/dashboard/s1", cookies={**cookies, "portal_lang": "hi"})
    assert "20 दिन से समय सीमा पार" in hindi.text and "लेखा परीक्षा" in hindi.text


@pytest.mark.anyio
async def test_the_dashboard_has_the_calendars_rule_and_the_services_404(kit, rpc, filings):
    from gateway.access import MATRIX

    assert MATRIX["portal.dashboard"] == MATRIX["filings.calendar"] \
        == MATRIX["filings.audits.status"]

    def not_yours(payload):
        raise NotFound("No such society on the filings roster.")

    rpc.on("filings", "society_calendar", not_yours)
    cookies = await signed_in(kit, role="society_representative", scope_kind="society",
                               scope_id="s1")
    other = await kit.client.get("/dashboard/s2", cookies=cookies)
    assert other.status_code == 404 and "not yours to see" in other.text
    applicant = await signed_in(kit, role="applicant")
    refused = await kit.client.get("/dashboard/s1", cookies=applicant)
    assert refused.status_code == 403
    mine = await kit.client.get("/dashboard", cookies=cookies)
    assert mine.status_code == 303 and mine.headers["location"] == "/dashboard/s1"


# ------------------------------------------------------------------ member register


MEMBER = {"member_id": "m1", "society_id": "s1", "membership_number": "M-001",
          "name": "Lakshmi Rao", "category": "individual", "admission_date": "2019-06-01",
          "cessation_date": None, "cessation_reason": None, "status": "active",
          "phone": None, "email": None, "language": "en"}


@pytest.fixture
def register(rpc):
    rpc.on("registry", "search_members", lambda p: {
        "items": [MEMBER], "next": "M-001" if p["after"] is None else None})
    staged: list[dict] = []
    rpc.on("registry", "begin_member_import", lambda p: {"job_id": "j1"})
    rpc.on("registry", "add_member_import_rows", lambda p: staged.extend(p["rows"]) or {})

    def finish(payload):
        bad = [{"line": r["line"], "field": "line", "reason": r["problem"]}
               for r in staged if r.get("problem")]
        bad += [{"line": r["line"], "field": "admission_date",
                 "reason": "must not be in the future"}
                for r in staged if r["cells"].get("admission_date", "").startswith("2999")]
        status = "rejected" if bad and not payload["skip_bad_rows"] else "imported"
        return {"job_id": "j1", "society_id": "s1", "status": status,
                "rows_received": len(staged), "bad_row_count": len(bad),
                "imported": 0 if status == "rejected" else len(staged) - len(bad),
                "bad_rows": bad, "bad_rows_truncated": False}

    rpc.on("registry", "finish_member_import", finish)
    return staged


CSV = ("membership_number,name,category,admission_date\n"
       "M-101,Asha Devi,individual,2020-04-01\n"
       "M-102,Future Member,individual,2999-01-01\n"
       "M-103,Too,many,cells,here\n")


async def _upload(kit, cookies, text: str, **extra):
    await kit.client.get("/members/s1/import", cookies=cookies)
    token = kit.client.cookies.get("portal_csrf")
    return await kit.client.post("/members/s1/import", cookies=cookies,
                                 data={"csrf": token, **extra},
                                 files={"file": ("members.csv", text.encode(), "text/csv")})


@pytest.mark.anyio
async def test_the_register_searches_and_pages_with_the_apis_cursor(kit, rpc, register):
    cookies = await signed_in(kit, role="society_representative", scope_kind="society",
                               scope_id="s1")
    page = await kit.client.get("/members/s1", params={"q": "Lak"}, cookies=cookies)
    assert page.status_code == 200
    assert "Lakshmi Rao" in page.text and "01-06-2019" in page.text
    [call] = calls(rpc, "search_members")
    assert call.payload["q"] == "Lak" and call.payload["after"] is None
    assert call.payload["limit"] == 50
    assert call.context.actor_scope == "society:s1"
    # the next page's cursor is the API's (next_cursor of GET .../members)
    from gateway.pagination import encode_cursor

    assert f"cursor={encode_cursor('M-001')}" in page.text
    rpc.calls.clear()
    second = await kit.client.get("/members/s1", params={
        "q": "Lak", "cursor": encode_cursor("M-001")}, cookies=cookies)
    assert second.status_code == 200 and 'rel="prev"' in second.text
    assert calls(rpc, "search_members")[0].payload["after"] == "M-001"
    other = await kit.client.get("/members/s2", cookies=cookies)
    assert other.status_code == 404


@pytest.mark.anyio
async def test_an_import_with_a_bad_row_imports_nothing_and_names_each_line(kit, rpc,
                                                                          register):
    cookies = {**await signed_in(kit, role="society_representative",
                                  scope_kind="society", scope_id="s1"), "portal_lang": "hi"}
    answer = await _upload(kit, cookies, CSV)
    assert answer.status_code == 422
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.text))
    assert "कुछ भी आयात नहीं किया गया" in text  # nothing was imported
    # line 3: the date is in the future; line 4: 5 cells, the header 4 (in line order)
    rows = text[text.index("समस्या वाली पंक्तियाँ"):]
    assert rows.index("3 admission_date तिथि भविष्य की है।") \
        < rows.index("4 पूरी पंक्ति इस पंक्ति में 5 खाने हैं; शीर्ष पंक्ति में 4।")
    [finish] = calls(rpc, "finish_member_import")
    assert finish.payload["skip_bad_rows"] is False
    assert finish.context.actor_scope == "society:s1"
    assert [r["line"] for r in register] == [2, 3, 4]


@pytest.mark.anyio
async def test_an_import_may_leave_out_the_bad_rows_as_the_api_does(kit, rpc, register):
    cookies = await signed_in(kit, role="society_representative", scope_kind="society",
                               scope_id="s1")
    answer = await _upload(kit, cookies, CSV, skip_bad_rows="true")
    assert answer.status_code == 201
    assert "1 members imported." in answer.text and "2 wrong rows were left out" in answer.text
    assert calls(rpc, "finish_member_import")[0].payload["skip_bad_rows"] is True


@pytest.mark.anyio
async def test_an_import_without_the_required_columns_asks_nothing_of_the_registry(
        kit, rpc, register):
    cookies = await signed_in(kit, role="society_representative", scope_kind="society",
                               scope_id="s1")
    answer = await _upload(kit, cookies, "name,category\nAsha,individual\n")
    assert answer.status_code == 422
    assert "missing: membership_number, admission_date" in answer.text
    assert not calls(rpc, "begin_member_import")
    refused = await kit.client.post("/members/s1/import", cookies=cookies,
                                    data={"csrf": "forged"},
                                    files={"file": ("m.csv", CSV.encode(), "text/csv")})
    assert refused.status_code == 422 and not calls(rpc, "begin_member_import")


@pytest.mark.anyio
async def test_a_path_no_page_can_take_answers_the_apis_422_as_a_page(kit):
    cookies = await signed_in(kit, role="society_representative", scope_kind="society",
                               scope_id="s1")
    page = await kit.client.get("/mailbox/societies/s1/messages/not-a-message-id",
                                cookies=cookies)
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert "Check what you typed and try again." in page.text


@pytest.mark.anyio
async def test_a_forms_answer_shows_the_menus_count_too(kit, rpc, register):
    cookies = await signed_in(kit, role="society_representative", scope_kind="society",
                               scope_id="s1")
    answer = await _upload(kit, cookies, CSV)
    assert answer.status_code == 422
    assert '<span class="badge">3 unread</span>' in answer.text
