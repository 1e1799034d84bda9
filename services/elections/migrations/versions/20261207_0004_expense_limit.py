"""The limit of a candidate's election expenditure the Authority specifies (rule 19U(3)).

Revision ID: elections_0004
Revises: elections_0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "elections_0004"
down_revision = "elections_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "expense_limit",
        sa.Column("election_id", sa.String(36), nullable=False),
        sa.Column("limit_paise", sa.BigInteger(), nullable=False),
        sa.Column("order_ref", sa.String(64), nullable=False),
        sa.Column("order_date", sa.Date(), nullable=False),
        sa.Column("set_by", sa.String(64), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["election_id"], ["election.id"],
                                name=op.f("fk_expense_limit_election_id_election")),
        sa.PrimaryKeyConstraint("election_id", name=op.f("pk_expense_limit")),
    )


def downgrade() -> None:
    op.drop_table("expense_limit")
