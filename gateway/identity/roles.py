"""The platform's roles, the scope kinds a grant of each may carry, and grant validation.

One place: the access matrix (gateway/rules/), the admin API and the docs read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from services.common.errors import InvalidInput

# Scope kinds. A grant with a scope reaches only that object; one without reaches all.
SOCIETY = "society"
ELECTION = "election"
OFFICE = "office"
APPLICATION = "application"
CASE = "case"
SCOPE_KINDS = (SOCIETY, ELECTION, OFFICE, APPLICATION, CASE)
SCOPE_ID_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"
_SCOPE_ID = re.compile(SCOPE_ID_PATTERN)

ACCOUNT_KINDS = ("staff", "society", "citizen")


@dataclass(frozen=True)
class RoleSpec:
    name: str
    title: str
    # Scope kinds a grant may carry; None in the tuple means "may be unscoped".
    scopes: tuple[str | None, ...]
    # Account kinds that may hold the role.
    kinds: tuple[str, ...]


_STAFF = ("staff",)
_CASE_WORKER = (SOCIETY, CASE)

ROLE_SPECS: tuple[RoleSpec, ...] = (
    RoleSpec("society_representative", "Society representative", (SOCIETY,), ("society",)),
    RoleSpec("applicant", "Applicant / promoter", (None, APPLICATION), ("society", "citizen")),
    # An office grant reaches a national, state or district office; none: the Central
    # Registrar's office, the whole platform.
    RoleSpec("dealing_officer", "Registrar's dealing officer", (OFFICE, None), _STAFF),
    RoleSpec("registrar", "Registrar", (OFFICE, None), _STAFF),
    RoleSpec("auditor", "Auditor", _CASE_WORKER, _STAFF),
    RoleSpec("inspector", "Inspector", _CASE_WORKER, _STAFF),
    RoleSpec("inquirer", "Inquirer", _CASE_WORKER, _STAFF),
    RoleSpec("arbitrator", "Arbitrator", _CASE_WORKER, _STAFF),
    RoleSpec("liquidator", "Liquidator", (SOCIETY,), _STAFF),
    RoleSpec("cea_official", "Co-operative Election Authority official", (None,), _STAFF),
    RoleSpec("returning_officer", "Returning officer", (ELECTION,), _STAFF),
    RoleSpec("assistant_returning_officer", "Assistant returning officer", (ELECTION,),
             _STAFF),
    RoleSpec("citizen", "Citizen", (None,), ("citizen",)),
    RoleSpec("administrator", "Administrator", (None,), _STAFF),
)
ROLES: dict[str, RoleSpec] = {spec.name: spec for spec in ROLE_SPECS}
ROLE_NAMES: tuple[str, ...] = tuple(ROLES)
ADMINISTRATOR = "administrator"
CITIZEN = "citizen"


def scope_string(kind: str | None, ident: str | None) -> str | None:
    """``"society:42"``, or None for an unscoped grant."""
    if kind is None:
        return None
    return f"{kind}:{ident}"


def parse_scope(scope: str | None) -> tuple[str, str] | None:
    if not scope:
        return None
    kind, sep, ident = scope.partition(":")
    if not sep or kind not in SCOPE_KINDS or not _SCOPE_ID.match(ident):
        raise InvalidInput("Not a scope.", fields={"scope": "must be <kind>:<id>, kind one of "
                                                            + ", ".join(SCOPE_KINDS)})
    return kind, ident


def validate_grant(*, role: str, scope_kind: str | None, scope_id: str | None,
                   account_kind: str | None = None) -> None:
    """Refuse a grant the role does not allow: unknown role, a scope kind the role cannot
    carry, a missing scope where one is required, or a role the account kind cannot hold."""
    spec = ROLES.get(role)
    if spec is None:
        raise InvalidInput("Unknown role.", fields={"role": "must be one of "
                                                            + ", ".join(ROLE_NAMES)})
    if (scope_kind is None) != (scope_id is None):
        raise InvalidInput("A scope needs both its kind and its id.",
                           fields={"scope_kind" if scope_kind is None else "scope_id":
                                   "required together with the other"})
    if scope_kind not in spec.scopes:
        allowed = ", ".join("none" if kind is None else kind for kind in spec.scopes)
        raise InvalidInput(f"A {role} grant takes scope: {allowed}.",
                           fields={"scope_kind": f"must be one of: {allowed}"})
    if scope_id is not None and not _SCOPE_ID.match(scope_id):
        raise InvalidInput("Not a scope id.",
                           fields={"scope_id": "1-64 characters of A-Z a-z 0-9 . _ -"})
    if account_kind is not None and account_kind not in spec.kinds:
        raise InvalidInput(f"A {account_kind} account cannot hold the role {role}.",
                           fields={"role": "allowed for " + ", ".join(spec.kinds)
                                           + " accounts"})
