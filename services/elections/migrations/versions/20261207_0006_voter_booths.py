"""Voters assigned to polling booths: each voter's booth (the booth's number in the
order; NULL: not assigned), and the RO's assignment as it stands (the rule, by whom,
when, how many).

Revision ID: elections_0006
Revises: elections_0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "elections_0006"
down_revision = "elections_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("voter", sa.Column("booth", sa.Integer(), nullable=True))
    op.create_table(
        "booth_assignment",
        sa.Column("election_id", sa.String(36), sa.ForeignKey("election.id"),
                  primary_key=True),
        sa.Column("rule", sa.String(32), nullable=False),
        sa.Column("assigned", sa.Integer(), nullable=False),
        sa.Column("from_file", sa.Integer(), nullable=False),
        sa.Column("assigned_by", sa.String(64), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("booth_assignment")
    op.drop_column("voter", "booth")
