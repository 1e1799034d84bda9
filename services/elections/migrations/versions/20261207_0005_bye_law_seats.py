"""The board's seats by category under the society's bye-laws (Form 19M item (iv)),
beside the seats the order notifies (item (v)); NULL: as notified.

Revision ID: elections_0005
Revises: elections_0004
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "elections_0005"
down_revision = "elections_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("election_seat", sa.Column("bye_law_seats", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("election_seat", "bye_law_seats")
