"""Appeals and court cases: the order appealed or the court's case number on the case,
hearings with their dates, orders as documents.

Revision ID: grievance_0004
Revises: grievance_0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "grievance_0004"
down_revision = "grievance_0003"
branch_labels = None
depends_on = None

_tz = sa.DateTime(timezone=True)
_serial = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column("grievance_case", sa.Column("reference", sa.String(length=100),
                                              nullable=True))
    op.add_column("grievance_case", sa.Column("court", sa.String(length=200), nullable=True))
    op.add_column("grievance_case", sa.Column("order_date", sa.Date(), nullable=True))
    op.create_index("ix_grievance_case_reference", "grievance_case", ["reference"])
    op.create_table(
        "grievance_hearing",
        sa.Column("id", _serial, autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("hearing_at", _tz, nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("purpose", sa.String(length=300), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grievance_hearing")),
    )
    op.create_index("ix_grievance_hearing_case", "grievance_hearing",
                    ["case_id", "hearing_at"])
    op.create_table(
        "grievance_order",
        sa.Column("id", _serial, autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("order_date", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=True),
        sa.Column("final", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grievance_order")),
    )
    op.create_index("ix_grievance_order_case", "grievance_order", ["case_id", "id"])


def downgrade() -> None:
    op.drop_table("grievance_order")
    op.drop_table("grievance_hearing")
    op.drop_index("ix_grievance_case_reference", "grievance_case")
    op.drop_column("grievance_case", "order_date")
    op.drop_column("grievance_case", "court")
    op.drop_column("grievance_case", "reference")
