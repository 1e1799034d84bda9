"""Who may upload to an owner and who may read a document, decided from the caller's
role and scope (``CallContext``) and, for office-scoped staff, the offices a society
belongs to (asked of the registry; no answer means no access, never access).

- ``public``: anyone, signed in or not.
- ``citizens_with_otp``: a ``citizen`` (signed in by OTP), plus whoever
  ``society_and_office`` lets in (seed 001: citizens read what societies filed).
- ``society_and_office``: a grant scoped to the owner itself (``society:<id>`` for a
  society's representatives and the staff assigned to it, ``election:<id>`` for its
  returning officer, ``case:<id>``...) or to the society the document concerns, and
  office staff (``registrar``, ``dealing_officer``) unscoped or of an office in the
  society's chain.
- ``office_only``: office staff as above.
An election's documents (owner ``election:<id>``, e.g. Forms 19M/19N) are read by the
CEA's officials as well.
Calls from inside the platform (``system``) read everything.
"""

from __future__ import annotations

from collections.abc import Callable

from services.common.call_context import SYSTEM_ACTOR, CallContext
from services.common.errors import Forbidden, NotFound, Unauthenticated

OFFICE_ROLES = frozenset({"registrar", "dealing_officer"})
OfficesOf = Callable[[str], list[str]]


class RegistryUnavailable(Exception):
    """The registry did not say which offices a society belongs to; the gateway answers
    503 (never a grant by default)."""


def _scopes(ctx: CallContext) -> list[str]:
    """The acting grants' scopes: a role held with several travels space-separated."""
    return (ctx.actor_scope or "").split()


def _offices_of_scope(ctx: CallContext) -> set[str]:
    return {s.partition(":")[2] for s in _scopes(ctx) if s.startswith("office:")}


def is_office_staff_for(ctx: CallContext, owner: str, society_id: str | None,
                        offices_of: OfficesOf) -> bool:
    if ctx.actor_role == SYSTEM_ACTOR:
        return True
    if ctx.actor_role not in OFFICE_ROLES:
        return False
    if not ctx.scoped:
        return True
    offices = _offices_of_scope(ctx)
    if not offices:
        return False
    if owner.startswith("office:") and owner.partition(":")[2] in offices:
        return True
    return bool(society_id) and not offices.isdisjoint(offices_of(society_id))


def is_party(ctx: CallContext, owner: str, society_id: str | None) -> bool:
    """A grant scoped to the owner itself or to the society the document concerns."""
    scopes = _scopes(ctx)
    if not scopes or ctx.actor_role in OFFICE_ROLES:
        return False
    return owner in scopes or (society_id is not None and f"society:{society_id}" in scopes)


def can_read(ctx: CallContext, *, access_level: str, owner: str, society_id: str | None,
             offices_of: OfficesOf) -> bool:
    if access_level == "public" or ctx.actor_role == SYSTEM_ACTOR:
        return True
    if access_level == "citizens_with_otp" and ctx.actor_role == "citizen":
        return True
    if owner.startswith("election:") and ctx.actor_role == "cea_official":
        return True     # the Authority reads every election's documents
    if access_level in ("citizens_with_otp", "society_and_office") and is_party(
            ctx, owner, society_id):
        return True
    return is_office_staff_for(ctx, owner, society_id, offices_of)


def ensure_can_read(ctx: CallContext, document_id: str, **doc) -> None:
    """Refuse a read: 401 for an anonymous caller of a document a signed-in person might
    read; 404 otherwise, so nobody learns what exists beyond their reach."""
    if can_read(ctx, **doc):
        return
    if ctx.actor_role == "anonymous" and doc["access_level"] == "citizens_with_otp":
        raise Unauthenticated("Sign in (citizens: with an OTP) to read this document.",
                              {"document_id": document_id})
    raise NotFound("No such document.", {"document_id": document_id})


def ensure_can_upload(ctx: CallContext, *, owner: str, society_id: str | None, kind: str,
                      offices_of: OfficesOf) -> None:
    if is_office_staff_for(ctx, owner, society_id, offices_of):
        return
    if kind == "template":
        raise Forbidden("Only the registrar's office publishes templates and formats.")
    if owner.startswith("office:"):
        raise Forbidden("Only that office's staff file documents for it.")
    if is_party(ctx, owner, society_id):
        return
    raise Forbidden("Your role does not let you file documents for this owner.",
                    {"owner": owner, "your_scope": ctx.actor_scope})
