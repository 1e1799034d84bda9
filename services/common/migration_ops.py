"""Migration steps every service's first migration runs to create the platform tables.

Frozen once released: a later change to these tables is a new function
(``..._v2``) called by a new migration in every service, never an edit here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from services.common.schema import audit_append_only_ddl

_serial = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_tz = sa.DateTime(timezone=True)


def create_platform_tables_v1() -> None:
    op.create_table(
        "outbox_message",
        sa.Column("id", _serial, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("headers", sa.JSON, nullable=False),
        sa.Column("created_at", _tz, nullable=False),
        sa.Column("sent_at", _tz, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_message"),
        sa.UniqueConstraint("event_id", name="uq_outbox_message_event_id"),
    )
    op.create_index("ix_outbox_message_pending", "outbox_message", ["sent_at", "id"])
    op.create_table(
        "processed_message",
        sa.Column("id", _serial, primary_key=True, autoincrement=True),
        sa.Column("handler", sa.String(200), nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("processed_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_processed_message"),
        sa.UniqueConstraint("handler", "event_id", name="uq_processed_message_handler_event_id"),
    )
    op.create_table(
        "idempotency_record",
        sa.Column("id", _serial, primary_key=True, autoincrement=True),
        sa.Column("method", sa.String(100), nullable=False),
        sa.Column("actor_id", sa.String(100), nullable=False),
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("response", sa.JSON, nullable=True),
        sa.Column("created_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_idempotency_record"),
        sa.UniqueConstraint("method", "actor_id", "key",
                            name="uq_idempotency_record_method_actor_id_key"),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", _serial, primary_key=True, autoincrement=True),
        sa.Column("at", _tz, nullable=False),
        sa.Column("actor_id", sa.String(100), nullable=False),
        sa.Column("actor_role", sa.String(50), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("entity_type", sa.String(100), nullable=False),
        sa.Column("entity_id", sa.String(100), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_entry"),
        sa.UniqueConstraint("hash", name="uq_audit_entry_hash"),
    )
    op.create_index("ix_audit_entry_entity", "audit_entry", ["entity_type", "entity_id"])
    _make_audit_append_only()


def _make_audit_append_only() -> None:
    for statement in audit_append_only_ddl(op.get_bind().dialect.name):
        op.execute(statement)
