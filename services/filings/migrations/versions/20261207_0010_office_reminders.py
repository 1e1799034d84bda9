"""Reminders to offices for their own returns: the registry's offices as last read, and
the reminders sent.

Revision ID: filings_0010
Revises: filings_0009
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "filings_0010"
down_revision = "filings_0009"
branch_labels = None
depends_on = None

_tz = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "office_roster",
        sa.Column("office_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("state", sa.String(60), nullable=True),
        sa.Column("district", sa.String(100), nullable=True),
        sa.Column("read_at", _tz, nullable=False),
    )
    op.create_table(
        "office_due_reminder",
        sa.Column("form_code", sa.String(40), primary_key=True),
        sa.Column("office_id", sa.String(64), primary_key=True),
        sa.Column("period_end", sa.Date(), primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("sent_at", _tz, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("office_due_reminder")
    op.drop_table("office_roster")
