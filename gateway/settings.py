"""Gateway settings, read from the environment with defaults that work on one machine."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from yarl import URL

DEFAULT_SERVICES = ("registry", "elections", "filings", "grievance", "notify", "documents")
_LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


class GatewaySettings(BaseSettings):
    """One settings object per process; build it with :func:`get_settings`."""

    model_config = SettingsConfigDict(
        extra="ignore", frozen=True, populate_by_name=True, case_sensitive=False,
    )

    amqp_uri: str = Field(
        "amqp://guest:guest@127.0.0.1:5672/", validation_alias="AMQP_URI", repr=False,
    )
    host: str = Field("127.0.0.1", validation_alias="GATEWAY_HOST")
    port: int = Field(8000, ge=1, le=65535, validation_alias="GATEWAY_PORT")
    rpc_timeout: float = Field(10.0, gt=0, le=300, validation_alias="GATEWAY_RPC_TIMEOUT")
    health_timeout: float = Field(2.0, gt=0, le=60, validation_alias="GATEWAY_HEALTH_TIMEOUT")
    heartbeat: int = Field(10, ge=0, le=600, validation_alias="GATEWAY_HEARTBEAT")
    max_body_bytes: int = Field(1024 * 1024, gt=0, validation_alias="GATEWAY_MAX_BODY_BYTES")
    log_level: str = Field("INFO", validation_alias="LOG_LEVEL")
    access_log: bool = Field(True, validation_alias="GATEWAY_ACCESS_LOG")
    services: Annotated[tuple[str, ...], NoDecode] = Field(
        DEFAULT_SERVICES, validation_alias="GATEWAY_SERVICES",
    )
    environment: Literal["development", "production"] = Field(
        "development", validation_alias="ENVIRONMENT",
    )

    @field_validator("services", mode="before")
    @classmethod
    def _split_services(cls, value: object) -> object:
        # A comma-separated list reads better in an env file than JSON.
        if isinstance(value, str):
            return tuple(name.strip() for name in value.split(",") if name.strip())
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _known_level(cls, value: object) -> str:
        level = str(value).strip().upper()
        if level not in _LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(_LOG_LEVELS)}")
        return level

    @field_validator("amqp_uri")
    @classmethod
    def _amqp_scheme(cls, value: str) -> str:
        if URL(value).scheme not in ("amqp", "amqps"):
            raise ValueError("must be an amqp:// or amqps:// URL")
        return value

    @model_validator(mode="after")
    def _no_default_credentials_in_production(self) -> GatewaySettings:
        if self.environment == "production":
            url = URL(self.amqp_uri)
            if url.user in (None, "guest") or url.password in (None, "guest"):
                raise ValueError("AMQP_URI must carry real credentials when ENVIRONMENT=production")
        return self

    @property
    def amqp_url(self) -> str:
        """The broker URL as aiormq reads it: the heartbeat rides in the query string."""
        return str(URL(self.amqp_uri).update_query(heartbeat=str(self.heartbeat)))


@lru_cache(maxsize=1)
def get_settings() -> GatewaySettings:
    """The process's settings, read from the environment on first use."""
    return GatewaySettings()
