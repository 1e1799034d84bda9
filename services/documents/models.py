"""Tables of the documents service's own database: the platform tables, and documents,
their versions (a new version never overwrites an old one), the record of every
restricted download, and the certificates the service issued."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase

from services.common.schema import make_metadata, platform_tables

metadata = make_metadata()
platform = platform_tables(metadata)

_serial = BigInteger().with_variant(Integer(), "sqlite")
_tz = DateTime(timezone=True)


class Base(DeclarativeBase):
    metadata = metadata


document = Table(
    "document", metadata,
    Column("id", String(32), primary_key=True),
    Column("owner", String(80), nullable=False),
    # The society the document concerns (the owner's, or the one an election, case or
    # filing belongs to): what office-scoped staff and society grants are checked against.
    Column("society_id", String(64)),
    Column("kind", String(40), nullable=False),
    Column("category", String(100)),
    Column("title", String(300), nullable=False),
    Column("access_level", String(32), nullable=False),
    Column("current_version", Integer, nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("created_at", _tz, nullable=False),
    Index("ix_document_owner_created", "owner", "created_at", "id"),
    Index("ix_document_society_created", "society_id", "created_at", "id"),
    Index("ix_document_kind_access", "kind", "access_level", "created_at"),
)

document_version = Table(
    "document_version", metadata,
    Column("id", _serial, primary_key=True, autoincrement=True),
    Column("document_id", String(32), ForeignKey("document.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("content_type", String(120), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("object_key", String(200), nullable=False, unique=True),
    # The upload slot it came through: a slot is used once.
    Column("slot_id", String(32), nullable=False, unique=True),
    Column("uploaded_by", String(100), nullable=False),
    Column("uploaded_role", String(40), nullable=False),
    Column("uploaded_at", _tz, nullable=False),
    UniqueConstraint("document_id", "version"),
    Index("ix_document_version_sha256", "sha256"),
)

document_download = Table(
    "document_download", metadata,
    Column("id", _serial, primary_key=True, autoincrement=True),
    Column("document_id", String(32), ForeignKey("document.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("actor_id", String(100), nullable=False),
    Column("actor_role", String(40), nullable=False),
    Column("actor_scope", Text),
    Column("request_id", String(64), nullable=False),
    Column("downloaded_at", _tz, nullable=False),
    Index("ix_document_download_document", "document_id", "id"),
)

certificate = Table(
    "certificate", metadata,
    Column("verification_code", String(16), primary_key=True),
    Column("document_id", String(32), ForeignKey("document.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("certificate_kind", String(20), nullable=False),
    Column("society_id", String(64), nullable=False),
    Column("subject", JSON, nullable=False),
    Column("issued_at", _tz, nullable=False),
    Index("ix_certificate_sha256", "sha256"),
    Index("ix_certificate_society", "society_id"),
)

# The signed heads of every service's audit chain (services/common/audit_anchor.py):
# kept here, outside each service's own database, so a removed tail is told by verify.
audit_anchor = Table(
    "audit_anchor", metadata,
    Column("id", _serial, primary_key=True, autoincrement=True),
    Column("service", String(40), nullable=False),
    Column("last_id", BigInteger, nullable=False),
    Column("last_hash", String(64), nullable=False),
    Column("entries", BigInteger, nullable=False),
    Column("anchored_at", _tz, nullable=False),
    Column("signature", String(64), nullable=False),
    Column("key_id", String(32), nullable=False),
    Column("event_id", String(64), nullable=False),
    Column("received_at", _tz, nullable=False),
    UniqueConstraint("service", "last_id", "last_hash"),
    Index("ix_audit_anchor_service_head", "service", "last_id"),
)
