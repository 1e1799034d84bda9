"""Identity end to end through the app, on a real database: SQLite files and PostgreSQL.

Sign-in, brute-force limits, OTP, refresh rotation and theft detection, sign-out, disabled
accounts, the administrator's flow with a forced password change, grants, and the audit
chain without a secret in it or in the logs."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import aclosing
from datetime import timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from gateway.__main__ import create_admin
from gateway.identity import models, store
from tests.gateway.identity_kit import PASSWORD, make_kit, random_address, settings_for
from tests.support import pg

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db_url(request, tmp_path_factory) -> Iterator[str]:
    """One migrated database per backend for the module; tests use unique names."""
    from services.common.migrate import upgrade

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('identity')}/gateway.db"
        upgrade("gateway", url)
        yield url
        return
    name, url = pg.create_database("gw")
    try:
        upgrade("gateway", url)
        yield url
    finally:
        pg.drop_database(name)


@pytest.fixture
async def kit(db_url):
    made = make_kit(db_url)
    async with aclosing(made.client):
        yield made
    made.app.state.identity.close()


def test_migrations_build_exactly_the_models(db_url):
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), models.metadata)
    finally:
        engine.dispose()
    assert diff == []


# ---------------------------------------------------------------------- passwords


async def test_sign_in_succeeds_and_fails_the_same_way_for_unknown_names(kit):
    account = kit.make_account(role="registrar")
    good = await kit.sign_in(account["username"])
    assert good.status_code == 200, good.text
    body = good.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 600 and body["refresh_expires_in"] > 0
    me = await kit.client.get("/v1/me", headers=kit.headers(body["access_token"]))
    assert me.status_code == 200
    assert me.json()["username"] == account["username"]
    assert [g["role"] for g in me.json()["grants"]] == ["registrar"]

    wrong = await kit.sign_in(account["username"], "not the password at all")
    unknown = await kit.sign_in("nobody-by-that-name", "not the password at all")
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert response.json()["error"]["message"] == "Wrong username or password."
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


async def test_the_sixth_wrong_password_for_an_account_is_429(kit):
    account = kit.make_account(role="registrar")
    for _ in range(5):
        response = await kit.sign_in(account["username"], "wrong wrong wrong",
                                     address=random_address())
        assert response.status_code == 401
    refused = await kit.sign_in(account["username"], address=random_address())  # right one
    assert refused.status_code == 429, refused.text
    error = refused.json()["error"]
    assert error["code"] == "rate_limited"
    assert error["details"]["limit"] == "password_fail_account"
    seconds = error["details"]["retry_after_seconds"]
    assert 0 < seconds <= 15 * 60
    assert refused.headers["Retry-After"] == str(seconds)


async def test_the_21st_wrong_password_from_one_address_is_429(kit):
    address = random_address()
    for index in range(20):
        response = await kit.sign_in(f"guess-{index}-{address}", "wrong wrong wrong",
                                     address=address)
        assert response.status_code == 401
    account = kit.make_account(role="registrar")
    refused = await kit.sign_in(account["username"], address=address)
    assert refused.status_code == 429
    assert refused.json()["error"]["details"]["limit"] == "password_fail_address"
    assert (await kit.sign_in(account["username"])).status_code == 200  # elsewhere: fine


async def test_a_success_forgets_earlier_failures_of_the_account(kit):
    account = kit.make_account(role="registrar")
    for _ in range(4):
        await kit.sign_in(account["username"], "wrong wrong wrong", address=random_address())
    assert (await kit.sign_in(account["username"])).status_code == 200
    for _ in range(4):
        await kit.sign_in(account["username"], "wrong wrong wrong", address=random_address())
    assert (await kit.sign_in(account["username"])).status_code == 200


# ---------------------------------------------------------------------- OTP


async def test_otp_registers_a_citizen_once_and_signs_them_in(kit):
    destination = "Asha.Citizen@Example.IN"
    first = await kit.request_otp(destination)
    assert first.status_code == 202
    assert set(first.json()) == {"challenge_id", "expires_in"}
    assert first.json()["expires_in"] == 300
    sent = kit.channel.sent[-1]
    assert sent["destination"] == "asha.citizen@example.in"
    assert sent["channel"] == "email" and sent["purpose"] == "sign_in"
    verified = await kit.client.post("/v1/auth/otp/verify", json={
        "challenge_id": first.json()["challenge_id"], "code": sent["code"]},
        headers=kit.headers())
    assert verified.status_code == 200, verified.text
    me = (await kit.client.get("/v1/me", headers=kit.headers(
        verified.json()["access_token"]))).json()
    assert me["kind"] == "citizen"
    assert [g["role"] for g in me["grants"]] == ["citizen"]

    # A known destination gets the very same answer, and the same account back.
    again = await kit.citizen_tokens("asha.citizen@example.in")
    me_again = (await kit.client.get("/v1/me", headers=kit.headers(
        again["access_token"]))).json()
    assert me_again["id"] == me["id"]


async def test_a_used_code_cannot_be_replayed(kit):
    response = await kit.request_otp(f"replay-{random_address()}@example.in")
    challenge = response.json()["challenge_id"]
    body = {"challenge_id": challenge, "code": kit.channel.code_for(challenge)}
    assert (await kit.client.post("/v1/auth/otp/verify", json=body,
                                  headers=kit.headers())).status_code == 200
    replay = await kit.client.post("/v1/auth/otp/verify", json=body, headers=kit.headers())
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "unauthenticated"


async def test_five_wrong_codes_kill_the_challenge(kit):
    response = await kit.request_otp("+91 98123 4" + random_address().split(".")[-1].zfill(4),
                                      channel="sms")
    assert response.status_code == 202, response.text
    challenge = response.json()["challenge_id"]
    right = kit.channel.code_for(challenge)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        answer = await kit.client.post("/v1/auth/otp/verify", json={
            "challenge_id": challenge, "code": wrong}, headers=kit.headers())
        assert answer.status_code == 401
    dead = await kit.client.post("/v1/auth/otp/verify", json={
        "challenge_id": challenge, "code": right}, headers=kit.headers())
    assert dead.status_code == 401


async def test_an_expired_code_is_refused(kit, monkeypatch):
    response = await kit.request_otp(f"late-{random_address()}@example.in")
    challenge = response.json()["challenge_id"]
    real_now = store.now_utc
    monkeypatch.setattr(store, "now_utc", lambda: real_now() + timedelta(minutes=5, seconds=1))
    late = await kit.client.post("/v1/auth/otp/verify", json={
        "challenge_id": challenge, "code": kit.channel.code_for(challenge)},
        headers=kit.headers())
    assert late.status_code == 401


async def test_the_fourth_code_for_one_destination_in_15_minutes_is_429(kit):
    destination = f"busy-{random_address()}@example.in"
    for _ in range(3):
        assert (await kit.request_otp(destination, address=random_address())
                ).status_code == 202
    refused = await kit.request_otp(destination, address=random_address())
    assert refused.status_code == 429
    assert refused.json()["error"]["details"]["limit"] == "otp_request_destination"
    assert int(refused.headers["Retry-After"]) > 0


async def test_notify_down_is_503_and_no_session(kit):
    kit.channel.fail = True
    response = await kit.request_otp(f"unlucky-{random_address()}@example.in")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "challenge_id" not in response.text


async def test_the_log_channel_writes_one_development_line(db_url, caplog):
    caplog.set_level(logging.INFO)
    import httpx

    from gateway.main import create_app

    app = create_app(settings_for(db_url, otp_channel="log"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://gw") as client:
        response = await client.post("/v1/auth/otp/request", json={
            "channel": "email", "destination": f"dev-{random_address()}@example.in"},
            headers={"X-Forwarded-For": random_address()})
        assert response.status_code == 202
        lines = [r for r in caplog.records if r.name == "gateway.identity.otp"
                 and "DEVELOPMENT OTP" in r.getMessage()]
        assert len(lines) == 1 and lines[0].levelno == logging.WARNING
        code = lines[0].getMessage().split()[2]
        verified = await client.post("/v1/auth/otp/verify", json={
            "challenge_id": response.json()["challenge_id"], "code": code},
            headers={"X-Forwarded-For": random_address()})
    assert verified.status_code == 200
    app.state.identity.close()


# ---------------------------------------------------------------------- sessions


async def test_refresh_rotates_and_a_reused_refresh_token_revokes_the_session(kit):
    first = await kit.tokens_for(role="registrar")
    second = await kit.client.post("/v1/auth/refresh",
                                   json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    second = second.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert (await kit.client.get("/v1/me", headers=kit.headers(second["access_token"]))
            ).status_code == 200

    stolen = await kit.client.post("/v1/auth/refresh",
                                   json={"refresh_token": first["refresh_token"]})
    assert stolen.status_code == 401
    assert "already used" in stolen.json()["error"]["message"]
    newer = await kit.client.post("/v1/auth/refresh",
                                  json={"refresh_token": second["refresh_token"]})
    assert newer.status_code == 401
    assert (await kit.client.get("/v1/me", headers=kit.headers(second["access_token"]))
            ).status_code == 401


async def test_sign_out_refuses_the_access_token_and_the_refresh_token(kit):
    tokens = await kit.tokens_for(role="auditor", scope_kind="case", scope_id="C-1")
    out = await kit.client.post("/v1/auth/sign-out", headers=kit.headers(tokens["access_token"]))
    assert out.status_code == 200 and out.json() == {"signed_out": True}
    after = await kit.client.get("/v1/me", headers=kit.headers(tokens["access_token"]))
    assert after.status_code == 401
    assert after.headers["WWW-Authenticate"].startswith("Bearer")
    assert (await kit.client.post("/v1/auth/refresh", json={
        "refresh_token": tokens["refresh_token"]})).status_code == 401


async def test_tampered_and_garbage_tokens_are_401(kit):
    tokens = await kit.tokens_for(role="registrar")
    token = tokens["access_token"]
    head, payload, signature = token.split(".")
    for bad in (f"{head}.{payload}.{signature[::-1]}", "garbage", token + "x"):
        response = await kit.client.get("/v1/me", headers=kit.headers(bad))
        assert response.status_code == 401
    basic = await kit.client.get("/v1/me", headers={"Authorization": "Basic dXNlcjpwdw=="})
    assert basic.status_code == 401


# ---------------------------------------------------------------------- administration


async def _admin(kit) -> str:
    return await kit.token_for(role="administrator")


async def test_the_administrators_flow_create_forced_change_grant_revoke(kit):
    admin = kit.headers(await _admin(kit))
    name = f"Secretary-{random_address().replace('.', '-')}"
    created = await kit.client.post("/v1/admin/accounts", json={
        "kind": "society", "username": name, "display_name": "Society secretary",
        "email": "secretary@society.example.in"}, headers=admin)
    assert created.status_code == 201, created.text
    account = created.json()["account"]
    temporary = created.json()["temporary_password"]
    assert account["username"] == name.lower() and account["must_change_password"] is True

    forced = await kit.sign_in(name, temporary)
    assert forced.status_code == 403
    error = forced.json()["error"]
    assert error["code"] == "password_change_required"
    change = error["details"]["change_token"]
    assert (await kit.client.get("/v1/me", headers=kit.headers(change))).status_code == 401
    too_short = await kit.client.post("/v1/auth/password", json={
        "old_password": temporary, "new_password": "short"}, headers=kit.headers(change))
    assert too_short.status_code == 422
    assert "new_password" in too_short.json()["error"]["details"]["fields"]
    changed = await kit.client.post("/v1/auth/password", json={
        "old_password": temporary, "new_password": "our society since 1962"},
        headers=kit.headers(change))
    assert changed.status_code == 200, changed.text
    assert (await kit.sign_in(name, temporary)).status_code == 401
    signed_in = await kit.sign_in(name, "our society since 1962")
    assert signed_in.status_code == 200
    user = signed_in.json()

    granted = await kit.client.post(f"/v1/admin/accounts/{account['id']}/grants", json={
        "role": "society_representative", "scope_kind": "society", "scope_id": "S-42"},
        headers=admin)
    assert granted.status_code == 201, granted.text
    grant = granted.json()
    assert grant["scope"] == "society:S-42"
    stale = await kit.client.get("/v1/societies/S-42/access",
                                 headers=kit.headers(user["access_token"]))
    assert stale.status_code == 401
    assert stale.json()["error"]["details"] == {"reason": "grants_changed"}
    user = (await kit.client.post("/v1/auth/refresh", json={
        "refresh_token": user["refresh_token"]})).json()
    mine = await kit.client.get("/v1/societies/S-42/access",
                                headers=kit.headers(user["access_token"]))
    assert mine.status_code == 200
    assert mine.json() == {"society_id": "S-42", "role": "society_representative",
                           "scope": "society:S-42"}
    other = await kit.client.get("/v1/societies/S-43/access",
                                 headers=kit.headers(user["access_token"]))
    assert other.status_code == 404

    holders = await kit.client.get("/v1/admin/grants", params={"scope": "society:S-42"},
                                   headers=admin)
    assert [h["username"] for h in holders.json()["items"]] == [name.lower()]
    listed = await kit.client.get("/v1/admin/accounts", params={
        "role": "society_representative", "q": name[:14], "limit": 100}, headers=admin)
    assert account["id"] in [item["id"] for item in listed.json()["items"]]

    refused_grant = await kit.client.post(f"/v1/admin/accounts/{account['id']}/grants", json={
        "role": "registrar"}, headers=admin)
    assert refused_grant.status_code == 422  # a society account cannot be a registrar

    revoked = await kit.client.delete(f"/v1/admin/accounts/{account['id']}/grants/{grant['id']}",
                                      headers=admin)
    assert revoked.status_code == 200
    assert (await kit.client.get("/v1/societies/S-42/access", headers=kit.headers(
        user["access_token"]))).status_code == 401
    user = (await kit.client.post("/v1/auth/refresh", json={
        "refresh_token": user["refresh_token"]})).json()
    assert (await kit.client.get("/v1/societies/S-42/access", headers=kit.headers(
        user["access_token"]))).status_code == 403


async def test_a_disabled_account_cannot_sign_in_and_its_tokens_stop(kit):
    admin = kit.headers(await _admin(kit))
    victim = await kit.tokens_for(role="inspector", scope_kind="society", scope_id="S-7")
    disabled = await kit.client.post(f"/v1/admin/accounts/{victim['account']['id']}/disable",
                                     headers=admin)
    assert disabled.status_code == 200 and disabled.json()["status"] == "disabled"
    assert (await kit.client.get("/v1/me", headers=kit.headers(victim["access_token"]))
            ).status_code == 401
    again = await kit.sign_in(victim["account"]["username"])
    assert again.status_code == 403
    assert (await kit.client.post("/v1/auth/refresh", json={
        "refresh_token": victim["refresh_token"]})).status_code == 401


async def test_non_administrators_get_403_on_every_admin_route(kit):
    from gateway.access import api_routes

    token = await kit.token_for(role="registrar")
    routes = [r for r in api_routes(kit.app) if r.path_format.startswith("/v1/admin")]
    # Every admin route, however many there are, is the administrator's alone.
    assert len(routes) >= 9
    assert {kit.app.state.access[r.name].roles for r in routes} == {("administrator",)}
    for route in routes:
        path = route.path_format.format(account_id="0" * 8 + "-0000-0000-0000-" + "0" * 12,
                                        grant_id="1" * 8 + "-0000-0000-0000-" + "0" * 12,
                                        service="registry")
        method = sorted(route.methods)[0]
        response = await kit.client.request(method, path, headers=kit.headers(token),
                                            json={} if method == "POST" else None)
        assert response.status_code == 403, (route.name, response.text)


async def test_bad_bodies_are_422_with_fields_and_big_ones_413(db_url):
    small = make_kit(db_url, max_body_bytes=256)
    async with aclosing(small.client):
        extra = await small.client.post("/v1/auth/sign-in", json={
            "username": "x", "password": "y", "role": "administrator"})
        assert extra.status_code == 422
        assert "role" in extra.json()["error"]["details"]["fields"]
        code = await small.client.post("/v1/auth/otp/verify", json={
            "challenge_id": "nope", "code": "12ab"})
        assert set(code.json()["error"]["details"]["fields"]) == {"challenge_id", "code"}
        huge = await small.client.post("/v1/auth/sign-in", json={
            "username": "x", "password": "y" * 1000})
        assert huge.status_code == 413
    small.app.state.identity.close()


# ---------------------------------------------------------------------- audit, secrets


async def test_the_audit_chain_verifies_and_holds_no_secret(kit, caplog, db_url):
    caplog.set_level(logging.DEBUG)
    admin = kit.headers(await _admin(kit))
    created = await kit.client.post("/v1/admin/accounts", json={
        "kind": "staff", "username": f"dealer-{random_address()}", "display_name": "Dealer"},
        headers=admin)
    temporary = created.json()["temporary_password"]
    forced = await kit.sign_in(created.json()["account"]["username"], temporary)
    change = forced.json()["error"]["details"]["change_token"]
    new_password = "a brand new secret passphrase"
    changed = await kit.client.post("/v1/auth/password", json={
        "old_password": temporary, "new_password": new_password}, headers=kit.headers(change))
    citizen = await kit.citizen_tokens()
    code = kit.channel.sent[-1]["code"]
    await kit.client.post("/v1/auth/sign-out", headers=kit.headers(citizen["access_token"]))

    verified = await kit.client.get("/v1/admin/audit/verify", headers=admin)
    assert verified.status_code == 200 and verified.json()["ok"] is True
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT action, actor_id, actor_role, changes FROM audit_entry")).all()
    finally:
        engine.dispose()
    actions = {row.action for row in rows}
    assert {"account_created", "role_granted", "password_changed", "signed_in",
            "citizen_registered", "signed_out"} <= actions
    dump = repr(rows)
    secrets = [temporary, new_password, PASSWORD, change, citizen["access_token"],
               citizen["refresh_token"], changed.json()["refresh_token"]]
    for secret in secrets:
        assert secret not in dump
    assert f"'{code}'" not in dump and f'"{code}"' not in dump
    logged = "\n".join(record.getMessage() + repr(record.__dict__) for record in caplog.records)
    for secret in secrets:
        assert secret not in logged


def test_create_admin_from_a_pipe_refuses_a_taken_name_and_a_weak_password(db_url, capsys):
    settings = settings_for(db_url)
    name = f"root-{random_address()}"
    assert create_admin(settings, name, io.StringIO("a strong enough secret\n")) == 0
    assert create_admin(settings, name, io.StringIO("a strong enough secret\n")) == 1
    assert create_admin(settings, name + "x", io.StringIO("weak\n")) == 1
    err = capsys.readouterr().err
    assert "taken" in err and "12 to 256" in err and "a strong enough secret" not in err
