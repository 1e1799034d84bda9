"""The identity parts on their own: passwords, tokens, roles, rule resolution, windows."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from ipaddress import ip_network

import jwt
import pytest

from gateway.access import MATRIX, Access, allow, authenticated, public, resolve, self_scope
from gateway.identity import otp, ratelimit, roles
from gateway.identity.passwords import Passwords, check_policy, temporary_password
from gateway.identity.sessions import SessionCheckCache, SessionState, hash_token
from gateway.identity.tokens import (
    ACCESS,
    PASSWORD_CHANGE,
    Grant,
    KeyRing,
    Principal,
    TokenInvalid,
    TokenIssuer,
)
from services.common.errors import Forbidden, InvalidInput, NotFound, Unauthenticated

K1 = b"1" * 32
K2 = b"2" * 32


# ---------------------------------------------------------------------- passwords


@pytest.fixture(scope="module")
def passwords() -> Passwords:
    return Passwords(time_cost=1, memory_kib=64, parallelism=1)


def test_a_password_verifies_against_its_argon2id_hash(passwords):
    stored = passwords.hash("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert passwords.verify(stored, "correct horse battery")
    assert not passwords.verify(stored, "correct horse batterY")
    assert not passwords.verify("not a hash", "anything")


class RecordingHasher:
    def __init__(self, real):
        self.real = real
        self.seen: list[str] = []

    def verify(self, stored, given):
        self.seen.append(stored)
        return self.real.verify(stored, given)


def test_an_unknown_account_is_checked_against_a_dummy_hash(passwords, monkeypatch):
    recording = RecordingHasher(passwords._hasher)
    monkeypatch.setattr(passwords, "_hasher", recording)
    assert passwords.verify(None, "whatever it is") is False
    # The same work as for a real account: one argon2 verification with the same cost.
    assert recording.seen == [passwords._dummy]
    assert passwords._dummy.startswith("$argon2id$v=19$m=64,t=1,p=1$")


@pytest.mark.parametrize(("password", "reason"), [
    ("short", "must be 12 to 256 characters"),
    ("x" * 257, "must be 12 to 256 characters"),
    ("my-name-is-Registrar7-ok", "must not contain the username"),
])
def test_the_password_policy(password, reason):
    with pytest.raises(InvalidInput) as refused:
        check_policy(password, username="registrar7")
    assert refused.value.fields == {"new_password": reason}


def test_policy_accepts_12_and_256_characters_and_temporary_passwords_pass_it():
    check_policy("x" * 12, username="someone")
    check_policy("x" * 256, username="someone")
    check_policy(temporary_password(), username="someone")
    assert temporary_password() != temporary_password()


# ---------------------------------------------------------------------- tokens


def issuer(keys=None, active="k1", **kw) -> TokenIssuer:
    return TokenIssuer(KeyRing(keys or {"k1": K1}, active), issuer="coop-gateway",
                       audience="coop-platform", access_seconds=600, **kw)


def access_token(tokens: TokenIssuer, now: float | None = None) -> str:
    token, _ = tokens.issue_access(account_id="acc-1", session_id="ses-1",
                                   grants=(Grant("registrar", "office:MH"),), grants_version=3,
                                   now=now)
    return token


def test_an_access_token_carries_the_claims_and_the_active_kid():
    tokens = issuer()
    token = access_token(tokens)
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "kid": "k1", "typ": "JWT"}
    principal = tokens.verify(token)
    assert principal.account_id == "acc-1"
    assert principal.session_id == "ses-1"
    assert principal.grants == (Grant("registrar", "office:MH"),)
    assert principal.grants_version == 3
    claims = principal.claims
    assert claims["iss"] == "coop-gateway" and claims["aud"] == "coop-platform"
    assert claims["exp"] - claims["iat"] == 600


def test_an_expired_token_is_refused():
    tokens = issuer()
    with pytest.raises(TokenInvalid, match="ExpiredSignature"):
        tokens.verify(access_token(tokens, now=time.time() - 601))


def test_a_tampered_token_is_refused():
    tokens = issuer()
    header, payload, signature = access_token(tokens).split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    with pytest.raises(TokenInvalid):
        tokens.verify(".".join((header, payload, flipped)))
    forged = jwt.encode({"sub": "admin", "sid": "x", "grants": [{"role": "administrator"}],
                         "iss": "coop-gateway", "aud": "coop-platform", "iat": 1,
                         "exp": int(time.time()) + 60}, b"x" * 32, algorithm="HS256",
                        headers={"kid": "k1"})
    with pytest.raises(TokenInvalid):
        tokens.verify(forged)
    unsigned = jwt.encode({"sub": "admin"}, key=None, algorithm="none", headers={"kid": "k1"})
    with pytest.raises(TokenInvalid):
        tokens.verify(unsigned)
    with pytest.raises(TokenInvalid):
        tokens.verify("not.a.token")


def test_wrong_audience_or_issuer_is_refused():
    token = access_token(issuer())
    other_audience = TokenIssuer(KeyRing({"k1": K1}, "k1"), issuer="coop-gateway",
                                 audience="someone-else", access_seconds=600)
    other_issuer = TokenIssuer(KeyRing({"k1": K1}, "k1"), issuer="elsewhere",
                               audience="coop-platform", access_seconds=600)
    with pytest.raises(TokenInvalid, match="InvalidAudience"):
        other_audience.verify(token)
    with pytest.raises(TokenInvalid, match="InvalidIssuer"):
        other_issuer.verify(token)


def test_an_unknown_kid_is_refused():
    token = access_token(issuer({"k9": K1}, "k9"))
    with pytest.raises(TokenInvalid, match="unknown key id"):
        issuer().verify(token)


def test_rotation_old_kid_still_verifies_new_tokens_use_the_active_kid():
    before = issuer({"k1": K1}, "k1")
    old_token = access_token(before)
    during = issuer({"k1": K1, "k2": K2}, "k2")
    new_token = access_token(during)
    assert jwt.get_unverified_header(new_token)["kid"] == "k2"
    assert during.verify(old_token).account_id == "acc-1"
    assert during.verify(new_token).account_id == "acc-1"
    after = issuer({"k2": K2}, "k2")
    assert after.verify(new_token).account_id == "acc-1"
    with pytest.raises(TokenInvalid):
        after.verify(old_token)


def test_a_password_change_token_is_not_an_access_token_and_back():
    tokens = issuer()
    change, lifetime = tokens.issue_password_change(account_id="acc-1")
    assert lifetime == 300
    with pytest.raises(TokenInvalid):
        tokens.verify(change, purpose=ACCESS)
    assert tokens.verify(change, purpose=PASSWORD_CHANGE).purpose == PASSWORD_CHANGE
    with pytest.raises(TokenInvalid):
        tokens.verify(access_token(tokens), purpose=PASSWORD_CHANGE)


def test_development_without_keys_uses_an_ephemeral_key(caplog):
    from gateway.settings import GatewaySettings

    ring = KeyRing.from_settings(GatewaySettings(GATEWAY_JWT_KEYS="", ENVIRONMENT="development"))
    assert ring.kids == ("dev-ephemeral",)
    assert len(ring.signing_key()[1]) == 32
    assert "ephemeral key" in caplog.text


# ---------------------------------------------------------------------- roles


def test_fourteen_roles_with_their_scope_kinds():
    assert len(roles.ROLE_NAMES) == 14
    assert roles.ROLES["society_representative"].scopes == ("society",)
    assert roles.ROLES["returning_officer"].scopes == ("election",)
    assert roles.ROLES["assistant_returning_officer"].scopes == ("election",)
    assert None in roles.ROLES["registrar"].scopes and "office" in roles.ROLES["registrar"].scopes


@pytest.mark.parametrize(("role", "kind", "ident", "account", "field"), [
    ("pope", None, None, None, "role"),
    ("society_representative", None, None, None, "scope_kind"),
    ("society_representative", "election", "E1", None, "scope_kind"),
    ("administrator", "society", "S1", None, "scope_kind"),
    ("liquidator", "society", None, None, "scope_id"),
    ("liquidator", "society", "bad id!", None, "scope_id"),
    ("registrar", None, None, "society", "role"),
    ("society_representative", "society", "S1", "staff", "role"),
])
def test_grants_the_role_does_not_allow_are_refused(role, kind, ident, account, field):
    with pytest.raises(InvalidInput) as refused:
        roles.validate_grant(role=role, scope_kind=kind, scope_id=ident, account_kind=account)
    assert field in refused.value.fields


@pytest.mark.parametrize(("role", "kind", "ident"), [
    ("society_representative", "society", "S1"), ("registrar", None, None),
    ("registrar", "office", "MH"), ("auditor", "case", "C-9"), ("applicant", None, None),
    ("returning_officer", "election", "107-2025-26"), ("administrator", None, None),
])
def test_grants_the_role_allows_pass(role, kind, ident):
    roles.validate_grant(role=role, scope_kind=kind, scope_id=ident)


# ---------------------------------------------------------------------- resolution

SOCIETY_RULE = allow("society_representative", "registrar", scope=("society", "society_id"),
                     hide_existence=True)


def principal(*grants: Grant, purpose: str = ACCESS) -> Principal:
    return Principal("acc-1", "ses-1", tuple(grants), 1, purpose)


def test_a_scoped_grant_reaches_only_its_own_object():
    rep = principal(Grant("society_representative", "society:A"))
    actor = resolve(SOCIETY_RULE, rep, {"society_id": "A"})
    assert (actor.role, actor.scope) == ("society_representative", "society:A")
    with pytest.raises(NotFound):  # hide_existence: another society looks absent
        resolve(SOCIETY_RULE, rep, {"society_id": "B"})
    visible = allow("society_representative", scope=("society", "society_id"))
    with pytest.raises(Forbidden):
        resolve(visible, rep, {"society_id": "B"})


def test_an_unscoped_grant_reaches_every_object_and_exact_scope_wins():
    registrar = principal(Grant("registrar"))
    assert resolve(SOCIETY_RULE, registrar, {"society_id": "Z"}).scope is None
    both = principal(Grant("registrar"), Grant("society_representative", "society:A"))
    chosen = resolve(SOCIETY_RULE, both, {"society_id": "A"})
    assert (chosen.role, chosen.scope) == ("society_representative", "society:A")


def test_a_scope_of_another_kind_does_not_satisfy_a_society_rule():
    office = principal(Grant("registrar", "office:MH"))
    with pytest.raises(NotFound):
        resolve(SOCIETY_RULE, office, {"society_id": "A"})


def test_missing_role_is_forbidden_even_where_existence_is_hidden():
    with pytest.raises(Forbidden):
        resolve(SOCIETY_RULE, principal(Grant("citizen")), {"society_id": "A"})


def test_authenticated_routes_act_as_the_account_itself():
    actor = resolve(authenticated(), principal(Grant("administrator")), {})
    assert (actor.account_id, actor.role, actor.scope) == ("acc-1", "account",
                                                           self_scope("acc-1"))
    assert resolve(public(), principal(), {}).anonymous


def test_a_password_change_token_opens_only_the_route_that_accepts_it():
    change = principal(purpose=PASSWORD_CHANGE)
    assert resolve(authenticated(password_change_token=True), change, {}).account_id == "acc-1"
    with pytest.raises(Unauthenticated):
        resolve(authenticated(), change, {})
    with pytest.raises(Unauthenticated):
        resolve(allow("administrator"), change, {})


def test_a_rule_without_a_scope_source_forwards_the_grant_scope():
    actor = resolve(allow("registrar"), principal(Grant("registrar", "office:MH")), {})
    assert actor.scope == "office:MH"


def test_rules_refuse_unknown_roles_and_half_scopes():
    with pytest.raises(ValueError):
        allow("pope")
    with pytest.raises(ValueError):
        Access("roles", ("registrar",), "society", None)
    assert all(isinstance(rule, Access) for rule in MATRIX.values())


# ---------------------------------------------------------------------- limits

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_under_the_limit_there_is_no_wait():
    times = [NOW - timedelta(minutes=m) for m in (1, 2, 3, 4)]
    assert ratelimit.retry_after(times, now=NOW, limit=ratelimit.PASSWORD_ACCOUNT) is None


def test_at_the_limit_the_wait_is_until_the_oldest_leaves_the_window():
    times = [NOW - timedelta(minutes=m) for m in (1, 2, 3, 4, 10)]
    wait = ratelimit.retry_after(times, now=NOW, limit=ratelimit.PASSWORD_ACCOUNT)
    assert wait == 5 * 60  # the one 10 minutes old leaves in 5 minutes


def test_attempts_outside_the_window_do_not_count_and_over_the_limit_waits_longer():
    old = [NOW - timedelta(minutes=15, seconds=1)] * 10
    assert ratelimit.retry_after(old, now=NOW, limit=ratelimit.OTP_DESTINATION) is None
    times = [NOW - timedelta(minutes=m) for m in (1, 2, 3, 9)]  # 4 > 3 allowed
    # Two must leave: the 9- and the 3-minute-old ones; the second frees at 12 min.
    assert ratelimit.retry_after(times, now=NOW, limit=ratelimit.OTP_DESTINATION) == 12 * 60


def test_the_wait_is_at_least_one_second():
    times = [NOW - timedelta(minutes=15) + timedelta(milliseconds=1)] * 5
    assert ratelimit.retry_after(times, now=NOW, limit=ratelimit.PASSWORD_ACCOUNT) == 1


def test_forwarded_for_is_believed_only_from_trusted_proxies():
    trusted = [ip_network("10.0.0.0/8")]
    assert ratelimit.client_address("203.0.113.9", "1.2.3.4", trusted) == "203.0.113.9"
    assert ratelimit.client_address("10.1.1.1", "1.2.3.4", trusted) == "1.2.3.4"
    assert ratelimit.client_address("10.1.1.1", "6.6.6.6, 1.2.3.4, 10.2.2.2", trusted) == (
        "1.2.3.4")
    assert ratelimit.client_address("10.1.1.1", "garbage", trusted) == "10.1.1.1"
    assert ratelimit.client_address("10.1.1.1", None, trusted) == "10.1.1.1"


# ---------------------------------------------------------------------- OTP, sessions


def test_codes_are_six_digits_and_only_their_keyed_hash_matches():
    codes = {otp.new_code() for _ in range(200)}
    assert all(len(code) == 6 and code.isdigit() for code in codes)
    assert len(codes) > 150
    stored = otp.code_hash(b"p" * 32, "ch-1", "123456")
    assert otp.code_matches(b"p" * 32, "ch-1", "123456", stored)
    assert not otp.code_matches(b"p" * 32, "ch-2", "123456", stored)
    assert not otp.code_matches(b"q" * 32, "ch-1", "123456", stored)
    assert "123456" not in stored


@pytest.mark.parametrize(("channel", "given", "expected"), [
    ("email", " Asha@Example.IN ", "asha@example.in"),
    ("sms", "98123 45678", "+919812345678"),
    ("sms", "+91-98123-45678", "+919812345678"),
    ("sms", "919812345678", "+919812345678"),
])
def test_destinations_are_normalised(channel, given, expected):
    assert otp.normalise_destination(channel, given) == expected


@pytest.mark.parametrize(("channel", "given"), [("email", "not-an-address"),
                                                ("sms", "12345"), ("sms", "call me")])
def test_bad_destinations_are_422(channel, given):
    with pytest.raises(InvalidInput):
        otp.normalise_destination(channel, given)


def test_the_session_cache_trusts_an_answer_for_its_ttl_only(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr("gateway.identity.sessions.time.monotonic", lambda: clock[0])
    cache = SessionCheckCache(5)
    cache.put("s", SessionState(True, 1))
    assert cache.get("s") == SessionState(True, 1)
    clock[0] += 5.01
    assert cache.get("s") is None
    off = SessionCheckCache(0)
    off.put("s", SessionState(True, 1))
    assert off.get("s") is None
    assert len(hash_token("x")) == 64
