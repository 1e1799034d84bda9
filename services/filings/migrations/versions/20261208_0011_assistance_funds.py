"""What follows a sanction of financial assistance: releases of the funds, the society's
utilisation certificates and a loan's repayments (``assistance_funds_entry``), and a
loan's repayment schedule as sanctioned.

Revision ID: filings_0011
Revises: filings_0010
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "filings_0011"
down_revision = "filings_0010"
branch_labels = None
depends_on = None

_tz = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("assistance_application",
                  sa.Column("repayment_schedule", sa.JSON(), nullable=True))
    op.create_table(
        "assistance_funds_entry",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.Column("society_id", sa.String(length=64), nullable=False),
        sa.Column("entry", sa.String(length=12), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("amount_paise", sa.BigInteger(), nullable=False),
        sa.Column("interest_paise", sa.BigInteger(), server_default=sa.text("0"),
                  nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=True),
        sa.Column("document_id", sa.String(length=64), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", _tz, nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["assistance_application.id"],
                                name=op.f("fk_assistance_funds_entry_application_id_"
                                          "assistance_application")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistance_funds_entry")),
    )
    op.create_index("ix_assistance_funds_application", "assistance_funds_entry",
                    ["application_id", "entry", "on_date"])
    op.create_index("ix_assistance_funds_society", "assistance_funds_entry",
                    ["society_id"])


def downgrade() -> None:
    op.drop_index("ix_assistance_funds_society", table_name="assistance_funds_entry")
    op.drop_index("ix_assistance_funds_application", table_name="assistance_funds_entry")
    op.drop_table("assistance_funds_entry")
    op.drop_column("assistance_application", "repayment_schedule")
