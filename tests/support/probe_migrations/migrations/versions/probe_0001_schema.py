"""The probe's whole schema: platform tables and the probe's own (both roles share it).

Revision ID: probe_0001
Revises:
"""

from alembic import op

from services.common.schema import audit_append_only_ddl
from tests.support.probe import metadata

revision = "probe_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    metadata.create_all(bind)
    for statement in audit_append_only_ddl(bind.dialect.name):
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("test schema: drop the database instead")
