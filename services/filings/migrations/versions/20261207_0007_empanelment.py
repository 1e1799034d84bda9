"""Auditors' empanelment (seed 001: applications, scrutiny, renewal each year), audits
allotted to empanelled auditors, and the audit reminders sent in the six months after a
financial year (seed 000).

Revision ID: filings_0007
Revises: filings_0006
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "filings_0007"
down_revision = "filings_0006"
branch_labels = None
depends_on = None

_tz = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "auditor_empanelment",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("financial_year", sa.String(length=7), nullable=False),
        sa.Column("office_id", sa.String(length=64), nullable=False),
        sa.Column("office_chain", sa.JSON(), nullable=False),
        sa.Column("applicant_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("firm_name", sa.String(length=200), nullable=True),
        sa.Column("membership_number", sa.String(length=6), nullable=False),
        sa.Column("frn", sa.String(length=7), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=14), nullable=False),
        sa.Column("qualifications", sa.JSON(), nullable=False),
        sa.Column("certificate_document_ids", sa.JSON(), nullable=False),
        sa.Column("states", sa.JSON(), nullable=False),
        sa.Column("districts", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("renewal_of", sa.String(length=36), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("submitted_at", _tz, nullable=False),
        sa.Column("updated_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auditor_empanelment")),
        sa.UniqueConstraint("membership_number", "financial_year",
                            name="uq_empanelment_year"),
    )
    op.create_index("ix_empanelment_applicant", "auditor_empanelment", ["applicant_id"])
    op.create_table(
        "audit_allotment",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("society_id", sa.String(length=64), nullable=False),
        sa.Column("society_name", sa.String(length=300), nullable=False),
        sa.Column("office_chain", sa.JSON(), nullable=False),
        sa.Column("financial_year", sa.String(length=7), nullable=False),
        sa.Column("empanelment_id", sa.String(length=36), nullable=False),
        sa.Column("auditor_id", sa.String(length=64), nullable=False),
        sa.Column("auditor_name", sa.String(length=200), nullable=False),
        sa.Column("membership_number", sa.String(length=6), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=True),
        sa.Column("allotted_by", sa.String(length=64), nullable=False),
        sa.Column("allotted_at", _tz, nullable=False),
        sa.Column("audited_on", sa.Date(), nullable=True),
        sa.Column("replaced_at", _tz, nullable=True),
        sa.Column("replaced_reasons", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["empanelment_id"], ["auditor_empanelment.id"],
                                name=op.f("fk_audit_allotment_empanelment_id_auditor_empanelment")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_allotment")),
    )
    op.create_index("ix_allotment_society_year", "audit_allotment",
                    ["society_id", "financial_year"])
    op.create_index("ix_allotment_auditor", "audit_allotment", ["auditor_id"])
    op.create_index("uq_allotment_current", "audit_allotment",
                    ["society_id", "financial_year"], unique=True,
                    postgresql_where=sa.text("status <> 'replaced'"),
                    sqlite_where=sa.text("status <> 'replaced'"))
    op.create_table(
        "audit_reminder",
        sa.Column("society_id", sa.String(length=64), nullable=False),
        sa.Column("financial_year", sa.String(length=7), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("sent_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("society_id", "financial_year", "number",
                                name=op.f("pk_audit_reminder")),
    )


def downgrade() -> None:
    op.drop_table("audit_reminder")
    op.drop_index("uq_allotment_current", table_name="audit_allotment")
    op.drop_index("ix_allotment_auditor", table_name="audit_allotment")
    op.drop_index("ix_allotment_society_year", table_name="audit_allotment")
    op.drop_table("audit_allotment")
    op.drop_index("ix_empanelment_applicant", table_name="auditor_empanelment")
    op.drop_table("auditor_empanelment")
