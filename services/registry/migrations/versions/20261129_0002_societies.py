"""Societies and what belongs to them.

Revision ID: registry_0002
Revises: registry_0001
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "registry_0002"
down_revision = "registry_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "society",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("registration_number", sa.String(64), unique=True),
        sa.Column("registration_date", sa.Date),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("society")
