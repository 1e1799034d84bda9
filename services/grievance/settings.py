"""Settings of the grievance service, from ``GRIEVANCE_*`` variables.

``GRIEVANCE_ESCALATION_SECONDS``: how often the escalation sweep runs (each replica);
``GRIEVANCE_ESCALATION_BATCH``: late cases taken per transaction of the sweep."""

from __future__ import annotations

from functools import cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class GrievanceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRIEVANCE_", extra="ignore")

    escalation_seconds: float = Field(60.0, gt=0, le=86_400)
    escalation_batch: int = Field(2000, ge=1, le=10_000)


@cache
def grievance_settings() -> GrievanceSettings:
    return GrievanceSettings()
