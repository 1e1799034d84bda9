"""A society's good standing as the filings service announces it.

Revision ID: registry_0006
Revises: registry_0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "registry_0006"
down_revision = "registry_0005"
branch_labels = None
depends_on = None

COLUMNS = (("good_standing", sa.Boolean()), ("standing_reasons", sa.JSON()),
           ("standing_as_on", sa.Date()), ("standing_changed_at", sa.DateTime(timezone=True)))


def upgrade() -> None:
    for name, kind in COLUMNS:
        op.add_column("society", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("society") as batch:
        for name, _kind in reversed(COLUMNS):
            batch.drop_column(name)
