"""Form definitions, filings and their submissions; the definitions shipped with the
platform (services/filings/forms/definitions) stored as version 1 of each form.

Revision ID: filings_0002
Revises: filings_0001
Create Date: 2026-12-07
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "filings_0002"
down_revision = "filings_0001"
branch_labels = None
depends_on = None

_tz = sa.DateTime(timezone=True)


def upgrade() -> None:
    definition = op.create_table(
        "form_definition",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("jurisdiction", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("filer", sa.String(length=16), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("code", "jurisdiction", "version",
                                name=op.f("pk_form_definition")),
    )
    op.create_table(
        "filing",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("form_code", sa.String(length=40), nullable=False),
        sa.Column("jurisdiction", sa.String(length=60), nullable=False),
        sa.Column("form_version", sa.Integer(), nullable=False),
        sa.Column("filer_kind", sa.String(length=16), nullable=False),
        sa.Column("filer_id", sa.String(length=64), nullable=False),
        sa.Column("filer_name", sa.String(length=300), nullable=False),
        sa.Column("state", sa.String(length=60), nullable=True),
        sa.Column("district", sa.String(length=100), nullable=True),
        sa.Column("society_type", sa.String(length=64), nullable=True),
        sa.Column("office_chain", sa.JSON(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("submissions", sa.Integer(), nullable=False),
        sa.Column("ack_number", sa.String(length=40), nullable=True),
        sa.Column("submitted_at", _tz, nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("days_late", sa.Integer(), nullable=False),
        sa.Column("remarks", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", _tz, nullable=False),
        sa.Column("updated_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_filing")),
        sa.UniqueConstraint("form_code", "filer_id", "period_end", name="uq_filing_period"),
    )
    op.create_index("ix_filing_filer", "filing", ["filer_id", "form_code"])
    op.create_index("ix_filing_status", "filing", ["status"])
    op.create_table(
        "filing_submission",
        sa.Column("filing_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("ack_number", sa.String(length=40), nullable=False),
        sa.Column("submitted_at", _tz, nullable=False),
        sa.Column("submitted_by", sa.String(length=64), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", _tz, nullable=True),
        sa.ForeignKeyConstraint(["filing_id"], ["filing.id"],
                                name=op.f("fk_filing_submission_filing_id_filing")),
        sa.PrimaryKeyConstraint("filing_id", "number", name=op.f("pk_filing_submission")),
        sa.UniqueConstraint("ack_number", name=op.f("uq_filing_submission_ack_number")),
    )
    from services.filings.forms.catalogue import shipped

    now = datetime.now(UTC)
    op.bulk_insert(definition, [
        {"code": raw["code"], "jurisdiction": raw["jurisdiction"], "version": raw["version"],
         "filer": raw["filer"], "title": raw["title"], "definition": raw,
         "created_by": "platform", "created_at": now} for raw in shipped()])


def downgrade() -> None:
    op.drop_table("filing_submission")
    op.drop_index("ix_filing_status", table_name="filing")
    op.drop_index("ix_filing_filer", table_name="filing")
    op.drop_table("filing")
    op.drop_table("form_definition")
