"""A society's documents and the office's templates in process (the documents service
faked): the public list asked as everyone is asked, the filed documents with the
visitor's grant (a citizen signed in by OTP), each linked where its reader can fetch it;
dates dd-mm-yyyy, both languages, the pager; whom the API refuses, the page refuses."""

from __future__ import annotations

import pytest

from tests.browser.portal_kit import calls, portal_kit, signed_in
from tests.gateway.unit.conftest import FakeRpc

PUBLIC_ID = "a" * 32
CITIZENS_ID = "b" * 32


def _document(document_id: str, access_level: str, **changes):
    return {"document_id": document_id, "owner": "society:s1", "society_id": "s1",
            "kind": "audit_report", "category": "2024-25", "title": "Audit report 2024-25",
            "access_level": access_level, "created_at": "2026-07-01T04:00:00+00:00",
            "current": {"version": 1, "file_name": "audit.pdf",
                        "content_type": "application/pdf", "size": 2_50_000,
                        "sha256": "0" * 64, "uploaded_by": "rep-1",
                        "uploaded_at": "2026-06-30T20:00:00+00:00"},
            **changes}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def rpc() -> FakeRpc:
    fake = FakeRpc()
    fake.on("notify", "list_mailbox", lambda p: {"items": [], "next_cursor": None,
                                                 "unread": 0})

    def listed(payload):
        if payload.get("kind") == "template":
            return {"items": [_document(PUBLIC_ID, "public", kind="template",
                                        title="Model bye-laws", category="bye-laws",
                                        owner="office:crcs", society_id=None)],
                    "next_cursor": None}
        items = [_document(PUBLIC_ID, "public", title="Balance sheet 2024-25",
                           kind="balance_sheet")]
        if not payload.get("public_only"):
            items.append(_document(CITIZENS_ID, "citizens_with_otp"))
        return {"items": items, "next_cursor": "c2" if not payload.get("cursor") else None}

    fake.on("documents", "list_documents", listed)
    fake.on("registry", "get_public_society", lambda p: {
        "id": p["society_id"], "name": "Sahyog Credit Co-operative Society"})
    return fake


@pytest.fixture
async def kit(rpc, tmp_path, monkeypatch):
    async with portal_kit(rpc, tmp_path, monkeypatch, ("registry", "notify", "documents")
                          ) as built:
        yield built


@pytest.mark.anyio
async def test_anyone_reads_a_societys_public_documents_asked_as_everyone(kit, rpc):
    page = await kit.client.get("/societies/s1/documents")
    assert page.status_code == 200, page.text
    assert "Public documents of Sahyog Credit Co-operative Society" in page.text
    assert f'href="/v1/documents/public/{PUBLIC_ID}/content">Balance sheet 2024-25' in \
        page.text
    assert "Balance sheet" in page.text and "01-07-2026" in page.text     # IST's day
    assert "245 KB" in page.text
    assert 'rel="next" href="/societies/s1/documents?cursor=c2"' in page.text
    [call] = calls(rpc, "list_documents")
    assert call.payload == {"society_id": "s1", "public_only": True, "limit": 20,
                            "cursor": None}
    assert call.context.actor_role == "anonymous"
    rpc.calls.clear()
    await kit.client.get("/societies/s1/documents?cursor=<x>")
    assert calls(rpc, "list_documents")[0].payload["cursor"] is None


@pytest.mark.anyio
async def test_a_citizen_signed_in_reads_what_the_society_filed_for_citizens(kit, rpc):
    cookies = {**await signed_in(kit, role="citizen", scope_kind="account",
                                 scope_id="c-1"), "portal_lang": "hi"}
    page = await kit.client.get("/filed-documents?society_id=s1", cookies=cookies)
    assert page.status_code == 200, page.text
    assert "Sahyog Credit Co-operative Society द्वारा दाखिल दस्तावेज़" in page.text
    assert "लेखापरीक्षा प्रतिवेदन" in page.text               # the kind, in Hindi
    # the citizens' document through the portal's download route, the public one direct
    assert f'href="/documents/{CITIZENS_ID}">Audit report 2024-25' in page.text
    assert f'href="/v1/documents/public/{PUBLIC_ID}/content"' in page.text
    [call] = calls(rpc, "list_documents")
    assert "public_only" not in call.payload and call.context.actor_role == "citizen"
    # not signed in: the sign-in page (401), nothing asked
    rpc.calls.clear()
    anonymous = await kit.client.get("/filed-documents?society_id=s1")
    assert anonymous.status_code == 401 and not calls(rpc, "list_documents")
    # no society named: a form to name one; a malformed id told beside it, not asked
    chooser = await kit.client.get("/filed-documents", cookies=cookies)
    assert chooser.status_code == 200 and 'name="society_id"' in chooser.text
    bad = await kit.client.get("/filed-documents?society_id=a%20b", cookies=cookies)
    assert bad.status_code == 422 and not calls(rpc, "list_documents")


@pytest.mark.anyio
async def test_the_templates_page_lists_the_offices_formats_by_category(kit, rpc):
    page = await kit.client.get("/templates?category=bye-laws")
    assert page.status_code == 200
    assert "Sample templates and formats" in page.text and "Model bye-laws" in page.text
    [call] = calls(rpc, "list_documents")
    assert call.payload["kind"] == "template" and call.payload["category"] == "bye-laws"
    assert call.context.actor_role == "anonymous"
    home = await kit.client.get("/")
    assert 'href="/templates"' in home.text
