"""The scans run once a day: the day each was claimed (the audit year falling pending
announced on its day).

Revision ID: filings_0009
Revises: filings_0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "filings_0009"
down_revision = "filings_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "daily_scan",
        sa.Column("scan", sa.String(40), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("daily_scan")
