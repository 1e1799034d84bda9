"""The office bearers' meeting as the RO records it (rule 19N(1)-(2)): when and where,
the elected directors present, who chaired it, and the votes per candidate of a
contested post; Form 19N is printed from it.

Revision ID: elections_0008
Revises: elections_0007
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "elections_0008"
down_revision = "elections_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ob_meeting",
        sa.Column("election_id", sa.String(36), nullable=False),
        sa.Column("meeting_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("venue", sa.Text(), nullable=False),
        sa.Column("chaired_by_ro", sa.Boolean(), nullable=False),
        sa.Column("chair_name", sa.String(200), nullable=False),
        sa.Column("directors_present", sa.JSON(), nullable=False),
        sa.Column("votes", sa.JSON(), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["election_id"], ["election.id"],
                                name=op.f("fk_ob_meeting_election_id_election")),
        sa.PrimaryKeyConstraint("election_id", name=op.f("pk_ob_meeting")),
    )


def downgrade() -> None:
    op.drop_table("ob_meeting")
