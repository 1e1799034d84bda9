"""Which scopes a request acts with when the account holds a role more than once: an
inspector on two cases lists both, an officer of two offices sees both offices' work,
and a route that names its object still acts with exactly that object's grant."""

from __future__ import annotations

import pytest

from gateway.access import allow, resolve
from gateway.identity.tokens import Grant, Principal
from services.common.errors import Forbidden


def principal(*grants: tuple[str, str | None]) -> Principal:
    return Principal("acc-1", "sess-1", tuple(Grant(role, scope) for role, scope in grants))


def test_a_list_route_acts_with_every_scope_of_the_role():
    who = principal(("inspector", "case:c2"), ("inspector", "case:c1"),
                    ("society_representative", "society:s1"))
    actor = resolve(allow("inspector", "auditor"), who, {})
    assert actor.role == "inspector"
    assert actor.scope == "case:c1 case:c2"  # never the society grant of another role


def test_an_unscoped_grant_of_the_role_reaches_everything():
    who = principal(("registrar", "office:mp"), ("registrar", None))
    assert resolve(allow("registrar"), who, {}).scope is None


def test_a_route_naming_its_object_acts_with_that_grant_alone():
    who = principal(("inspector", "case:c1"), ("inspector", "case:c2"))
    rule = allow("inspector", scope=("case", "case_id"))
    assert resolve(rule, who, {"case_id": "c2"}).scope == "case:c2"
    with pytest.raises(Forbidden):
        resolve(rule, who, {"case_id": "c3"})
