"""One access rule: who may call a route. The rules themselves live beside this module,
one module per domain; ``gateway.rules.MATRIX`` joins them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from gateway.identity import roles as R


@dataclass(frozen=True)
class Access:
    """Who may call one route."""

    who: Literal["public", "authenticated", "roles"]
    roles: tuple[str, ...] = ()
    # Where the route's object comes from: scope kind and the path parameter naming it.
    scope_kind: str | None = None
    scope_param: str | None = None
    # Out of scope answers 404 (as if the object did not exist) instead of 403.
    hide_existence: bool = False
    # The short-lived token of a forced password change is accepted too.
    password_change_token: bool = False

    def __post_init__(self) -> None:
        unknown = set(self.roles) - set(R.ROLE_NAMES)
        if unknown:
            raise ValueError(f"unknown roles in an access rule: {sorted(unknown)}")
        if (self.scope_kind is None) != (self.scope_param is None):
            raise ValueError("a scope needs its kind and its path parameter")
        if self.who == "roles" and not self.roles:
            raise ValueError("a roles rule needs at least one role")


def public() -> Access:
    return Access("public")


def authenticated(*, password_change_token: bool = False) -> Access:
    return Access("authenticated", password_change_token=password_change_token)


def allow(*names: str, scope: tuple[str, str] | None = None,
          hide_existence: bool = False) -> Access:
    kind, param = scope if scope else (None, None)
    return Access("roles", tuple(names), kind, param, hide_existence)


ADMIN = (R.ADMINISTRATOR,)
# Who acts for or on a society: its representatives, the registrar's office, the people
# assigned to its cases, its liquidator.
SOCIETY_ROLES = ("society_representative", "registrar", "dealing_officer", "auditor",
                 "inspector", "inquirer", "arbitrator", "liquidator")
