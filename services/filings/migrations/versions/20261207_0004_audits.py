"""Audits of societies by financial year (their status counts as seed 002's tables do).

Revision ID: filings_0004
Revises: filings_0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "filings_0004"
down_revision = "filings_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_record",
        sa.Column("society_id", sa.String(length=64), nullable=False),
        sa.Column("financial_year", sa.String(length=7), nullable=False),
        sa.Column("audited_on", sa.Date(), nullable=False),
        sa.Column("auditor_name", sa.String(length=200), nullable=False),
        sa.Column("report_document_id", sa.String(length=64), nullable=True),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("society_id", "financial_year", name=op.f("pk_audit_record")),
    )


def downgrade() -> None:
    op.drop_table("audit_record")
