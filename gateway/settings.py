"""Gateway settings, read from the environment with defaults that work on one machine."""

from __future__ import annotations

import ipaddress
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from yarl import URL

DEFAULT_SERVICES = ("registry", "elections", "filings", "grievance", "notify", "documents")
_LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
# HS256 keys and the OTP pepper: at least 256 bits, as RFC 7518 asks of an HS256 key.
MIN_SECRET_BYTES = 32
_KID_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"


class GatewaySettings(BaseSettings):
    """One settings object per process; build it with :func:`get_settings`."""

    model_config = SettingsConfigDict(
        extra="ignore", frozen=True, populate_by_name=True, case_sensitive=False,
        # A refused value may be a secret (a short key, a URL with its password): errors
        # name the field, never its value.
        hide_input_in_errors=True,
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

    # -- documents: streamed uploads and downloads --------------------------------------
    # The largest body an upload route accepts (the documents service then holds each kind
    # to its own, smaller limit); every other route keeps max_body_bytes.
    documents_max_upload_bytes: int = Field(
        256 * 1024 * 1024, gt=0, validation_alias="GATEWAY_DOCUMENTS_MAX_UPLOAD_BYTES")
    # Seconds the data plane may stay silent while bytes flow (not the whole transfer).
    documents_io_timeout: float = Field(60.0, gt=0, le=3600,
                                        validation_alias="GATEWAY_DOCUMENTS_IO_TIMEOUT")

    # -- public directory: answers kept this many seconds (0: asked every time) --------
    directory_cache_seconds: float = Field(
        5.0, ge=0, le=300, validation_alias="GATEWAY_DIRECTORY_CACHE_SECONDS")

    # -- member register: CSV imports stream through in chunks of rows -----------------
    # 64 MiB is about 600,000 rows: a large society's whole register in one upload.
    members_max_import_bytes: int = Field(
        64 * 1024 * 1024, gt=0, validation_alias="GATEWAY_MEMBERS_MAX_IMPORT_BYTES")

    # -- elections: the RO's booth file (text/csv, read whole, passed on in one call) ---
    # 16 MiB: a 2,00,000-voter society's file at up to ~80 bytes a line (membership
    # number and booth, with the district, state or name the RO keeps beside them).
    elections_max_booth_file_bytes: int = Field(
        16 * 1024 * 1024, gt=0, validation_alias="GATEWAY_ELECTIONS_MAX_BOOTH_FILE_BYTES")

    # -- identity: the gateway's own database ------------------------------------------
    data_dir: Path = Field(Path("data"), validation_alias="DATA_DIR")
    database_url: str = Field("", validation_alias="GATEWAY_DATABASE_URL", repr=False)
    # Auth endpoints are low-volume; the pool only bounds how many run at once.
    db_pool_size: int = Field(8, ge=1, le=100, validation_alias="GATEWAY_DB_POOL_SIZE")

    # -- identity: tokens ------------------------------------------------------------
    # JSON object kid -> secret; empty in development means an ephemeral random key.
    jwt_keys: Annotated[dict[str, SecretStr], NoDecode] = Field(
        default_factory=dict, validation_alias="GATEWAY_JWT_KEYS", repr=False,
    )
    jwt_active_kid: str = Field("", validation_alias="GATEWAY_JWT_ACTIVE_KID")
    jwt_issuer: str = Field("coop-gateway", min_length=1, max_length=200,
                            validation_alias="GATEWAY_JWT_ISSUER")
    jwt_audience: str = Field("coop-platform", min_length=1, max_length=200,
                              validation_alias="GATEWAY_JWT_AUDIENCE")
    access_token_seconds: int = Field(600, ge=30, le=3600,
                                      validation_alias="GATEWAY_ACCESS_TOKEN_SECONDS")
    refresh_token_seconds: int = Field(12 * 3600, ge=60, le=30 * 86400,
                                       validation_alias="GATEWAY_REFRESH_TOKEN_SECONDS")
    session_max_seconds: int = Field(7 * 86400, ge=60, le=90 * 86400,
                                     validation_alias="GATEWAY_SESSION_MAX_SECONDS")
    password_change_token_seconds: int = Field(
        300, ge=30, le=3600, validation_alias="GATEWAY_PASSWORD_CHANGE_TOKEN_SECONDS")
    # How long a session's "still valid" answer is trusted in this process: sign-out,
    # disabling and grant changes take effect within this many seconds. 0: every request.
    session_check_seconds: float = Field(5.0, ge=0, le=300,
                                         validation_alias="GATEWAY_SESSION_CHECK_SECONDS")

    # -- identity: OTP -----------------------------------------------------------------
    otp_pepper: SecretStr | None = Field(None, validation_alias="GATEWAY_OTP_PEPPER",
                                         repr=False)
    otp_channel: Literal["log", "notify"] | None = Field(
        None, validation_alias="GATEWAY_OTP_CHANNEL")
    otp_seconds: int = Field(300, ge=60, le=1800, validation_alias="GATEWAY_OTP_SECONDS")
    otp_max_attempts: int = Field(5, ge=1, le=10, validation_alias="GATEWAY_OTP_MAX_ATTEMPTS")

    # -- identity: passwords and client addresses --------------------------------------
    # argon2id cost; the defaults are argon2-cffi's (RFC 9106's low-memory profile).
    argon2_time_cost: int = Field(3, ge=1, le=20, validation_alias="GATEWAY_ARGON2_TIME_COST")
    argon2_memory_kib: int = Field(65536, ge=8, le=1048576,
                                   validation_alias="GATEWAY_ARGON2_MEMORY_KIB")
    argon2_parallelism: int = Field(4, ge=1, le=16,
                                    validation_alias="GATEWAY_ARGON2_PARALLELISM")
    # Addresses or networks of proxies whose X-Forwarded-For is believed.
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = Field(
        (), validation_alias="GATEWAY_TRUSTED_PROXIES")

    @field_validator("services", mode="before")
    @classmethod
    def _split_services(cls, value: object) -> object:
        # A comma-separated list reads better in an env file than JSON.
        if isinstance(value, str):
            return tuple(name.strip() for name in value.split(",") if name.strip())
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: object) -> object:
        if isinstance(value, str):
            value = tuple(part.strip() for part in value.split(",") if part.strip())
        for item in value or ():
            ipaddress.ip_network(str(item), strict=False)  # ValueError names the bad one
        return value

    @field_validator("jwt_keys", mode="before")
    @classmethod
    def _parse_keys(cls, value: object) -> object:
        if isinstance(value, str):
            if not value.strip():
                return {}
            try:
                value = json.loads(value)
            except ValueError:
                raise ValueError("must be a JSON object of key id -> secret") from None
        if not isinstance(value, dict):
            raise ValueError("must be a JSON object of key id -> secret")
        for kid, secret in value.items():
            if not re.match(_KID_PATTERN, str(kid)):
                raise ValueError("key ids are 1-64 characters of A-Z a-z 0-9 . _ -")
            raw = secret.get_secret_value() if isinstance(secret, SecretStr) else str(secret)
            if len(raw.encode()) < MIN_SECRET_BYTES:
                # The message names the key id only, never the secret.
                raise ValueError(f"key {kid!r} is shorter than {MIN_SECRET_BYTES} bytes")
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

    @model_validator(mode="after")
    def _identity_secrets(self) -> GatewaySettings:
        if self.jwt_keys and self.jwt_active_kid not in self.jwt_keys:
            raise ValueError("GATEWAY_JWT_ACTIVE_KID must name one of GATEWAY_JWT_KEYS")
        if self.jwt_active_kid and not self.jwt_keys:
            raise ValueError("GATEWAY_JWT_ACTIVE_KID is set but GATEWAY_JWT_KEYS is empty")
        if self.otp_pepper is not None and (
                len(self.otp_pepper.get_secret_value().encode()) < MIN_SECRET_BYTES):
            raise ValueError(f"GATEWAY_OTP_PEPPER is shorter than {MIN_SECRET_BYTES} bytes")
        if self.environment == "production":
            if not self.jwt_keys:
                raise ValueError("GATEWAY_JWT_KEYS and GATEWAY_JWT_ACTIVE_KID are required "
                                 "when ENVIRONMENT=production")
            if self.otp_pepper is None:
                raise ValueError("GATEWAY_OTP_PEPPER is required when ENVIRONMENT=production")
            if self.otp_channel == "log":
                raise ValueError("GATEWAY_OTP_CHANNEL=log writes codes to the log; it is "
                                 "refused when ENVIRONMENT=production")
        return self

    @property
    def resolved_database_url(self) -> str:
        """``GATEWAY_DATABASE_URL``, or a SQLite file ``gateway.db`` under ``DATA_DIR``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'gateway.db').as_posix()}"

    @property
    def resolved_otp_channel(self) -> str:
        """``log`` in development unless set; ``notify`` in production."""
        if self.otp_channel is not None:
            return self.otp_channel
        return "notify" if self.environment == "production" else "log"

    @property
    def amqp_url(self) -> str:
        """The broker URL as aiormq reads it: the heartbeat rides in the query string."""
        return str(URL(self.amqp_uri).update_query(heartbeat=str(self.heartbeat)))


@lru_cache(maxsize=1)
def get_settings() -> GatewaySettings:
    """The process's settings, read from the environment on first use."""
    return GatewaySettings()
