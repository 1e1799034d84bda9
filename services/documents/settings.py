"""Settings of the documents service beyond the chassis' own: where the bytes live, the
HTTP data plane that carries them, the key that signs its tokens, and the limits.

Read from ``DOCUMENTS_*`` variables once per process (``documents_settings()``)."""

from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.public_url import ensure_public

MIN_KEY_BYTES = 32
KEY_FILE = "documents-signing.key"


class DocumentsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DOCUMENTS_", extra="ignore",
                                      populate_by_name=True, hide_input_in_errors=True)

    environment: Literal["development", "production"] = Field("development",
                                                             alias="ENVIRONMENT")
    data_dir: Path = Field(Path("data"), alias="DATA_DIR")
    # filesystem: files under files_dir (one machine); s3: MinIO or any S3.
    store: Literal["filesystem", "s3"] = "filesystem"
    files_dir: Path | None = None
    s3_endpoint: str = "127.0.0.1:9000"
    s3_access_key: SecretStr = SecretStr("")
    s3_secret_key: SecretStr = SecretStr("")
    s3_bucket: str = Field("documents", min_length=3, max_length=63)
    s3_secure: bool = False
    s3_region: str | None = None
    # Multipart part size for uploads of unknown length: memory per upload is about one part.
    s3_part_size: int = Field(8 * 1024 * 1024, ge=5 * 1024 * 1024, le=512 * 1024 * 1024)
    # The data plane: HTTP for bytes, beside the nameko container.
    data_host: str = "127.0.0.1"
    data_port: int = Field(9116, ge=1, le=65535)
    # Where the gateway reaches this replica's data plane (default from host and port).
    data_url: str = ""
    # Signs upload and download tokens; development without one: a key kept in DATA_DIR.
    signing_key: SecretStr | None = None
    upload_slot_seconds: int = Field(900, ge=10, le=86400)
    download_ticket_seconds: int = Field(60, ge=5, le=3600)
    # The public verify page a certificate's QR code points to (code appended).
    verify_base_url: str = "http://127.0.0.1:8000/v1/documents/verify/"
    # A command that reads a file on stdin and exits 0 when it is clean (e.g. clamdscan -).
    scan_command: str = ""
    # Seconds documents waits for registry's answer about a society's offices.
    registry_timeout: float = Field(3.0, gt=0, le=30)
    # Seconds documents waits for each page of a published voter list from elections,
    # and at most for the child process that prints the list as a PDF.
    elections_timeout: float = Field(30.0, gt=0, le=300)
    list_render_seconds: float = Field(600.0, gt=0, le=3600)
    # Seconds documents waits for a return (and its form) from filings, to print it.
    filings_timeout: float = Field(10.0, gt=0, le=120)

    @model_validator(mode="after")
    def _production_needs_a_key(self) -> DocumentsSettings:
        if self.signing_key is not None and len(
                self.signing_key.get_secret_value().encode()) < MIN_KEY_BYTES:
            raise ValueError(f"DOCUMENTS_SIGNING_KEY is shorter than {MIN_KEY_BYTES} bytes")
        if self.environment == "production" and self.signing_key is None:
            raise ValueError("DOCUMENTS_SIGNING_KEY is required when ENVIRONMENT=production")
        if self.environment == "production":
            ensure_public("DOCUMENTS_VERIFY_BASE_URL", self.verify_base_url)
        return self

    @property
    def resolved_files_dir(self) -> Path:
        return self.files_dir or self.data_dir / "documents"

    @property
    def resolved_data_url(self) -> str:
        return (self.data_url or f"http://{self.data_host}:{self.data_port}").rstrip("/")

    def key_bytes(self) -> bytes:
        """The signing key. In development without one, a random key is made once and kept
        in ``DATA_DIR`` so that replicas on this machine and restarts agree on it."""
        if self.signing_key is not None:
            return self.signing_key.get_secret_value().encode()
        path = self.data_dir / KEY_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "x") as handle:  # only the first process writes it
                handle.write(secrets.token_hex(32))
            path.chmod(0o600)
        except FileExistsError:
            pass
        return path.read_text().strip().encode()


@cache
def documents_settings() -> DocumentsSettings:
    return DocumentsSettings()
