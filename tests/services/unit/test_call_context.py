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


def test_an_office_grant_the_gateway_placed_over_a_society_reaches_that_society_only():
    placed = ctx("office:dist-pune society:42")
    placed.ensure_scope("society", 42)
    placed.ensure_scope("office", "dist-pune")
    with pytest.raises(Forbidden):
        placed.ensure_scope("society", 43)


class _Entrypoint:
    method_name = "update_mailbox_message"


class _WorkerCtx:
    service_name = "notify"
    entrypoint = _Entrypoint()

    def __init__(self, data):
        self.data = data
        self.call_id = "notify.update_mailbox_message.4b6f0f64-9f0e-4c53-a2d3-1f5c2a9e7d10"


def test_a_call_without_a_request_id_gets_one_that_fits_the_audit_trail():
    from services.common.context import MAX_REQUEST_ID, call_context

    own = call_context(_WorkerCtx({}))
    assert own.request_id == "4b6f0f64-9f0e-4c53-a2d3-1f5c2a9e7d10"
    assert call_context(_WorkerCtx({"request_id": "r" * 200})).request_id == "r" * MAX_REQUEST_ID
    assert call_context(_WorkerCtx({"request_id": "abc"})).request_id == "abc"
