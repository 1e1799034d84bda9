"""One pagination convention for every list: ``limit`` and ``cursor`` in, ``items`` and
``next_cursor`` out, whatever the service behind pages by."""

from __future__ import annotations

import pytest

from gateway.pagination import SERVICE_NEXT_KEYS

pytestmark = pytest.mark.anyio

CATEGORY = "individual"
ELECTION = "6f1d0a52-55c4-4a55-9f0e-3c1c1b7e2d90"

FORM = {"code": "MSCS/ANNUAL", "version": 1, "jurisdiction": "central", "filer": "society",
        "title": {"en": "Annual return"}}


async def walk(client, path: str, params: dict) -> list[dict]:
    """Every page of a list, following next_cursor; the pages' items in order."""
    pages, cursor = [], None
    while True:
        answer = await client.get(path, params={**params, **({"cursor": cursor} if cursor
                                                              else {})})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert not set(body) & set(SERVICE_NEXT_KEYS)
        pages.append(body)
        cursor = body["next_cursor"]
        if cursor is None:
            return pages


async def test_an_offset_paged_list_is_walked_by_cursor(make_app, client_for, fake_rpc):
    def forms(payload):
        offset, limit = payload["offset"], payload["limit"]
        codes = [f"F{n}" for n in range(5)][offset:offset + limit]
        following = offset + limit if offset + limit < 5 else None
        return {"items": [{**FORM, "code": code} for code in codes], "next_offset": following}

    fake_rpc.on("filings", "list_forms", forms)
    async with client_for(make_app()) as client:
        pages = await walk(client, "/v1/filings/forms", {"limit": 2})
    assert [[f["code"] for f in page["items"]] for page in pages] == [
        ["F0", "F1"], ["F2", "F3"], ["F4"]]
    assert [call.payload["offset"] for call in fake_rpc.calls] == [0, 2, 4]


async def test_a_keyset_paged_list_is_walked_by_cursor(make_app, client_for, fake_rpc):
    entries = [{"serial_no": n, "membership_number": f"M-{n}", "name": f"Member {n}",
                "category": CATEGORY} for n in range(1, 6)]

    def page(payload):
        after, limit = payload["after"] or 0, payload["limit"]
        chunk = [e for e in entries if e["serial_no"] > after][:limit]
        more = chunk and chunk[-1]["serial_no"] < 5
        return {"election_id": ELECTION, "number": "12/2026-27", "society_name": "Narmada",
                "kind": "final", "published_at": "2026-01-01T00:00:00+00:00", "entries": 5,
                "items": chunk, "next": chunk[-1]["serial_no"] if more else None}

    fake_rpc.on("elections", "voter_list_page", page)
    async with client_for(make_app()) as client:
        pages = await walk(client, f"/v1/elections/{ELECTION}/voter-list/final/entries",
                           {"limit": 3})
    assert [[e["serial_no"] for e in p["items"]] for p in pages] == [[1, 2, 3], [4, 5]]
    assert [call.payload["after"] for call in fake_rpc.calls] == [None, 3]


@pytest.mark.parametrize("cursor", ["not-a-cursor", "LTE", "InRleHQi", "***"])
async def test_a_cursor_the_list_never_gave_is_refused(make_app, client_for, fake_rpc, cursor):
    async with client_for(make_app()) as client:
        answer = await client.get("/v1/filings/forms", params={"cursor": cursor})
    assert answer.status_code == 422
    assert set(answer.json()["error"]["details"]["fields"]) == {"query.cursor"}
    assert fake_rpc.calls == []


def test_every_list_in_the_openapi_pages_the_same_way(make_app):
    app = make_app()
    document = app.openapi()
    schemas = document["components"]["schemas"]
    lists = 0
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            assert not names & {"offset", "after", "page"}, (method, path)
            ok = operation["responses"].get("200", {}).get("content", {})
            ref = ok.get("application/json", {}).get("schema", {}).get("$ref", "")
            properties = schemas[ref.rsplit("/", 1)[-1]].get("properties", {}) if ref else {}
            if "cursor" in names or {"items", "next_cursor"} <= set(properties):
                lists += 1
                assert {"limit", "cursor"} <= names, (method, path)
                assert {"items", "next_cursor"} <= set(properties), (method, path)
            if "items" in properties:
                assert not set(properties) & set(SERVICE_NEXT_KEYS), (method, path)
    assert lists >= 25
