"""Platform tables: outbox, processed events, idempotency records, audit chain.

Revision ID: registry_0001
Revises:
Create Date: 2026-11-29
"""

from services.common.migration_ops import create_platform_tables_v1

revision = "registry_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_platform_tables_v1()


def downgrade() -> None:
    raise NotImplementedError("the audit chain is never dropped")
