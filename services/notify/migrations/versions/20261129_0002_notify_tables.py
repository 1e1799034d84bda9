"""Templates, mailbox messages, mass communication jobs and delivery records.

Revision ID: notify_0002
Revises: notify_0001
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

from services.common.schema import Serial

revision = "notify_0002"
down_revision = "notify_0001"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "message_template",
        sa.Column("id", Serial, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("jurisdiction", sa.String(64), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("sms", sa.String(1000), nullable=False),
        sa.Column("variables", sa.JSON, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.UniqueConstraint("key", "jurisdiction", "language", "version"),
    )
    op.create_table(
        "mailbox_message",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("mailbox_kind", sa.String(16), nullable=False),
        sa.Column("mailbox_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("links", sa.JSON, nullable=False),
        sa.Column("source_key", sa.String(200), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("read_at", _TS, nullable=True),
        sa.Column("archived_at", _TS, nullable=True),
        sa.UniqueConstraint("mailbox_kind", "mailbox_id", "source_key"),
    )
    op.create_index("ix_mailbox_message_box", "mailbox_message",
                    ["mailbox_kind", "mailbox_id", "created_at", "id"])
    op.create_table(
        "mass_job",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("society_id", sa.String(64), nullable=False),
        sa.Column("template_key", sa.String(64), nullable=False),
        sa.Column("jurisdiction", sa.String(64), nullable=False),
        sa.Column("variables", sa.JSON, nullable=False),
        sa.Column("channels", sa.JSON, nullable=False),
        sa.Column("filters", sa.JSON, nullable=False),
        sa.Column("as_on", sa.String(10), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("cursor", sa.String(500), nullable=True),
        sa.Column("recipients", sa.Integer, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("materialised_at", _TS, nullable=True),
        sa.Column("completed_at", _TS, nullable=True),
    )
    op.create_index("ix_mass_job_society", "mass_job", ["society_id", "created_at"])
    op.create_index("ix_mass_job_status", "mass_job", ["status"])
    op.create_table(
        "delivery",
        sa.Column("id", Serial, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(200), nullable=False, unique=True),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("origin_id", sa.String(64), nullable=False),
        sa.Column("job_id", sa.String(36), nullable=True),
        sa.Column("recipient_id", sa.String(100), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("destination", sa.String(254), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("subject", sa.String(300), nullable=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", _TS, nullable=False),
        sa.Column("provider_id", sa.String(100), nullable=True),
        sa.Column("error", sa.String(500), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("sent_at", _TS, nullable=True),
        sa.Column("updated_at", _TS, nullable=False),
    )
    op.create_index("ix_delivery_due", "delivery", ["channel", "status", "id"])
    op.create_index("ix_delivery_job", "delivery", ["job_id", "status", "id"])
    op.create_index("ix_delivery_origin", "delivery", ["origin", "origin_id"])


def downgrade() -> None:
    for table in ("delivery", "mass_job", "mailbox_message", "message_template"):
        op.drop_table(table)
