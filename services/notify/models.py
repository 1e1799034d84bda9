"""Tables of the notify service's own database: the platform tables, templates, mailbox
messages, mass communication jobs and delivery records."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from services.common.schema import Serial, make_metadata, platform_tables

metadata = make_metadata()
platform = platform_tables(metadata)

# A published template version; the built-in catalogue (templates.py) is version 0.
message_template = Table(
    "message_template",
    metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("key", String(64), nullable=False),
    Column("jurisdiction", String(64), nullable=False),
    Column("language", String(8), nullable=False),
    Column("version", Integer, nullable=False),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("sms", String(1000), nullable=False),
    Column("variables", JSON, nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("key", "jurisdiction", "language", "version"),
)

# One message in one mailbox (a society's, an office's or a user's).
mailbox_message = Table(
    "mailbox_message",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("mailbox_kind", String(16), nullable=False),
    Column("mailbox_id", String(64), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("links", JSON, nullable=False),
    # What put it there (event id + rule); a redelivered event cannot post it twice.
    Column("source_key", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("read_at", DateTime(timezone=True), nullable=True),
    Column("archived_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("mailbox_kind", "mailbox_id", "source_key"),
    Index("ix_mailbox_message_box", "mailbox_kind", "mailbox_id", "created_at", "id"),
)

# A mass communication job: one message to a society's members (all or a filtered set).
mass_job = Table(
    "mass_job",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("society_id", String(64), nullable=False),
    Column("template_key", String(64), nullable=False),
    Column("jurisdiction", String(64), nullable=False),
    Column("variables", JSON, nullable=False),
    Column("channels", JSON, nullable=False),
    Column("filters", JSON, nullable=False),
    Column("as_on", String(10), nullable=True),
    # materialising -> sending -> completed
    Column("status", String(16), nullable=False),
    # The registry's cursor for the next page of members (null: first page or done).
    Column("cursor", String(500), nullable=True),
    Column("recipients", Integer, nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("materialised_at", DateTime(timezone=True), nullable=True),
    Column("completed_at", DateTime(timezone=True), nullable=True),
    Index("ix_mass_job_society", "society_id", "created_at"),
    Index("ix_mass_job_status", "status"),
)

# One message to one recipient on one channel: queued -> sent -> delivered | failed.
delivery = Table(
    "delivery",
    metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    # (event or job, recipient, channel): the same message is never queued twice; the
    # providers receive it too (SMS client reference, e-mail Message-ID).
    Column("key", String(200), nullable=False, unique=True),
    Column("origin", String(16), nullable=False),
    Column("origin_id", String(64), nullable=False),
    Column("job_id", String(36), nullable=True),
    Column("recipient_id", String(100), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("destination", String(254), nullable=False),
    Column("language", String(8), nullable=False),
    Column("subject", String(300), nullable=True),
    Column("body", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("provider_id", String(100), nullable=True),
    Column("error", String(500), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_delivery_due", "channel", "status", "id"),
    Index("ix_delivery_job", "job_id", "status", "id"),
    Index("ix_delivery_origin", "origin", "origin_id"),
)
