"""SLA rules published by offices (versions per office and category), and the SLA each
case was opened under.

Revision ID: grievance_0006
Revises: grievance_0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "grievance_0006"
down_revision = "grievance_0005"
branch_labels = None
depends_on = None

_tz = sa.DateTime(timezone=True)
_serial = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column("grievance_case", sa.Column("sla", sa.JSON(), nullable=True))
    op.create_table(
        "grievance_sla_rule",
        sa.Column("id", _serial, autoincrement=True, nullable=False),
        sa.Column("office_id", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("level_days", sa.JSON(), nullable=False),
        sa.Column("overall_days", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("published_by", sa.String(length=64), nullable=False),
        sa.Column("published_role", sa.String(length=32), nullable=False),
        sa.Column("published_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grievance_sla_rule")),
        sa.UniqueConstraint("office_id", "category", "version",
                            name=op.f("uq_grievance_sla_rule_office_id_category_version")),
    )


def downgrade() -> None:
    op.drop_table("grievance_sla_rule")
    with op.batch_alter_table("grievance_case") as batch:
        batch.drop_column("sla")
