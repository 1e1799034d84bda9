"""A society's good standing as last published, so it is announced when it changes.

Revision ID: filings_0005
Revises: filings_0004
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "filings_0005"
down_revision = "filings_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("society_roster") as batch:
        batch.add_column(sa.Column("good_standing", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("standing_basis", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("society_roster") as batch:
        batch.drop_column("standing_basis")
        batch.drop_column("good_standing")
