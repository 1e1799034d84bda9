"""The overall clock of a case (the SLA's days from receipt), beside its level clock.

Revision ID: grievance_0003
Revises: grievance_0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "grievance_0003"
down_revision = "grievance_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("grievance_case",
                  sa.Column("overall_due_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("grievance_case", "overall_due_at")
