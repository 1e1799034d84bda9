"""Proposals to wind a society up, from inquiries and inspections.

Revision ID: registry_0005
Revises: registry_0004
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "registry_0005"
down_revision = "registry_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "liquidation_proposal",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("society_id", sa.String(36), nullable=False),
        sa.Column("office_id", sa.String(64), nullable=False),
        sa.Column("source_case_id", sa.String(36), nullable=False),
        sa.Column("source_case_number", sa.String(40), nullable=False),
        sa.Column("source_kind", sa.String(16), nullable=False),
        sa.Column("recommended_by", sa.String(100), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("document_ids", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("liquidation_case_id", sa.String(36), nullable=True),
        sa.Column("decision_reason", sa.Text, nullable=True),
        sa.Column("decided_by", sa.String(100), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["society_id"], ["society.id"],
                                name="fk_liquidation_proposal_society_id_society"),
        sa.ForeignKeyConstraint(["liquidation_case_id"], ["liquidation_case.id"],
                                name="fk_liquidation_proposal_liquidation_case_id_liquidation_case"),
        sa.PrimaryKeyConstraint("id", name="pk_liquidation_proposal"),
        sa.UniqueConstraint("source_case_id", name="uq_liquidation_proposal_source_case_id"),
    )
    op.create_index("ix_liquidation_proposal_society_id", "liquidation_proposal",
                    ["society_id"])
    op.create_index("ix_liquidation_proposal_office_status", "liquidation_proposal",
                    ["office_id", "status"])


def downgrade() -> None:
    op.drop_table("liquidation_proposal")
