"""What follows a declaration: the RO's report of candidates who lodged no expense
account and the CEA's decision on each (rule 19V), the RO's Annexure VI checklist
entries, and remuneration claims with the proforma's every column and the CEA's
decision. ``remuneration_claim`` is created anew: no code wrote it before this revision.

Revision ID: elections_0003
Revises: elections_0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "elections_0003"
down_revision = "elections_0002"
branch_labels = None
depends_on = None

_tz = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.drop_table("remuneration_claim")
    op.create_table(
        "remuneration_claim",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("election_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("designation", sa.String(length=200), nullable=False),
        sa.Column("service", sa.String(length=200), nullable=False),
        sa.Column("pan", sa.String(length=10), nullable=False),
        sa.Column("bank_account", sa.JSON(), nullable=False),
        sa.Column("cancelled_cheque_document_id", sa.String(length=36), nullable=False),
        sa.Column("basic_pay_paise", sa.BigInteger(), nullable=True),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column("amount_paise", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=False),
        sa.Column("claimed_at", _tz, nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", _tz, nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["election_id"], ["election.id"],
                                name=op.f("fk_remuneration_claim_election_id_election")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remuneration_claim")),
    )
    op.create_index("ix_remuneration_claim_election", "remuneration_claim", ["election_id"])
    op.create_table(
        "expense_report",
        sa.Column("election_id", sa.String(length=36), nullable=False),
        sa.Column("defaulters", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reported_by", sa.String(length=64), nullable=False),
        sa.Column("reported_at", _tz, nullable=False),
        sa.ForeignKeyConstraint(["election_id"], ["election.id"],
                                name=op.f("fk_expense_report_election_id_election")),
        sa.PrimaryKeyConstraint("election_id", name=op.f("pk_expense_report")),
    )
    op.create_table(
        "expense_default_decision",
        sa.Column("nomination_id", sa.String(length=36), nullable=False),
        sa.Column("election_id", sa.String(length=36), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("disqualification_id", sa.String(length=36), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("decided_at", _tz, nullable=False),
        sa.ForeignKeyConstraint(
            ["disqualification_id"], ["disqualification.id"],
            name=op.f("fk_expense_default_decision_disqualification_id_disqualification")),
        sa.ForeignKeyConstraint(
            ["election_id"], ["election.id"],
            name=op.f("fk_expense_default_decision_election_id_election")),
        sa.ForeignKeyConstraint(
            ["nomination_id"], ["nomination.id"],
            name=op.f("fk_expense_default_decision_nomination_id_nomination")),
        sa.PrimaryKeyConstraint("nomination_id", name=op.f("pk_expense_default_decision")),
    )
    op.create_table(
        "checklist_entry",
        sa.Column("election_id", sa.String(length=36), nullable=False),
        sa.Column("item", sa.Integer(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", _tz, nullable=False),
        sa.ForeignKeyConstraint(["election_id"], ["election.id"],
                                name=op.f("fk_checklist_entry_election_id_election")),
        sa.PrimaryKeyConstraint("election_id", "item", name=op.f("pk_checklist_entry")),
    )


def downgrade() -> None:
    raise NotImplementedError("election records are never dropped")
