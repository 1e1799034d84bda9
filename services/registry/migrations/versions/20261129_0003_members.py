"""The member register: member versions and staged CSV imports.

Revision ID: registry_0003
Revises: registry_0002
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "registry_0003"
down_revision = "registry_0002"
branch_labels = None
depends_on = None

_CURRENT = sa.text("valid_to IS NULL")


def upgrade() -> None:
    op.create_table(
        "member",
        sa.Column("society_id", sa.String(36), sa.ForeignKey("society.id"), nullable=False),
        sa.Column("membership_number", sa.String(32), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_to", sa.Date, nullable=True),
        sa.Column("member_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("admission_date", sa.Date, nullable=False),
        sa.Column("cessation_date", sa.Date, nullable=True),
        sa.Column("cessation_reason", sa.String(200), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("phone", sa.String(16), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("shares", sa.Integer, nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("import_job_id", sa.String(36), nullable=True),
        sa.PrimaryKeyConstraint("society_id", "membership_number", "valid_from",
                                name="pk_member"),
    )
    op.create_index("uq_member_current", "member", ["society_id", "membership_number"],
                    unique=True, postgresql_where=_CURRENT, sqlite_where=_CURRENT)
    op.create_index("ix_member_member_id", "member", ["member_id"])

    op.create_table(
        "member_import_job",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("society_id", sa.String(36), sa.ForeignKey("society.id"), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("rows_received", sa.Integer, nullable=False),
        sa.Column("bad_row_count", sa.Integer, nullable=False),
        sa.Column("imported", sa.Integer, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "member_import_row",
        sa.Column("job_id", sa.String(36), nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("society_key", sa.String(64), nullable=False),
        sa.Column("membership_number", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("admission_date", sa.Date, nullable=False),
        sa.Column("phone", sa.String(16), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("shares", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("job_id", "line", name="pk_member_import_row"),
    )
    op.create_table(
        "member_import_error",
        sa.Column("job_id", sa.String(36), nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(300), nullable=False),
        sa.PrimaryKeyConstraint("job_id", "line", "field", name="pk_member_import_error"),
    )


def downgrade() -> None:
    op.drop_table("member_import_error")
    op.drop_table("member_import_row")
    op.drop_table("member_import_job")
    op.drop_index("ix_member_member_id", "member")
    op.drop_index("uq_member_current", "member")
    op.drop_table("member")
