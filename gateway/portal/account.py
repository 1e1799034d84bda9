"""Signing in (citizens by a one-time code, registering on first use; staff and
societies by password), signing out, and the signed-in visitor's own page. Each step runs
the identity's own route (``gateway.routes.auth``: the same rate limits, metrics and
audit) and keeps the tokens it answers in the session cookies."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import TypeAdapter, ValidationError

from gateway.access import ActorDep
from gateway.deps import CallContextDep
from gateway.identity.otp import masked
from gateway.identity.store import PasswordChangeRequired
from gateway.portal.links import safe_next
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import gettext, render
from gateway.portal.session import read_form, with_cookies
from gateway.routes import auth
from services.common.errors import Forbidden, InvalidInput, RateLimited, Unauthenticated

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

# The API's request body, however it is declared there (one model or one per channel).
OTP_REQUEST = TypeAdapter(auth.OtpRequestIn)
CHALLENGE = re.compile(r"^[0-9a-f-]{36}$")


def _channel_of(destination: str) -> str:
    return "email" if "@" in destination else "sms"


@router.get("/sign-in", name="portal.sign_in")
async def sign_in(request: Request):
    return render(request, "sign_in.html", destination="", username="", errors={},
                  next=safe_next(request.query_params.get("next"), "/me"))


@router.post("/sign-in", name="portal.sign_in_request")
async def sign_in_request(request: Request, context: CallContextDep):
    _ = gettext(request)
    form = await read_form(request)
    destination = str(form.get("destination") or "").strip()
    target = safe_next(str(form.get("next") or ""), "/me")

    def again(message: str, status_code: int):
        return render(request, "sign_in.html", destination=destination, username="",
                      next=target, errors={"destination": message}, status_code=status_code)

    if not destination:
        return again(_("Type your e-mail address or mobile number."), 422)
    try:
        body = OTP_REQUEST.validate_python({
            "channel": _channel_of(destination), "destination": destination,
            "language": request.state.portal_language})
        asked = await auth.otp_request(body, request, request.app.state.identity, context)
    except (ValidationError, InvalidInput):
        return again(_("Type an e-mail address or a 10-digit mobile number."), 422)
    except RateLimited:
        return again(_("Too many codes asked for; wait a few minutes and try again."), 429)
    where = quote(masked(body.destination))
    return RedirectResponse(
        f"/sign-in/code?challenge={asked.challenge_id}&to={where}"
        f"&next={quote(target, safe='')}", status_code=303)


@router.get("/sign-in/code", name="portal.sign_in_code")
async def sign_in_code(request: Request):
    challenge = request.query_params.get("challenge", "")
    if not CHALLENGE.match(challenge):
        return RedirectResponse("/sign-in", status_code=303)
    return render(request, "sign_in_code.html", challenge=challenge, errors={},
                  sent_to=request.query_params.get("to", "")[:80],
                  next=safe_next(request.query_params.get("next"), "/me"))


@router.post("/sign-in/code", name="portal.sign_in_verify")
async def sign_in_verify(request: Request, context: CallContextDep):
    _ = gettext(request)
    form = await read_form(request)
    challenge = str(form.get("challenge") or "")
    code = str(form.get("code") or "").strip()
    target = safe_next(str(form.get("next") or ""), "/me")

    def again(message: str, status_code: int):
        return render(request, "sign_in_code.html", challenge=challenge, next=target,
                      sent_to=str(form.get("to") or "")[:80], errors={"code": message},
                      status_code=status_code)

    try:
        body = auth.OtpVerifyIn(challenge_id=challenge, code=code)
    except ValidationError:
        return again(_("The code is the 6 digits we sent you."), 422)
    try:
        tokens = await auth.otp_verify(body, request, request.app.state.identity, context)
    except Unauthenticated:
        return again(_("That code is not right, or it has expired. Try again or ask for a "
                       "new code."), 401)
    except RateLimited:
        return again(_("Too many attempts; wait a few minutes and ask for a new code."), 429)
    return _signed_in(request, tokens, target)


def _signed_in(request: Request, tokens: auth.TokensOut, target: str):
    response = RedirectResponse(target, status_code=303)
    return with_cookies(response, request.state.portal_cookies.session(
        tokens.access_token, tokens.expires_in, tokens.refresh_token,
        tokens.refresh_expires_in))


@router.post("/sign-in/password", name="portal.sign_in_password")
async def sign_in_password(request: Request, context: CallContextDep):
    _ = gettext(request)
    form = await read_form(request)
    username = str(form.get("username") or "").strip()
    password = str(form.get("password") or "")
    target = safe_next(str(form.get("next") or ""), "/me")

    def again(message: str, status_code: int):
        return render(request, "sign_in.html", destination="", username=username,
                      next=target, errors={"password": message}, status_code=status_code)

    try:
        body = auth.SignInIn(username=username, password=password)
    except ValidationError:
        return again(_("Type your user name and your password."), 422)
    try:
        tokens = await auth.sign_in(body, request, request.app.state.identity, context)
    except PasswordChangeRequired:
        return again(_("Your password is temporary: change it through the API first, then "
                       "sign in here."), 403)
    except RateLimited:
        return again(_("Too many attempts; wait a few minutes and try again."), 429)
    except (Unauthenticated, Forbidden):
        return again(_("The user name or the password is not right."), 401)
    return _signed_in(request, tokens, target)


@router.post("/sign-out", name="portal.sign_out")
async def sign_out(request: Request, actor: ActorDep, context: CallContextDep):
    await read_form(request)
    await auth.sign_out(actor, request.app.state.identity, context)
    response = RedirectResponse("/", status_code=303)
    return with_cookies(response, request.state.portal_cookies.cleared())


@router.get("/me", name="portal.me")
async def my_page(request: Request, actor: ActorDep):
    account = await auth.me(actor, request.app.state.identity)
    return render(request, "me.html", account=account,
                  contact=masked(account.email or account.phone or ""))
