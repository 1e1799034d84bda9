"""Sign-in by password or OTP, token refresh, sign-out, password change, and ``/v1/me``."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, status
from pydantic import BaseModel, ConfigDict, Field

from gateway import metrics
from gateway.access import ActorDep
from gateway.deps import CallContextDep
from gateway.identity import otp as otp_codes
from gateway.identity import passwords as password_policy
from gateway.identity.otp import OtpDeliveryFailed
from gateway.identity.runtime import Identity
from gateway.identity.store import IssuedSession, PasswordChangeRequired, audit_context
from gateway.rpc import ServiceUnavailable
from services.common.errors import Forbidden, RateLimited, Unauthenticated

log = logging.getLogger(__name__)

router = APIRouter(prefix="/v1", tags=["auth"])


async def get_identity(request: Request) -> Identity:
    return request.app.state.identity


IdentityDep = Annotated[Identity, Depends(get_identity)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SignInIn(_In):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class TokensOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the scheme, not a secret
    expires_in: int = Field(description="seconds the access token is valid")
    refresh_token: str
    refresh_expires_in: int = Field(description="seconds the refresh token is valid")


class RefreshIn(_In):
    refresh_token: str = Field(min_length=16, max_length=128)


class PasswordChangeIn(_In):
    old_password: str = Field(min_length=1, max_length=256)
    # The policy's lengths (gateway/identity/passwords.check_policy), so the schema says them.
    new_password: str = Field(min_length=password_policy.MIN_LENGTH,
                              max_length=password_policy.MAX_LENGTH,
                              description="12 to 256 characters, not containing your username")


class SignedOutOut(BaseModel):
    signed_out: bool = True


class EmailOtpRequestIn(_In):
    channel: Literal["email"]
    destination: str = Field(max_length=254, pattern=otp_codes.EMAIL_PATTERN,
                             examples=["asha@example.in"])
    language: Literal["en", "hi"] = "en"


class SmsOtpRequestIn(_In):
    channel: Literal["sms"]
    destination: str = Field(max_length=40, pattern=otp_codes.PHONE_PATTERN,
                             description="E.164, or ten digits (taken as +91); spaces, "
                                         "dots, dashes and brackets allowed",
                             examples=["+91 98123 45678"])
    language: Literal["en", "hi"] = "en"


# The channel decides what a destination is, so the schema says it per channel.
OtpRequestIn = Annotated[EmailOtpRequestIn | SmsOtpRequestIn, Field(discriminator="channel")]


class OtpRequestOut(BaseModel):
    challenge_id: str
    expires_in: int


class OtpVerifyIn(_In):
    challenge_id: str = Field(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")
    code: str = Field(min_length=6, max_length=6, pattern=r"^[0-9]{6}$")


class GrantOut(BaseModel):
    id: str
    account_id: str
    role: str
    scope_kind: str | None
    scope_id: str | None
    scope: str | None
    granted_at: datetime
    granted_by: str


class AccountOut(BaseModel):
    id: str
    username: str
    kind: str
    display_name: str
    email: str | None
    phone: str | None
    status: str
    must_change_password: bool
    created_at: datetime
    last_sign_in_at: datetime | None
    grants: list[GrantOut]


_ERRORS = {401: {"description": "Not signed in, or the token is not valid"},
           429: {"description": "Too many attempts; see Retry-After"}}


def tokens(identity: Identity, issued: IssuedSession) -> TokensOut:
    access, lifetime = identity.tokens.issue_access(
        account_id=issued.account_id, session_id=issued.session_id, grants=issued.grants,
        grants_version=issued.grants_version)
    return TokensOut(access_token=access, expires_in=lifetime,
                     refresh_token=issued.refresh_token,
                     refresh_expires_in=issued.refresh_expires_in)


def _rate_limited(method: str, exc: RateLimited) -> None:
    metrics.observe_auth(method, "rate_limited")
    metrics.AUTH_RATE_LIMITED.labels(str(exc.details.get("limit", "unknown"))).inc()


@router.post("/auth/sign-in", name="auth.sign_in", response_model=TokensOut,
             summary="Sign in with username and password",
             responses={**_ERRORS, 403: {"description": "Disabled, or "
                                                         "password_change_required"}})
async def sign_in(body: SignInIn, request: Request, identity: IdentityDep,
                  context: CallContextDep) -> TokensOut:
    try:
        outcome = await identity.run(
            identity.store.sign_in_password, username=body.username, password=body.password,
            address=identity.client_address(request), request_id=context.request_id)
    except RateLimited as exc:
        _rate_limited("password", exc)
        raise
    except Unauthenticated:
        metrics.observe_auth("password", "failure")
        log.info("password sign-in refused")
        raise
    except Forbidden:
        metrics.observe_auth("password", "disabled")
        raise
    if outcome.password_change_for is not None:
        metrics.observe_auth("password", "password_change_required")
        token, lifetime = identity.tokens.issue_password_change(
            account_id=outcome.password_change_for)
        raise PasswordChangeRequired(
            "Change the temporary password first: POST /v1/auth/password with this token.",
            {"change_token": token, "expires_in": lifetime})
    assert outcome.session is not None
    metrics.observe_auth("password", "success")
    log.info("signed in", extra={"account_id": outcome.session.account_id})
    return tokens(identity, outcome.session)


@router.post("/auth/refresh", name="auth.refresh", response_model=TokensOut,
             summary="A new access token for a refresh token (which is rotated)",
             responses=_ERRORS)
async def refresh(body: RefreshIn, identity: IdentityDep, context: CallContextDep) -> TokensOut:
    try:
        issued = await identity.run(identity.store.refresh, refresh_token=body.refresh_token,
                                    request_id=context.request_id)
    except Unauthenticated:
        metrics.observe_auth("refresh", "failure")
        raise
    metrics.observe_auth("refresh", "success")
    return tokens(identity, issued)


@router.post("/auth/sign-out", name="auth.sign_out", response_model=SignedOutOut,
             summary="Revoke the current session", responses=_ERRORS)
async def sign_out(actor: ActorDep, identity: IdentityDep,
                   context: CallContextDep) -> SignedOutOut:
    assert actor.principal is not None and actor.principal.session_id is not None
    session_id = actor.principal.session_id
    await identity.run(identity.store.sign_out, session_id=session_id,
                       ctx=audit_context(request_id=context.request_id,
                                         actor_id=actor.account_id, actor_role=actor.role,
                                         actor_scope=actor.scope, entrypoint="auth.sign_out"))
    identity.sessions.forget(session_id)
    return SignedOutOut()


@router.post("/auth/password", name="auth.change_password", response_model=TokensOut,
             summary="Change your password (ends every session; answers a new one)",
             responses=_ERRORS)
async def change_password(body: PasswordChangeIn, request: Request, actor: ActorDep,
                          identity: IdentityDep, context: CallContextDep) -> TokensOut:
    try:
        issued = await identity.run(
            identity.store.change_password, account_id=actor.account_id,
            old_password=body.old_password, new_password=body.new_password,
            address=identity.client_address(request),
            ctx=audit_context(request_id=context.request_id, actor_id=actor.account_id,
                              actor_role=actor.role, actor_scope=actor.scope,
                              entrypoint="auth.change_password"))
    except RateLimited as exc:
        _rate_limited("password", exc)
        raise
    if actor.principal is not None and actor.principal.session_id:
        identity.sessions.forget(actor.principal.session_id)
    return tokens(identity, issued)


@router.post("/auth/otp/request", name="auth.otp_request", response_model=OtpRequestOut,
             status_code=status.HTTP_202_ACCEPTED,
             summary="Send a one-time code by SMS or e-mail (citizens)",
             responses={**_ERRORS, 503: {"description": "The code could not be sent"}})
async def otp_request(body: OtpRequestIn, request: Request, identity: IdentityDep,
                      context: CallContextDep) -> OtpRequestOut:
    destination = otp_codes.normalise_destination(body.channel, body.destination)
    try:
        challenge_id, code, lifetime = await identity.run(
            identity.store.request_otp, channel=body.channel, destination=destination,
            address=identity.client_address(request))
    except RateLimited as exc:
        _rate_limited("otp", exc)
        raise
    try:
        await identity.otp_channel.send(channel=body.channel, destination=destination,
                                        code=code, language=body.language, purpose="sign_in",
                                        challenge_id=challenge_id, context=context)
    except OtpDeliveryFailed:
        await identity.run(identity.store.kill_challenge, challenge_id=challenge_id)
        metrics.observe_auth("otp", "delivery_failed")
        raise ServiceUnavailable("notify") from None
    metrics.observe_auth("otp", "requested")
    return OtpRequestOut(challenge_id=challenge_id, expires_in=lifetime)


@router.post("/auth/otp/verify", name="auth.otp_verify", response_model=TokensOut,
             summary="Sign in (and register on first use) with a one-time code",
             responses=_ERRORS)
async def otp_verify(body: OtpVerifyIn, request: Request, identity: IdentityDep,
                     context: CallContextDep) -> TokensOut:
    try:
        issued = await identity.run(
            identity.store.verify_otp, challenge_id=body.challenge_id, code=body.code,
            address=identity.client_address(request), request_id=context.request_id)
    except RateLimited as exc:
        _rate_limited("otp", exc)
        raise
    except (Unauthenticated, Forbidden):
        metrics.observe_auth("otp", "failure")
        raise
    metrics.observe_auth("otp", "success")
    return tokens(identity, issued)


@router.get("/me", name="me", response_model=AccountOut, tags=["me"],
            summary="Your account and grants", responses=_ERRORS)
async def me(actor: ActorDep, identity: IdentityDep) -> AccountOut:
    found = await identity.run(identity.store.get_account, account_id=actor.account_id)
    return AccountOut.model_validate(found)
