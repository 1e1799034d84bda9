"""The portal in process (ASGI, the registry and documents faked): what the browser tests
cannot see cheaply — the calls' actor, CSRF refusals, cookies never read by the API, safe
redirects, the catalogues complete, the code labels equal to the contracts', and each
page's CSS + JS under 100 KB compressed."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from gateway.portal import labels
from gateway.portal.i18n import LANGUAGES, catalogue_path
from gateway.portal.links import safe_next
from services.common.contracts import registry as contracts
from tests.gateway.identity_kit import make_kit, make_template, migrated_copy
from tests.gateway.unit.conftest import FakeRpc

PORTAL = Path(__file__).resolve().parents[2] / "gateway" / "portal"
SOCIETY = {"id": "s1", "registration_number": "MSCS/CR/1/2020",
           "registration_date": "2020-04-01", "name": "Kaveri Dairy", "address": "Mysuru",
           "state": "Karnataka", "district": "Mysuru", "area_of_operation": ["Karnataka"],
           "type": "dairy", "status": "registered", "office_id": "crcs", "board": None}
PAGE_WEIGHT_LIMIT = 100 * 1024


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def rpc() -> FakeRpc:
    fake = FakeRpc()
    fake.on("registry", "search_societies", lambda p: {"items": [SOCIETY], "next_cursor": None})
    fake.on("registry", "get_public_society", lambda p: SOCIETY)
    return fake


@pytest.fixture
async def kit(rpc, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_COOKIE_SECURE", "false")
    from gateway.portal.settings import get_portal_settings

    get_portal_settings.cache_clear()
    built = make_kit(migrated_copy(make_template(tmp_path), tmp_path), rpc=rpc)
    async with built.app.router.lifespan_context(built.app):
        yield built
    get_portal_settings.cache_clear()


@pytest.mark.anyio
async def test_the_directory_asks_the_registry_as_an_anonymous_caller(kit, rpc):
    page = await kit.client.get("/societies", params={"q": "Kav", "state": "Karnataka"})
    assert page.status_code == 200 and "Kaveri Dairy" in page.text
    [call] = [c for c in rpc.calls if c.method == "search_societies"]
    assert call.payload == {"q": "Kav", "state": "Karnataka", "limit": 20}
    assert call.context.actor_role == "anonymous" and call.context.actor_scope == "public"


@pytest.mark.anyio
async def test_a_post_without_the_forms_csrf_token_is_refused(kit):
    await kit.client.get("/sign-in")
    assert kit.client.cookies.get("portal_csrf")
    refused = await kit.client.post("/sign-in", data={"destination": "a@example.in",
                                                      "csrf": "not-the-token"})
    assert refused.status_code == 422
    assert "The form has expired" in refused.text
    assert kit.channel.sent == []


@pytest.mark.anyio
async def test_the_api_never_reads_the_portal_cookies(kit):
    tokens = await kit.citizen_tokens()
    cookie = {"portal_access": tokens["access_token"]}
    page = await kit.client.get("/me", cookies=cookie)
    assert page.status_code == 200 and "You are signed in." in page.text
    api = await kit.client.get("/v1/me", cookies=cookie)
    assert api.status_code == 401


@pytest.mark.anyio
async def test_an_expired_access_cookie_is_renewed_with_the_refresh_cookie(kit):
    tokens = await kit.citizen_tokens()
    page = await kit.client.get("/me", cookies={"portal_access": "expired.or.forged",
                                                "portal_refresh": tokens["refresh_token"]})
    assert page.status_code == 200
    renewed = {c.split("=", 1)[0] for c in page.headers.get_list("set-cookie")}
    assert {"portal_access", "portal_refresh"} <= renewed
    # the old refresh token was rotated: using it again ends the session
    kit.client.cookies.clear()
    again = await kit.client.get("/me", cookies={"portal_refresh": tokens["refresh_token"]})
    assert again.status_code == 401 and "Send me a code" in again.text


@pytest.mark.anyio
async def test_pages_answer_with_the_security_headers(kit):
    page = await kit.client.get("/")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    # the API's answers keep their own headers
    assert "content-security-policy" not in (await kit.client.get("/health/live")).headers


@pytest.mark.anyio
async def test_the_language_switch_goes_back_only_to_this_site(kit):
    away = await kit.client.get("/language", params={"to": "hi", "next": "//evil.example/"})
    assert away.headers["location"] == "/"
    assert "portal_lang=hi" in away.headers["set-cookie"]
    assert safe_next("https://evil.example/") == "/"
    assert safe_next("/societies?q=ab") == "/societies?q=ab"


@pytest.mark.anyio
async def test_secure_cookies_carry_the_host_prefix(rpc, tmp_path, monkeypatch):
    monkeypatch.delenv("PORTAL_COOKIE_SECURE", raising=False)
    from gateway.portal.settings import get_portal_settings

    get_portal_settings.cache_clear()
    built = make_kit(migrated_copy(make_template(tmp_path), tmp_path), rpc=rpc)
    try:
        async with built.app.router.lifespan_context(built.app):
            page = await built.client.get("/sign-in")
        [csrf] = [c for c in page.headers.get_list("set-cookie") if "csrf" in c]
        assert csrf.startswith("__Host-portal_csrf=") and "Secure" in csrf
        assert "HttpOnly" in csrf and "SameSite=Lax" in csrf
    finally:
        get_portal_settings.cache_clear()


def _extracted_messages() -> set[str]:
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    found = extract_from_dir(str(PORTAL), method_map, options_map=options,
                             keywords={"_": None, "gettext": None, "N_": None})
    return {message for _file, _line, message, _comments, _context in found
            if isinstance(message, str)}


def test_every_visible_string_has_its_hindi_translation():
    used = _extracted_messages()
    assert len(used) > 100
    for language in LANGUAGES:
        with catalogue_path(language).open("rb") as source:
            catalogue = read_po(source, locale=language)
        kept = {m.id for m in catalogue if m.id}
        assert used <= kept, f"{language}: not in the catalogue: {sorted(used - kept)}"
        if language == "hi":
            untranslated = sorted(m.id for m in catalogue if m.id and not m.string)
            assert not untranslated, untranslated
            assert all(re.search(r"[\u0900-\u097F]", m.string)
                       for m in catalogue if m.id and re.search("[a-z]{3}", m.id))


def test_code_labels_cover_the_contracts_codes():
    assert set(labels.SOCIETY_TYPES) == set(contracts.SOCIETY_TYPES)
    assert set(labels.SOCIETY_STATUSES_SHOWN) == set(contracts.SOCIETY_STATUSES)
    assert set(labels.APPLICATION_STAGES_SHOWN) == set(contracts.APPLICATION_STAGES)
    assert set(labels.APPLICATION_KINDS) == set(contracts.APPLICATION_KINDS)


def test_each_pages_css_and_js_stay_under_100_kb_compressed():
    """Every page links only the portal's own static files (base.html); together,
    compressed, they stay under the budget."""
    templates = "".join(p.read_text() for p in (PORTAL / "templates").glob("*.html"))
    linked = set(re.findall(r'(?:href|src)="/static/portal/([^"]+)"', templates))
    assert linked and all((PORTAL / "static" / name).exists() for name in linked)
    assert not re.search(r"<script(?![^>]*\bsrc=)", templates), "no inline scripts"
    assert "style=" not in templates, "no inline styles (the CSP forbids them)"
    weight = sum(len(gzip.compress((PORTAL / "static" / name).read_bytes(), 9))
                 for name in linked)
    assert weight <= PAGE_WEIGHT_LIMIT




@pytest.mark.anyio
async def test_a_page_that_fails_answers_with_the_portals_page_not_json(kit, rpc):
    def broken(payload):
        raise RuntimeError("a bug")

    rpc.on("registry", "search_societies", broken)
    page = await kit.client.get("/societies", params={"q": "Kav"})
    assert page.status_code == 500
    assert page.headers["content-type"].startswith("text/html")
    assert "The service is not answering" in page.text
    # a path no page has keeps the gateway's error shape
    unknown = await kit.client.get("/no-such-page")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("application/")
