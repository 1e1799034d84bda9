"""The offices' monthly roll-up (per office chain, kind and India's month: received,
resolved, resolved with and within their overall clock, escalated) and one row per
resolved case for the medians; filled from the stored cases a page at a time.

Revision ID: grievance_0009
Revises: grievance_0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "grievance_0009"
down_revision = "grievance_0008"
branch_labels = None
depends_on = None

_tz = sa.DateTime(timezone=True)


def _count(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=False, server_default=sa.text("0"))


def upgrade() -> None:
    op.create_table(
        "grievance_case_month",
        sa.Column("chain", sa.String(length=400), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("office", sa.String(length=64), nullable=False),
        _count("opened"), _count("resolved"), _count("resolved_with_sla"),
        _count("resolved_within_sla"), _count("escalated"),
        sa.PrimaryKeyConstraint("chain", "kind", "month",
                                name=op.f("pk_grievance_case_month")),
    )
    op.create_index("ix_grievance_case_month_month", "grievance_case_month",
                    ["month", "office"])
    op.create_table(
        "grievance_case_resolution",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("chain", sa.String(length=400), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("office", sa.String(length=64), nullable=False),
        sa.Column("opened_at", _tz, nullable=False),
        sa.Column("closed_at", _tz, nullable=False),
        sa.Column("days", sa.Float(), nullable=False),
        sa.Column("with_sla", sa.Integer(), nullable=False),
        sa.Column("within_sla", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_grievance_case_resolution")),
    )
    op.create_index("ix_grievance_case_resolution_days", "grievance_case_resolution",
                    ["month", "office", "days"], postgresql_include=["kind", "chain"])
    # Filled as the service keeps it (cases/rollup.py), a page of cases at a time.
    from services.grievance.cases import rollup

    rollup.rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_grievance_case_resolution_days", "grievance_case_resolution")
    op.drop_table("grievance_case_resolution")
    op.drop_index("ix_grievance_case_month_month", "grievance_case_month")
    op.drop_table("grievance_case_month")
