"""The documents service reads a caller holding a role with several scopes as holding
each of them: a representative of two societies reads both societies' filings, an
officer of two offices reads documents under either, and nobody reads a third's."""

from __future__ import annotations

from services.common.call_context import CallContext
from services.documents.access import can_read


def ctx(role: str, scope: str | None) -> CallContext:
    return CallContext(request_id="r", actor_id="a", actor_role=role, actor_scope=scope,
                       idempotency_key=None, event_id=None, service="documents",
                       entrypoint="documents.test")


def offices_of(society_id: str) -> list[str]:
    return {"s1": ["mp"], "s2": ["wb"], "s3": ["ka"]}[society_id]


def readable(context: CallContext, owner: str, society_id: str | None) -> bool:
    return can_read(context, access_level="society_and_office", owner=owner,
                    society_id=society_id, offices_of=offices_of)


def test_a_representative_of_two_societies_reads_both_and_no_other():
    rep = ctx("society_representative", "society:s1 society:s2")
    assert readable(rep, "society:s1", "s1") and readable(rep, "society:s2", "s2")
    assert not readable(rep, "society:s3", "s3")


def test_an_officer_of_two_offices_reads_under_either():
    officer = ctx("dealing_officer", "office:mp office:wb")
    assert readable(officer, "society:s1", "s1") and readable(officer, "society:s2", "s2")
    assert readable(officer, "office:wb", None)
    assert not readable(officer, "society:s3", "s3")
    assert not readable(officer, "office:ka", None)
