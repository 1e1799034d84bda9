"""The anchored heads of every service's audit chain.

Revision ID: documents_0003
Revises: documents_0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "documents_0003"
down_revision = "documents_0002"
branch_labels = None
depends_on = None

_tz = sa.DateTime(timezone=True)
_serial = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "audit_anchor",
        sa.Column("id", _serial, autoincrement=True, nullable=False),
        sa.Column("service", sa.String(40), nullable=False),
        sa.Column("last_id", sa.BigInteger, nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.Column("entries", sa.BigInteger, nullable=False),
        sa.Column("anchored_at", _tz, nullable=False),
        sa.Column("signature", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("received_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_anchor"),
        sa.UniqueConstraint("service", "last_id", "last_hash",
                            name="uq_audit_anchor_service_last_id_last_hash"),
    )
    op.create_index("ix_audit_anchor_service_head", "audit_anchor", ["service", "last_id"])


def downgrade() -> None:
    op.drop_table("audit_anchor")
