"""The one dependency that enforces the route-by-role matrix (``gateway.rules``) on every
route.

Every route has a rule in ``gateway/rules/``, by its route name: ``public`` (no token),
``authenticated`` (any signed-in account) or a set of roles, optionally with where the
route's scope comes from (a path parameter). A route without a rule fails closed: the
application refuses to start (``check_routes``) and the dependency answers 403.
``docs/access.md`` holds the table ``render_matrix`` makes from this module; a test
keeps the two equal.

Resolution: the bearer token gives a principal (account, session, grants); the rule
picks the grant that satisfies it (an unscoped grant satisfies any scope, a scoped one
only its own object) and the request acts as that grant; on a route that names no object,
a role held with several scopes acts with all of them (``scopes_of_role``).
``CallContext.with_actor`` sends ``nameko.actor_id``, ``nameko.actor_role`` and
``nameko.actor_scope`` on every call.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from gateway.context import CallContext, new_request_id
from gateway.identity import roles as R
from gateway.identity.tokens import ACCESS, PASSWORD_CHANGE, Grant, Principal, TokenInvalid
from gateway.rules import MATRIX
from gateway.rules.base import ADMIN, SOCIETY_ROLES, Access, allow, authenticated, public
from services.common.errors import Forbidden, NotFound, Unauthenticated

# Not __name__: "gateway.access" is the logger of the access lines (gateway/middleware.py).
log = logging.getLogger("gateway.authorization")

MAX_TOKEN_LENGTH = 8192


@dataclass(frozen=True)
class Actor:
    """Who a request acts as: the account and the one grant the route's rule accepted."""

    account_id: str | None = None
    role: str | None = None
    scope: str | None = None
    principal: Principal | None = None

    @property
    def anonymous(self) -> bool:
        return self.account_id is None


ANONYMOUS = Actor()
# The role a request without a role rule acts as (``/v1/me``, sign-out, password change).
ACCOUNT_ROLE = "account"


def self_scope(account_id: str) -> str:
    """The scope of an authenticated-only request: the account itself. It matches no
    domain object, so a service's ``ensure_scope`` refuses it everything it owns."""
    return f"account:{account_id}"


__all__ = ["ADMIN", "MATRIX", "SOCIETY_ROLES", "Access", "ActorDep", "allow",
           "authenticated", "authorize", "public"]


# ---------------------------------------------------------------------- resolution


def _role_rank(grant: Grant) -> int:
    return R.ROLE_NAMES.index(grant.role) if grant.role in R.ROLE_NAMES else len(R.ROLE_NAMES)


def scopes_of_role(grants: Iterable[Grant], chosen: Grant) -> str | None:
    """The scopes of every grant of the chosen role, sorted and space-separated; None
    when the chosen grant is unscoped (it reaches everything already)."""
    if chosen.scope is None:
        return None
    return " ".join(sorted({g.scope for g in grants if g.role == chosen.role and g.scope}))


def resolve(rule: Access, principal: Principal, path_params: Mapping[str, Any]) -> Actor:
    """The actor a verified principal is for this rule, or Forbidden / NotFound."""
    if rule.who == "public":
        return ANONYMOUS
    if principal.purpose != ACCESS and not (rule.password_change_token
                                            and principal.purpose == PASSWORD_CHANGE):
        raise Unauthenticated("This token is not an access token.")
    if rule.who == "authenticated":
        return Actor(principal.account_id, ACCOUNT_ROLE, self_scope(principal.account_id),
                     principal)
    candidates = sorted((g for g in principal.grants if g.role in rule.roles), key=_role_rank)
    if not candidates:
        raise Forbidden("Your roles do not allow this.",
                        {"required_roles": list(rule.roles)})
    if rule.scope_kind is None:
        # No object named in the path: any grant of an allowed role; its scope travels
        # with the calls and the service limits what it answers to it.
        # A role held with several scopes (an inspector on two cases, an officer of two
        # offices) acts with all of them, space-separated, as services read a scope.
        chosen = next((g for g in candidates if g.scope is None), candidates[0])
        return Actor(principal.account_id, chosen.role, scopes_of_role(candidates, chosen),
                     principal)
    target = (rule.scope_kind, str(path_params.get(rule.scope_param, "")))
    exact = [g for g in candidates if g.scope_pair == target]
    unscoped = [g for g in candidates if g.scope is None]
    chosen = (exact or unscoped or [None])[0]
    if chosen is None:
        if rule.hide_existence:
            raise NotFound(f"No such {rule.scope_kind}.", {f"{rule.scope_kind}_id": target[1]})
        raise Forbidden("This is outside the scope of your role.",
                        {"required_scope": f"{target[0]}:{target[1]}"})
    return Actor(principal.account_id, chosen.role, chosen.scope, principal)


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization")
    if not header:
        raise Unauthenticated("Sign in first: send Authorization: Bearer <access token>.")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN_LENGTH:
        raise Unauthenticated("Send Authorization: Bearer <access token>.")
    return token


async def authenticate(request: Request, rule: Access) -> Principal:
    """The principal of the request's bearer token, its session still active."""
    identity = request.app.state.identity
    token = bearer_token(request)
    try:
        principal = identity.tokens.verify(token, purpose=ACCESS)
    except TokenInvalid as exc:
        if not rule.password_change_token:
            log.info("access token refused: %s", exc)
            raise Unauthenticated("The access token is not valid or has expired.") from None
        try:
            return identity.tokens.verify(token, purpose=PASSWORD_CHANGE)
        except TokenInvalid:
            log.info("access token refused: %s", exc)
            raise Unauthenticated("The access token is not valid or has expired.") from None
    state = await identity.session_state(principal.session_id)
    if not state.active:
        raise Unauthenticated("The session has ended; sign in again.")
    if state.grants_version != principal.grants_version:
        raise Unauthenticated("Your roles have changed; refresh the access token.",
                              {"reason": "grants_changed"})
    return principal


def route_name(request: Request) -> str | None:
    return getattr(request.scope.get("route"), "name", None)


async def authorize(request: Request) -> Actor:
    """The one dependency of every route (FastAPI's app-level dependencies)."""
    cached = getattr(request.state, "actor", None)
    if cached is not None:
        return cached
    name = route_name(request)
    rule = request.app.state.access.get(name)
    if rule is None:
        log.error("route %r has no access rule: refused", name)
        raise Forbidden("This route has no access rule.")
    if rule.who == "public":
        actor = ANONYMOUS
    else:
        principal = await authenticate(request, rule)
        try:
            actor = resolve(rule, principal, request.path_params)
        except (Forbidden, NotFound):
            actor = await through_office(request, rule, principal)
            if actor is None:
                raise
    request.state.actor = actor
    return actor


async def through_office(request: Request, rule: Access, principal: Principal) -> Actor | None:
    """The actor of an ``office:`` grant of an allowed role on a society route when the
    society lies under that office (gateway/office_reach.py), else None. The actor's
    scope then names both: ``office:<id> society:<id>``, so the service's own
    ``ensure_scope("society", id)`` accepts it as the gateway did."""
    if rule.scope_kind != R.SOCIETY:
        return None
    grants = sorted((g for g in principal.grants
                     if g.role in rule.roles and g.scope_pair
                     and g.scope_pair[0] == R.OFFICE), key=_role_rank)
    if not grants:
        return None
    society_id = str(request.path_params.get(rule.scope_param, ""))
    asking = CallContext(
        request_id=getattr(request.state, "request_id", None) or new_request_id(),
    ).with_actor(actor_id=principal.account_id, actor_role=grants[0].role,
                 actor_scope=grants[0].scope)
    offices = await request.app.state.office_reach.offices_of(society_id, asking)
    for grant in grants:
        if grant.scope_pair[1] in offices:
            return Actor(principal.account_id, grant.role,
                         f"{grant.scope} {R.SOCIETY}:{society_id}", principal)
    return None


ActorDep = Annotated[Actor, Depends(authorize)]


# ---------------------------------------------------------------------- the whole app


def access_rules(extra: Mapping[str, Access] | None = None) -> dict[str, Access]:
    """The matrix plus rules for routes a test or tool adds (never replacing one)."""
    rules = dict(MATRIX)
    for name, rule in (extra or {}).items():
        if name in rules:
            raise ValueError(f"route {name!r} already has its rule in gateway/rules/")
        rules[name] = rule
    return rules


def api_routes(app: FastAPI) -> list[RouteContext]:
    """Every API route of the app as served (included routers resolved, prefixes applied);
    the OpenAPI pages are plain Starlette routes and not among them."""
    return [context for context in iter_route_contexts(app.routes)
            if isinstance(context.original_route, APIRoute)]


def check_routes(app: FastAPI) -> None:
    """Refuse to serve when a route has no rule (fail closed at start-up)."""
    rules = app.state.access
    missing = sorted({route.name for route in api_routes(app) if route.name not in rules})
    if missing:
        raise RuntimeError("routes without an access rule in gateway/rules/: "
                           + ", ".join(missing))


def describe(rule: Access) -> str:
    if rule.who == "public":
        return "anyone, no token"
    if rule.who == "authenticated":
        extra = " (or the password-change token)" if rule.password_change_token else ""
        return "any signed-in account" + extra
    text = ", ".join(rule.roles)
    if rule.scope_kind:
        text += (f"; scoped grants only for the {rule.scope_kind} in `{{{rule.scope_param}}}`")
        if rule.hide_existence:
            text += "; another's: 404"
    return text


def render_matrix(routes: Iterable[RouteContext], rules: Mapping[str, Access] = MATRIX) -> str:
    """The matrix as the Markdown table of docs/access.md."""
    lines = ["| route | method | path | who |", "|---|---|---|---|"]
    rows = sorted(((route.path_format or route.path, ",".join(sorted(route.methods or ())),
                    route.name)
                   for route in routes), key=lambda row: (row[0], row[1]))
    for path, methods, name in rows:
        rule = rules.get(name)
        who = describe(rule) if rule else "**no rule: refused**"
        lines.append(f"| `{name}` | {methods} | `{path}` | {who} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    """``python -m gateway.access``: print the table for docs/access.md."""
    from gateway.main import create_app

    app = create_app()
    print(render_matrix(api_routes(app), app.state.access), end="")


if __name__ == "__main__":
    main()
