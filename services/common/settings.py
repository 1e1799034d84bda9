"""Settings of one service process, read from the environment with local defaults."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SERVICE_NAMES = ("registry", "elections", "filings", "grievance", "notify", "documents")

DEFAULT_METRICS_PORTS = {
    "registry": 9101,
    "elections": 9102,
    "filings": 9103,
    "grievance": 9104,
    "notify": 9105,
    "documents": 9106,
}


class ServiceSettings(BaseSettings):
    """One service's settings. Fields with an alias are shared by every process and
    read as named (``AMQP_URI``); the others carry the service's prefix, e.g.
    ``REGISTRY_DATABASE_URL``, ``REGISTRY_METRICS_PORT``, ``REGISTRY_MAX_WORKERS``."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    service_name: str
    amqp_uri: str = Field("amqp://guest:guest@127.0.0.1:5672/", alias="AMQP_URI")
    data_dir: Path = Field(Path("data"), alias="DATA_DIR")
    database_url: str = ""
    # Loopback by default; a container sets METRICS_HOST=0.0.0.0 so Prometheus can scrape.
    metrics_host: str = Field("127.0.0.1", alias="METRICS_HOST")
    metrics_port: int | None = Field(None, ge=0, le=65535, description="0 turns metrics off")
    # 16 workers: enough to overlap DB waits on 2 cores; more raised p99 in the
    # measurements in docs/performance.md (kombu's producer pool holds 10).
    max_workers: int = Field(16, ge=1, le=256)
    # 10 s heartbeats find a silently dead broker within ~20 s instead of 2 min;
    # workers never block the hub (green DB driver), so heartbeats are not missed.
    heartbeat: int = Field(10, ge=0, le=600, alias="AMQP_HEARTBEAT")
    # quorum: replicated queues for a RabbitMQ cluster (production); classic: one node.
    amqp_queue_type: Literal["classic", "quorum"] = Field("classic", alias="AMQP_QUEUE_TYPE")
    db_pool_size: int = Field(16, ge=1, le=200)
    outbox_poll_seconds: float = Field(1.0, gt=0, le=60, alias="OUTBOX_POLL_SECONDS")
    # Sent outbox rows, applied-event ids and idempotency records are kept this long.
    retention_days: float = Field(30.0, gt=0, le=3650, alias="PLATFORM_RETENTION_DAYS")
    outbox_batch_size: int = Field(200, ge=1, le=5000, alias="OUTBOX_BATCH_SIZE")
    # Delay before each retry of a failed event; after the last one it is dead-lettered.
    event_retry_delays: Annotated[tuple[float, ...], NoDecode] = Field(
        (1.0, 10.0, 60.0), alias="EVENT_RETRY_DELAYS"
    )
    log_level: str = Field("INFO", alias="LOG_LEVEL")

    @field_validator("event_retry_delays", mode="before")
    @classmethod
    def _parse_delays(cls, value):
        if isinstance(value, str):
            value = [part for part in value.replace(" ", "").split(",") if part]
        delays = tuple(float(v) for v in value)
        if not 1 <= len(delays) <= 5 or any(d <= 0 or d > 3600 for d in delays):
            raise ValueError("EVENT_RETRY_DELAYS takes 1 to 5 delays in seconds, each in (0, 3600]")
        return delays

    @model_validator(mode="after")
    def _default_metrics_port(self):
        if self.metrics_port is None:
            self.metrics_port = DEFAULT_METRICS_PORTS.get(self.service_name, 0)
        return self

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / f'{self.service_name}.db').as_posix()}"


@cache
def service_settings(service_name: str) -> ServiceSettings:
    """The settings of ``service_name``, read once per process."""
    return ServiceSettings(service_name=service_name, _env_prefix=f"{service_name.upper()}_")


def nameko_config(settings: ServiceSettings) -> dict:
    """The config dict nameko's runner takes for this service."""
    return {
        "AMQP_URI": settings.amqp_uri,
        "max_workers": settings.max_workers,
        "HEARTBEAT": settings.heartbeat,
        "serializer": "json",
        # Publishers (RPC replies, event retries) give up fast when the broker is
        # away; nothing is lost: the work is still in its queue or outbox.
        "TRANSPORT_OPTIONS": {
            "max_retries": 1,
            "interval_start": 0.2,
            "interval_step": 0.2,
            "interval_max": 0.5,
        },
    }
