"""A download's recorded scope as text: a role held with several scopes acts with all of
them (gateway/access.py, ``scopes_of_role``), which can run past 100 characters.

Revision ID: documents_0004
Revises: documents_0003
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

revision = "documents_0004"
down_revision = "documents_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document_download") as batch:
        batch.alter_column("actor_scope", existing_type=sa.String(100), type_=sa.Text(),
                           existing_nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("document_download") as batch:
        batch.alter_column("actor_scope", existing_type=sa.Text(), type_=sa.String(100),
                           existing_nullable=True)
