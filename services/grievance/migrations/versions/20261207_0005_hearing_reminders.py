"""Hearing reminders: the numbers to alert by SMS and when the reminder went out.

Revision ID: grievance_0005
Revises: grievance_0004
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "grievance_0005"
down_revision = "grievance_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("grievance_hearing", sa.Column("alert_phones", sa.JSON(), nullable=False,
                                                 server_default="[]"))
    op.add_column("grievance_hearing", sa.Column("reminded_at", sa.DateTime(timezone=True),
                                                 nullable=True))
    op.create_index("ix_grievance_hearing_to_remind", "grievance_hearing", ["hearing_at"],
                    postgresql_where=sa.text("reminded_at IS NULL"),
                    sqlite_where=sa.text("reminded_at IS NULL"))


def downgrade() -> None:
    op.drop_index("ix_grievance_hearing_to_remind", "grievance_hearing")
    with op.batch_alter_table("grievance_hearing") as batch:
        batch.drop_column("reminded_at")
        batch.drop_column("alert_phones")
