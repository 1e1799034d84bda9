"""Settings of the notify service's channels: SMTP, the SMS provider, rates, retries.

Read from ``NOTIFY_*`` environment variables once per process (``notify_settings()``),
beside the chassis settings every service has (``service_settings("notify")``).
Provider credentials live only here, never in the database or the logs.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.public_url import ensure_public


class NotifySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFY_", extra="ignore",
                                      populate_by_name=True, hide_input_in_errors=True)

    environment: Literal["development", "production"] = Field("development",
                                                             alias="ENVIRONMENT")

    # E-mail over SMTP: one connection per e-mail worker, reused for many messages.
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(25, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = Field(10.0, gt=0, le=120)
    email_from: str = "no-reply@coop-platform.example"
    # Domain of the deterministic Message-ID (<key-digest>@domain) receivers deduplicate on.
    message_id_domain: str = "notify.coop-platform.example"
    email_rate_per_second: float = Field(2000.0, gt=0)
    # Several SMTP sessions in parallel: a personalised message is one transaction, a
    # round trip (pipelined), so one session waits more than it works. Each sender
    # holds a database connection while its batch is out: keep within the pool.
    email_workers: int = Field(8, ge=0, le=32)
    # Rows claimed at once; identical texts among them share one transaction.
    email_batch_size: int = Field(100, ge=1, le=1000)

    # SMS through an HTTP provider with a bulk endpoint and client references.
    sms_url: str = "http://127.0.0.1:9180"
    sms_api_key: SecretStr = SecretStr("")
    sms_sender_id: str = "COOPGV"
    sms_rate_per_second: float = Field(3000.0, gt=0)
    sms_workers: int = Field(2, ge=0, le=32)
    sms_batch_size: int = Field(250, ge=1, le=1000)
    sms_timeout_seconds: float = Field(10.0, gt=0, le=120)

    # Transient failures (throttling, 5xx, timeouts, SMTP 4xx) are retried with backoff.
    retry_base_seconds: float = Field(2.0, gt=0, le=3600)
    retry_max_seconds: float = Field(300.0, gt=0, le=86400)
    max_attempts: int = Field(6, ge=1, le=50)

    # How often idle workers look for due deliveries (a commit also wakes them).
    poll_seconds: float = Field(0.5, gt=0, le=60)
    # Members asked of the registry per page while a mass job is materialised.
    mass_page_size: int = Field(5000, ge=1, le=5000)
    # Where the portal shows a document: links in e-mails and mailbox messages.
    portal_url: str = "https://portal.coop-platform.example"

    @model_validator(mode="after")
    def _production_links_are_public(self) -> NotifySettings:
        if self.environment == "production":
            ensure_public("NOTIFY_PORTAL_URL", self.portal_url)
        return self


@cache
def notify_settings() -> NotifySettings:
    return NotifySettings()
