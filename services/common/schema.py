"""The tables every service keeps beside its domain: outbox, processed events,
idempotency records and the audit chain. Each service adds them to its own
metadata (its own database); the chassis works on them through SQLAlchemy Core."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only autoincrements an INTEGER PRIMARY KEY.
Serial = BigInteger().with_variant(Integer(), "sqlite")


def make_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


@dataclass(frozen=True)
class PlatformTables:
    outbox: Table
    processed: Table
    idempotency: Table
    audit: Table


def platform_tables(metadata: MetaData) -> PlatformTables:
    """Declare the platform tables on ``metadata`` (a service's own)."""
    outbox = Table(
        "outbox_message",
        metadata,
        Column("id", Serial, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("event_type", String(100), nullable=False),
        Column("version", Integer, nullable=False),
        Column("payload", JSON, nullable=False),
        Column("headers", JSON, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("sent_at", DateTime(timezone=True), nullable=True),
        Column("attempts", Integer, nullable=False, default=0),
        Index("ix_outbox_message_pending", "sent_at", "id"),
    )
    processed = Table(
        "processed_message",
        metadata,
        Column("id", Serial, primary_key=True, autoincrement=True),
        Column("handler", String(200), nullable=False),
        Column("event_id", String(64), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False),
        UniqueConstraint("handler", "event_id"),
    )
    idempotency = Table(
        "idempotency_record",
        metadata,
        Column("id", Serial, primary_key=True, autoincrement=True),
        Column("method", String(100), nullable=False),
        Column("actor_id", String(100), nullable=False),
        Column("key", String(128), nullable=False),
        Column("request_hash", String(64), nullable=False),
        Column("response", JSON, nullable=True),
        Column("created_at", DateTime(timezone=True), nullable=False),
        UniqueConstraint("method", "actor_id", "key"),
    )
    audit = Table(
        "audit_entry",
        metadata,
        Column("id", Serial, primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("actor_id", String(100), nullable=False),
        Column("actor_role", String(50), nullable=False),
        Column("action", String(100), nullable=False),
        Column("entity_type", String(100), nullable=False),
        Column("entity_id", String(100), nullable=False),
        Column("request_id", String(64), nullable=False),
        Column("changes", JSON, nullable=False),
        Column("prev_hash", String(64), nullable=False),
        Column("hash", String(64), nullable=False, unique=True),
        Index("ix_audit_entry_entity", "entity_type", "entity_id"),
    )
    return PlatformTables(outbox=outbox, processed=processed, idempotency=idempotency,
                          audit=audit)



def audit_append_only_ddl(dialect: str) -> list[str]:
    """Statements that make ``audit_entry`` refuse UPDATE and DELETE."""
    if dialect == "postgresql":
        return [
            """CREATE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
               BEGIN RAISE EXCEPTION 'audit_entry is append-only'; END;
               $$ LANGUAGE plpgsql""",
            """CREATE TRIGGER audit_entry_append_only
               BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_entry
               FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()""",
        ]
    return [
        f"""CREATE TRIGGER audit_entry_no_{verb.lower()} BEFORE {verb} ON audit_entry
            BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END"""
        for verb in ("UPDATE", "DELETE")
    ]
