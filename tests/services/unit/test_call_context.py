"""Services re-check the scope of the acting grant on what they own."""

import pytest

from services.common.call_context import CallContext
from services.common.errors import Forbidden


def ctx(scope):
    return CallContext(request_id="r", actor_id="u1", actor_role="society_representative",
                       actor_scope=scope, idempotency_key=None, event_id=None,
                       service="registry", entrypoint="update_member")


def test_a_scoped_grant_reaches_only_its_own_object():
    representative = ctx("society:42")
    assert representative.scoped
    representative.ensure_scope("society", 42)
    with pytest.raises(Forbidden) as refused:
        representative.ensure_scope("society", 43)
    assert refused.value.details == {"required_scope": "society:43",
                                     "your_scope": "society:42"}
    with pytest.raises(Forbidden):
        representative.ensure_scope("election", 42)


def test_an_unscoped_grant_reaches_everything():
    ctx(None).ensure_scope("society", 43)


def test_anonymous_and_self_scopes_reach_no_owned_object():
    for scope in ("public", "account:u1"):
        with pytest.raises(Forbidden):
            ctx(scope).ensure_scope("society", 42)
