"""The board of a society as the declared results of its elections made it.

Revision ID: registry_0004
Revises: registry_0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "registry_0004"
down_revision = "registry_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "society_board",
        sa.Column("society_id", sa.String(36), nullable=False),
        sa.Column("election_id", sa.String(36), nullable=False),
        sa.Column("contest", sa.String(16), nullable=False),
        sa.Column("election_number", sa.String(32), nullable=False),
        sa.Column("members", sa.JSON, nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["society_id"], ["society.id"],
                                name="fk_society_board_society_id_society"),
        sa.PrimaryKeyConstraint("society_id", "election_id", "contest",
                                name="pk_society_board"),
    )
    op.create_index("ix_society_board_declared", "society_board",
                    ["society_id", "contest", "declared_at"])


def downgrade() -> None:
    op.drop_index("ix_society_board_declared", table_name="society_board")
    op.drop_table("society_board")
