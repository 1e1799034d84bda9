"""Applications for financial assistance (seed 004) with their eligibility, the District
Level Committee's recommendation, forwarding and the Registrar's sanction.

Revision ID: filings_0006
Revises: filings_0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "filings_0006"
down_revision = "filings_0005"
branch_labels = None
depends_on = None

_tz = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "assistance_application",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("society_id", sa.String(length=64), nullable=False),
        sa.Column("society_name", sa.String(length=300), nullable=False),
        sa.Column("state", sa.String(length=60), nullable=False),
        sa.Column("district", sa.String(length=100), nullable=True),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("office_chain", sa.JSON(), nullable=False),
        sa.Column("district_office_id", sa.String(length=64), nullable=True),
        sa.Column("state_office_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("financial_year", sa.String(length=7), nullable=False),
        sa.Column("amount_asked_paise", sa.BigInteger(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("eligibility", sa.JSON(), nullable=False),
        sa.Column("eligible", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("submitted_at", _tz, nullable=False),
        sa.Column("submitted_by", sa.String(length=64), nullable=False),
        sa.Column("amount_recommended_paise", sa.BigInteger(), nullable=True),
        sa.Column("amount_sanctioned_paise", sa.BigInteger(), nullable=True),
        sa.Column("order_reference", sa.String(length=80), nullable=True),
        sa.Column("order_date", sa.Date(), nullable=True),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("updated_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistance_application")),
        sa.UniqueConstraint("society_id", "kind", "financial_year",
                            name="uq_assistance_year"),
    )
    op.create_index("ix_assistance_state_year", "assistance_application",
                    ["state", "financial_year", "status"])


def downgrade() -> None:
    op.drop_index("ix_assistance_state_year", table_name="assistance_application")
    op.drop_table("assistance_application")
