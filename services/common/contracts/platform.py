"""Contracts every service answers, whatever its domain: health and the audit chain."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from services.common.contracts.base import Contract


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
