"""Contracts every service answers, whatever its domain: health and the audit chain."""

from __future__ import annotations

from typing import Literal

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
