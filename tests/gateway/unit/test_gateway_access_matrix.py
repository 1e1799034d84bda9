"""The matrix, walked: every route of the app with no token and with a token for every role
(unscoped where the role allows it, scoped to society A, scoped to society B), each answer
checked against gateway/rules/. Also: no route without a rule, the published table
equals the matrix, and the actor travels on every RPC call."""

from __future__ import annotations

import re
import uuid
from contextlib import aclosing
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter

from gateway.access import MATRIX, Access, allow, api_routes, check_routes, render_matrix
from gateway.deps import CallContextDep, RpcDep
from gateway.identity import roles as R
from gateway.main import create_app
from tests.gateway.identity_kit import make_kit, settings_for

pytestmark = pytest.mark.anyio

DOC = Path(__file__).resolve().parents[3] / "docs" / "access.md"
SOCIETY_A, SOCIETY_B = "soc-A", "soc-B"
SKIPPED = {"/docs", "/openapi.json", "/redoc", "/docs/oauth2-redirect"}


def identities() -> list[tuple[str, str, str | None, str | None]]:
    """(label, role, scope kind, scope id) for every token the walk uses."""
    found = []
    for spec in R.ROLE_SPECS:
        if None in spec.scopes:
            found.append((f"{spec.name}", spec.name, None, None))
        if R.SOCIETY in spec.scopes:
            found.append((f"{spec.name}@A", spec.name, R.SOCIETY, SOCIETY_A))
            found.append((f"{spec.name}@B", spec.name, R.SOCIETY, SOCIETY_B))
        if spec.scopes == (R.ELECTION,):
            found.append((f"{spec.name}@E1", spec.name, R.ELECTION, "E1"))
    return found


def expected(rule: Access, role: str | None, scope: tuple[str, str] | None,
             path_params: dict[str, str]) -> str:
    """"allowed", "401", "403" or "404" for one identity on one rule."""
    if rule.who == "public":
        return "allowed"
    if role is None:
        return "401"
    if rule.who == "authenticated":
        return "allowed"
    if role not in rule.roles:
        return "403"
    if rule.scope_kind is None or scope is None:
        return "allowed"
    if scope == (rule.scope_kind, path_params[rule.scope_param]):
        return "allowed"
    return "404" if rule.hide_existence else "403"


def fill(path: str) -> tuple[str, dict[str, str]]:
    values = {"society_id": SOCIETY_A, "account_id": str(uuid.uuid4()),
              "grant_id": str(uuid.uuid4()), "document_id": uuid.uuid4().hex,
              "code": "AAAA-BBBB-CCCC", "template_key": "otp", "delivery_id": "1"}
    # Any other id: a UUID, which every id pattern of the API accepts.
    params = {name: values.get(name) or str(uuid.uuid4())
              for name in re.findall(r"{(\w+)}", path)}
    return path.format(**params), params


def matches(outcome: str, status: int) -> bool:
    if outcome == "allowed":
        return status not in (401, 403, 500)
    return status == int(outcome)


async def test_every_route_with_every_role_answers_as_the_matrix_says(gateway_db_url,
                                                                      fake_rpc):
    kit = make_kit(gateway_db_url, rpc=fake_rpc)
    tokens: dict[str, dict[str, Any]] = {}
    for label, role, kind, ident in identities():
        tokens[label] = {"token": await kit.token_for(role=role, scope_kind=kind,
                                                      scope_id=ident),
                         "role": role, "scope": (kind, ident) if kind else None}
    routes = [route for route in api_routes(kit.app) if route.path_format not in SKIPPED]
    assert len(routes) == len(MATRIX)
    mismatches = []
    walked = 0
    async with aclosing(kit.client):
        for route in routes:
            rule = kit.app.state.access[route.name]
            method = sorted(route.methods)[0]
            url, params = fill(route.path_format)
            body = {} if method in ("POST", "PUT", "PATCH") else None
            cases = [("no token", None, None, None)] + [
                (label, entry["token"], entry["role"], entry["scope"])
                for label, entry in tokens.items()]
            for label, token, role, scope in cases:
                if route.name == "auth.sign_out" and token is not None:
                    # Signing out ends the session: the same identity, a fresh session.
                    kind, ident = scope or (None, None)
                    token = await kit.token_for(role=role, scope_kind=kind, scope_id=ident)
                headers = kit.headers(token)
                response = await kit.client.request(method, url, json=body, headers=headers)
                walked += 1
                want = expected(rule, role, scope, params)
                if not matches(want, response.status_code):
                    mismatches.append(f"{method} {url} as {label}: want {want}, got "
                                      f"{response.status_code} {response.text[:120]}")
                if response.status_code == 401:
                    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert not mismatches, "\n".join(mismatches)
    assert walked == len(routes) * (1 + len(tokens))


def test_every_route_has_a_rule_and_every_rule_a_route(gateway_db_url):
    app = create_app(settings_for(gateway_db_url))
    check_routes(app)
    names = {route.name for route in api_routes(app)}
    assert names == set(MATRIX)


async def test_a_route_without_a_rule_fails_closed(gateway_db_url, fake_rpc, client_for):
    app = create_app(settings_for(gateway_db_url), rpc=fake_rpc)

    @app.get("/t/forgotten", response_model=dict)
    async def forgotten() -> dict:
        return {"leaked": True}

    with pytest.raises(RuntimeError, match="forgotten"):
        async with app.router.lifespan_context(app):
            pass
    async with client_for(app) as client:
        response = await client.get("/t/forgotten")
    assert response.status_code == 403
    assert "leaked" not in response.text


def test_extra_rules_cannot_replace_the_matrix(gateway_db_url):
    with pytest.raises(ValueError, match="already has its rule"):
        create_app(settings_for(gateway_db_url), extra_access={"me": allow("citizen")})


def test_the_published_table_is_the_matrix(gateway_db_url):
    app = create_app(settings_for(gateway_db_url))
    text = DOC.read_text()
    start, end = "<!-- matrix:start -->\n", "<!-- matrix:end -->"
    assert start in text and end in text, "docs/access.md lost its matrix markers"
    published = text.split(start, 1)[1].split(end, 1)[0]
    assert published == render_matrix(api_routes(app), app.state.access), (
        "docs/access.md disagrees with gateway/rules/; regenerate it with "
        "`python -m gateway.access`")


async def test_the_acting_grant_travels_on_every_call(gateway_db_url, fake_rpc):
    router = APIRouter()

    @router.get("/t/societies/{society_id}/echo", response_model=dict)
    async def scoped_echo(society_id: str, rpc: RpcDep, context: CallContextDep) -> dict:
        return await rpc.call("registry", "echo", {"society_id": society_id}, context=context)

    kit = make_kit(gateway_db_url, rpc=fake_rpc, extra_access={
        "scoped_echo": allow("society_representative", "registrar",
                             scope=("society", "society_id"))})
    kit.app.include_router(router)
    fake_rpc.on("registry", "echo", lambda payload: payload)
    rep = await kit.tokens_for(role="society_representative", scope_kind="society",
                               scope_id=SOCIETY_A)
    registrar = await kit.tokens_for(role="registrar")
    async with aclosing(kit.client):
        ok = await kit.client.get(f"/t/societies/{SOCIETY_A}/echo",
                                  headers=kit.headers(rep["access_token"]))
        other = await kit.client.get(f"/t/societies/{SOCIETY_B}/echo",
                                     headers=kit.headers(rep["access_token"]))
        central = await kit.client.get(f"/t/societies/{SOCIETY_B}/echo",
                                       headers=kit.headers(registrar["access_token"]))
    assert ok.status_code == 200 and central.status_code == 200
    assert other.status_code == 403
    assert len(fake_rpc.calls) == 2  # the refused request never reached a service
    headers = [call.context.headers() for call in fake_rpc.calls]
    assert headers[0]["nameko.actor_id"] == rep["account"]["id"]
    assert headers[0]["nameko.actor_role"] == "society_representative"
    assert headers[0]["nameko.actor_scope"] == f"society:{SOCIETY_A}"
    assert headers[1]["nameko.actor_role"] == "registrar"
    assert "nameko.actor_scope" not in headers[1]  # unscoped: absent
