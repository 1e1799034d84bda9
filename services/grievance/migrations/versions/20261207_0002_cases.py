"""Cases of every kind and their history.

Revision ID: grievance_0002
Revises: grievance_0001
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "grievance_0002"
down_revision = "grievance_0001"
branch_labels = None
depends_on = None

_tz = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "grievance_case",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("kind_version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("state_since", _tz, nullable=False),
        sa.Column("due_at", _tz, nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("society_id", sa.String(length=64), nullable=True),
        sa.Column("office_id", sa.String(length=64), nullable=True),
        sa.Column("office_ids", sa.JSON(), nullable=False),
        sa.Column("desk", sa.String(length=32), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("against_type", sa.String(length=32), nullable=True),
        sa.Column("against_name", sa.String(length=300), nullable=True),
        sa.Column("opened_by", sa.String(length=64), nullable=False),
        sa.Column("opened_by_role", sa.String(length=32), nullable=False),
        sa.Column("complainant_type", sa.String(length=32), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("parties", sa.JSON(), nullable=False),
        sa.Column("assignee", sa.String(length=64), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("feedback", sa.Text(), nullable=True),
        sa.Column("opened_at", _tz, nullable=False),
        sa.Column("updated_at", _tz, nullable=False),
        sa.Column("closed_at", _tz, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grievance_case")),
        sa.UniqueConstraint("number", name=op.f("uq_grievance_case_number")),
    )
    op.create_index("ix_grievance_case_due", "grievance_case", ["due_at"])
    op.create_index("ix_grievance_case_office", "grievance_case",
                    ["office_id", "kind", "state"])
    op.create_index("ix_grievance_case_opener", "grievance_case", ["opened_by"])
    op.create_table(
        "grievance_case_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("action", sa.String(length=48), nullable=False),
        sa.Column("from_state", sa.String(length=32), nullable=True),
        sa.Column("to_state", sa.String(length=32), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.Column("actor_role", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("document_ids", sa.JSON(), nullable=False),
        sa.Column("at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grievance_case_event")),
    )
    op.create_index("ix_grievance_case_event_case", "grievance_case_event",
                    ["case_id", "id"])


def downgrade() -> None:
    op.drop_table("grievance_case_event")
    op.drop_table("grievance_case")
