"""SLA versions that come into force on a date of their own (those published before were
in force at once), and their withdrawal before then (when, by whom, why).

Revision ID: grievance_0010
Revises: grievance_0009
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "grievance_0010"
down_revision = "grievance_0009"
branch_labels = None
depends_on = None

_tz = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("grievance_sla_rule") as batch:
        batch.add_column(sa.Column("in_force_at", _tz, nullable=True))
        batch.add_column(sa.Column("withdrawn_at", _tz, nullable=True))
        batch.add_column(sa.Column("withdrawn_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("withdrawn_role", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("withdrawal_reason", sa.Text(), nullable=True))
    op.execute("UPDATE grievance_sla_rule SET in_force_at = published_at")
    with op.batch_alter_table("grievance_sla_rule") as batch:
        batch.alter_column("in_force_at", existing_type=_tz, nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("grievance_sla_rule") as batch:
        for column in ("withdrawal_reason", "withdrawn_role", "withdrawn_by",
                       "withdrawn_at", "in_force_at"):
            batch.drop_column(column)
