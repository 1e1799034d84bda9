"""Settings of audits, from ``FILINGS_AUDIT_*`` variables.

``FILINGS_AUDIT_ROTATION_YEARS`` (default 3): an auditor who audited a society for this
many consecutive years just before is not allotted its next year. A platform rule: the
seeds give no number (the Multi-State Co-operative Societies Act leaves rotation to the
rules); an office that follows another limit sets it here."""

from __future__ import annotations

from functools import cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class AuditSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FILINGS_AUDIT_", extra="ignore")

    rotation_years: int = Field(3, ge=1, le=20)


@cache
def audit_settings() -> AuditSettings:
    return AuditSettings()
