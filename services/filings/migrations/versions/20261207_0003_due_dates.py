"""The society roster (from the registry's events) and the due-date reminders sent.

Revision ID: filings_0003
Revises: filings_0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "filings_0003"
down_revision = "filings_0002"
branch_labels = None
depends_on = None

_tz = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "society_roster",
        sa.Column("society_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("registration_number", sa.String(length=64), nullable=False),
        sa.Column("registration_date", sa.Date(), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=60), nullable=False),
        sa.Column("district", sa.String(length=100), nullable=True),
        sa.Column("office_chain", sa.JSON(), nullable=False),
        sa.Column("enrolled_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("society_id", name=op.f("pk_society_roster")),
    )
    op.create_index("ix_society_roster_place", "society_roster",
                    ["state", "district", "type"])
    op.create_table(
        "due_reminder",
        sa.Column("form_code", sa.String(length=40), nullable=False),
        sa.Column("society_id", sa.String(length=64), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("sent_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("form_code", "society_id", "period_end", "kind",
                                name=op.f("pk_due_reminder")),
    )


def downgrade() -> None:
    op.drop_table("due_reminder")
    op.drop_index("ix_society_roster_place", table_name="society_roster")
    op.drop_table("society_roster")
