"""Settings of the grievance service, from ``GRIEVANCE_*`` variables.

``GRIEVANCE_ESCALATION_SECONDS``: how often the escalation sweep runs (each replica);
``GRIEVANCE_ESCALATION_BATCH``: late cases taken per transaction of the sweep;
``GRIEVANCE_HEARING_REMINDER_SECONDS``: how often hearings due within a day are looked for
(each is reminded once, so the interval only bounds how late a reminder can be);
``GRIEVANCE_HEARING_REMINDER_HOURS``: how long before a hearing its reminder goes out."""

from __future__ import annotations

from functools import cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class GrievanceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRIEVANCE_", extra="ignore")

    escalation_seconds: float = Field(60.0, gt=0, le=86_400)
    escalation_batch: int = Field(2000, ge=1, le=10_000)
    hearing_reminder_seconds: float = Field(600.0, gt=0, le=86_400)
    hearing_reminder_hours: float = Field(24.0, gt=0, le=168)


@cache
def grievance_settings() -> GrievanceSettings:
    return GrievanceSettings()
