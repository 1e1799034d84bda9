"""Versions of the kinds of case an administrator publishes (the shipped modules are
the first versions).

Revision ID: grievance_0008
Revises: grievance_0007
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "grievance_0008"
down_revision = "grievance_0007"
branch_labels = None
depends_on = None

_tz = sa.DateTime(timezone=True)
_serial = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "grievance_kind_version",
        sa.Column("id", _serial, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("published_by", sa.String(length=64), nullable=False),
        sa.Column("published_role", sa.String(length=32), nullable=False),
        sa.Column("published_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grievance_kind_version")),
        sa.UniqueConstraint("kind", "version",
                            name=op.f("uq_grievance_kind_version_kind_version")),
    )


def downgrade() -> None:
    op.drop_table("grievance_kind_version")
