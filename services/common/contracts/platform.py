"""Contracts every service answers, whatever its domain: health, the audit chain and its
anchors."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal

from pydantic import Field

from services.common.contracts.base import Contract, Event


class HealthCheck(Contract):
    name: Literal["database", "migrations", "outbox"]
    ok: bool
    detail: str = ""


class HealthReportV1(Contract):
    """Answer of ``<service>.health``."""

    service: str
    ok: bool
    checks: list[HealthCheck]
    outbox_backlog: int = Field(ge=0)
    outbox_oldest_age_seconds: float = Field(ge=0)
    migration_revision: str | None
    migration_head: str | None


class AuditVerificationV1(Contract):
    """Answer of ``<service>.verify_audit_chain``."""

    service: str
    ok: bool
    entries_checked: int = Field(ge=0)
    first_bad_entry_id: int | None = None
    reason: str = ""


class AuditQueryV1(Contract):
    """``<service>.audit_entries``: a page of the audit trail, newest first."""

    entity_type: str | None = Field(None, min_length=1, max_length=64)
    entity_id: str | None = Field(None, min_length=1, max_length=100)
    actor_id: str | None = Field(None, min_length=1, max_length=100)
    action: str | None = Field(None, min_length=1, max_length=64)
    since: datetime | None = None
    until: datetime | None = None
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


class AuditEntryV1(Contract):
    id: int
    at: datetime
    actor_id: str
    actor_role: str
    action: str
    entity_type: str
    entity_id: str
    request_id: str | None = None
    changes: dict[str, Any] | list[Any] | None = None
    hash: str


class AuditPageV1(Contract):
    items: list[AuditEntryV1]
    next_offset: int | None = None


class AuditFilterV1(Contract):
    """Filters and page of a scoped trail (an entity's, an actor's, an office's)."""

    action: str | None = Field(None, min_length=1, max_length=64)
    since: datetime | None = None
    until: datetime | None = None
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


class AuditHeadAnchoredV1(Event):
    """A service's audit chain head, signed by the service, published so that a copy
    lives outside its database (the documents service keeps them). ``signature`` is
    HMAC-SHA256 over ``services.common.audit_anchor.signed_material`` with the key named
    by ``key_id``."""

    event_type: ClassVar[str] = "audit_head_anchored"

    service: str = Field(min_length=1, max_length=40)
    last_id: int = Field(ge=1)
    last_hash: str = Field(min_length=64, max_length=64)
    entries: int = Field(ge=1)
    at: datetime
    signature: str = Field(min_length=64, max_length=64)
    key_id: str = Field(min_length=1, max_length=32)


class AuditAnchorQueryV1(Contract):
    """``documents.audit_anchor``: the newest anchor kept for ``service``."""

    service: str = Field(min_length=1, max_length=40, pattern=r"^[a-z_]+$")


class AuditAnchorV1(Contract):
    """Answer of ``documents.audit_anchor``: ``anchor`` is None if none was kept yet."""

    service: str
    anchor: AuditHeadAnchoredV1 | None = None
    received_at: datetime | None = None


class AnchoredVerifyQueryV1(Contract):
    """``<service>.verify_audit_anchored``: the anchor to check the chain against (as
    ``documents.audit_anchor`` answered; None: no anchor kept yet)."""

    anchor: AuditHeadAnchoredV1 | None = None


class AuditAnchoredVerificationV1(Contract):
    """Answer of ``<service>.verify_audit_anchored``. ``status``: ``ok``; ``broken``
    (an entry does not fit the one before it, or was changed); ``truncated`` (entries
    up to the anchored head are gone); ``rewritten`` (the anchored entry has another
    hash); ``unanchored`` (the chain fits but no anchor was kept yet);
    ``anchor_unverifiable`` (the anchor's signature is not this service's)."""

    service: str
    status: Literal["ok", "broken", "truncated", "rewritten", "unanchored",
                    "anchor_unverifiable"]
    ok: bool
    entries_checked: int = Field(ge=0)
    first_bad_entry_id: int | None = None
    reason: str = ""
    anchor: AuditHeadAnchoredV1 | None = None
    anchor_age_seconds: float | None = None
    expected_hash: str | None = None
    found_hash: str | None = None
    anchored_entries: int | None = None
    found_entries: int | None = None
