"""The elections domain: the order (seats, posts, booths, booth officers), its programme,
the voter list and objections, publications, nominations and disqualifications, booth
entries and results, ties, Forms 19M/19N and declarations, expense accounts and
remuneration claims.

Revision ID: elections_0002
Revises: elections_0001
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "elections_0002"
down_revision = "elections_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "clock_offset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.BigInteger(), nullable=False),
        sa.Column("set_by", sa.String(length=64), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clock_offset")),
    )
    op.create_table(
        "disqualification",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("identity_digest", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("rule", sa.String(length=16), nullable=False),
        sa.Column("order_ref", sa.String(length=64), nullable=False),
        sa.Column("order_date", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("source_election_id", sa.String(length=36), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disqualification")),
    )
    op.create_index(
        "ix_disqualification_identity", "disqualification", ["identity_digest"], unique=False
    )
    op.create_table(
        "election",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("order_ref", sa.String(length=64), nullable=False),
        sa.Column("order_date", sa.Date(), nullable=False),
        sa.Column("society_id", sa.String(length=64), nullable=False),
        sa.Column("society_name", sa.String(length=300), nullable=False),
        sa.Column("registration_number", sa.String(length=64), nullable=False),
        sa.Column("society_address", sa.String(length=500), nullable=False),
        sa.Column("area_states", sa.JSON(), nullable=False),
        sa.Column("returning_officer", sa.JSON(), nullable=False),
        sa.Column("is_bank", sa.Boolean(), nullable=False),
        sa.Column("voters_as_on", sa.Date(), nullable=False),
        sa.Column("bye_laws_require_proposer", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_election")),
        sa.UniqueConstraint("number", name=op.f("uq_election_number")),
    )
    op.create_index("ix_election_society", "election", ["society_id"], unique=False)
    op.create_index("ix_election_status", "election", ["status"], unique=False)
    op.create_table(
        "election_post",
        sa.Column("election_id", sa.String(length=36), nullable=False),
        sa.Column("post", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["election_id"], ["election.id"], name=op.f("fk_election_post_election_id_election")
        ),
        sa.PrimaryKeyConstraint("election_id", "post", name=op.f("pk_election_post")),
    )
    op.create_table(
        "election_seat",
        sa.Column("election_id", sa.String(length=36), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["election_id"], ["election.id"], name=op.f("fk_election_seat_election_id_election")
        ),
        sa.PrimaryKeyConstraint("election_id", "category", name=op.f("pk_election_seat")),
    )
    op.create_table(
        "nomination",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("election_id", sa.String(length=36), nullable=False),
        sa.Column("contest", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("membership_number", sa.String(length=32), nullable=False),
        sa.Column("candidate_name", sa.String(length=200), nullable=False),
        sa.Column("relative_name", sa.String(length=200), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("mobile", sa.String(length=16), nullable=True),
        sa.Column("identity_digest", sa.String(length=64), nullable=False),
        sa.Column("proposer_number", sa.String(length=32), nullable=True),
        sa.Column("seconder_number", sa.String(length=32), nullable=True),
        sa.Column("central_govt_employee", sa.Boolean(), nullable=False),
        sa.Column("permission_document_id", sa.String(length=36), nullable=True),
        sa.Column("bank_director_since", sa.Date(), nullable=True),
        sa.Column("director_kind", sa.String(length=16), nullable=True),
        sa.Column("filed_by", sa.String(length=64), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["election_id"], ["election.id"], name=op.f("fk_nomination_election_id_election")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nomination")),
        sa.UniqueConstraint(
            "election_id",
            "contest",
            "category",
            "membership_number",
            name=op.f("uq_nomination_election_id_contest_category_membership_number"),
        ),
    )
    op.create_index(
        "ix_nomination_election", "nomination", ["election_id", "contest", "category"], unique=False
    )
    op.create_table(
        "polling_booth",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("election_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(length=300), nullable=False),
        sa.Column("district", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=100), nullable=False),
        sa.Column("voters_assigned", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["election_id"], ["election.id"], name=op.f("fk_polling_booth_election_id_election")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_polling_booth")),
        sa.UniqueConstraint(
            "election_id", "number", name=op.f("uq_polling_booth_election_id_number")
        ),
    )
    op.create_table(
        "programme_stage",
        sa.Column("election_id", sa.String(length=36), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("daily_from", sa.Time(), nullable=True),
        sa.Column("daily_to", sa.Time(), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["election_id"], ["election.id"], name=op.f("fk_programme_stage_election_id_election")
        ),
        sa.PrimaryKeyConstraint("election_id", "stage", name=op.f("pk_programme_stage")),
    )
    op.create_table(
        "publication",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("election_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(length=64), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("document_ids", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["election_id"], ["election.id"], name=op.f("fk_publication_election_id_election")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication")),
        sa.UniqueConstraint("election_id", "kind", name=op.f("uq_publication_election_id_kind")),
    )
    op.create_table(
        "remuneration_claim",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("election_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("designation", sa.String(length=200), nullable=False),
        sa.Column("pan", sa.String(length=10), nullable=False),
        sa.Column("bank_account", sa.JSON(), nullable=False),
        sa.Column("basic_pay_paise", sa.BigInteger(), nullable=True),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column("amount_paise", sa.BigInteger(), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["election.id"],
            name=op.f("fk_remuneration_claim_election_id_election"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remuneration_claim")),
    )
    op.create_table(
        "result_form",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("election_id", sa.String(length=36), nullable=False),
        sa.Column("form", sa.String(length=4), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=True),
        sa.Column("submitted_by", sa.String(length=64), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["election_id"], ["election.id"], name=op.f("fk_result_form_election_id_election")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_form")),
        sa.UniqueConstraint(
            "election_id", "form", "version", name=op.f("uq_result_form_election_id_form_version")
        ),
    )
    op.create_table(
        "tie_decision",
        sa.Column("election_id", sa.String(length=36), nullable=False),
        sa.Column("contest", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("tied", sa.JSON(), nullable=False),
        sa.Column("winners", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["election_id"], ["election.id"], name=op.f("fk_tie_decision_election_id_election")
        ),
        sa.PrimaryKeyConstraint("election_id", "contest", "category", name=op.f("pk_tie_decision")),
    )
    op.create_table(
        "voter",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("election_id", sa.String(length=36), nullable=False),
        sa.Column("serial_no", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=True),
        sa.Column("membership_number", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("on_list", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("changed_by_objection", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["election_id"], ["election.id"], name=op.f("fk_voter_election_id_election")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voter")),
        sa.UniqueConstraint(
            "election_id", "membership_number", name=op.f("uq_voter_election_id_membership_number")
        ),
    )
    op.create_index("ix_voter_election_serial", "voter", ["election_id", "serial_no"], unique=False)
    op.create_table(
        "voter_list_draw",
        sa.Column("election_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("after", sa.String(length=200), nullable=True),
        sa.Column("drawn", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["election_id"], ["election.id"], name=op.f("fk_voter_list_draw_election_id_election")
        ),
        sa.PrimaryKeyConstraint("election_id", name=op.f("pk_voter_list_draw")),
    )
    op.create_table(
        "voter_objection",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("election_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("membership_number", sa.String(length=32), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("grounds", sa.Text(), nullable=False),
        sa.Column("filed_by", sa.String(length=64), nullable=False),
        sa.Column("filed_by_member", sa.String(length=32), nullable=True),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["election_id"], ["election.id"], name=op.f("fk_voter_objection_election_id_election")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voter_objection")),
    )
    op.create_index(
        "ix_voter_objection_election", "voter_objection", ["election_id", "status"], unique=False
    )
    op.create_table(
        "booth_entry",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("booth_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("election_id", sa.String(length=36), nullable=False),
        sa.Column("contest", sa.String(length=16), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("votes_cast", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("votes", sa.JSON(), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["booth_id"], ["polling_booth.id"], name=op.f("fk_booth_entry_booth_id_polling_booth")
        ),
        sa.ForeignKeyConstraint(
            ["election_id"], ["election.id"], name=op.f("fk_booth_entry_election_id_election")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booth_entry")),
        sa.UniqueConstraint(
            "booth_id",
            "contest",
            "account_id",
            name=op.f("uq_booth_entry_booth_id_contest_account_id"),
        ),
    )
    op.create_table(
        "booth_officer",
        sa.Column("booth_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("assigned_by", sa.String(length=64), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["booth_id"], ["polling_booth.id"], name=op.f("fk_booth_officer_booth_id_polling_booth")
        ),
        sa.PrimaryKeyConstraint("booth_id", "account_id", name=op.f("pk_booth_officer")),
    )
    op.create_table(
        "booth_result",
        sa.Column("booth_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("contest", sa.String(length=16), nullable=False),
        sa.Column("election_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("votes_cast", sa.Integer(), nullable=True),
        sa.Column("rejected", sa.Integer(), nullable=True),
        sa.Column("votes", sa.JSON(), nullable=True),
        sa.Column("reconciled_by", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["booth_id"], ["polling_booth.id"], name=op.f("fk_booth_result_booth_id_polling_booth")
        ),
        sa.ForeignKeyConstraint(
            ["election_id"], ["election.id"], name=op.f("fk_booth_result_election_id_election")
        ),
        sa.PrimaryKeyConstraint("booth_id", "contest", name=op.f("pk_booth_result")),
    )
    op.create_index(
        "ix_booth_result_election",
        "booth_result",
        ["election_id", "contest", "status"],
        unique=False,
    )
    op.create_table(
        "declaration",
        sa.Column("election_id", sa.String(length=36), nullable=False),
        sa.Column("contest", sa.String(length=16), nullable=False),
        sa.Column("form_id", sa.String(length=36), nullable=False),
        sa.Column("elected", sa.JSON(), nullable=False),
        sa.Column("declared_by", sa.String(length=64), nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["election_id"], ["election.id"], name=op.f("fk_declaration_election_id_election")
        ),
        sa.ForeignKeyConstraint(
            ["form_id"], ["result_form.id"], name=op.f("fk_declaration_form_id_result_form")
        ),
        sa.PrimaryKeyConstraint("election_id", "contest", name=op.f("pk_declaration")),
    )
    op.create_table(
        "expense_account",
        sa.Column("nomination_id", sa.String(length=36), nullable=False),
        sa.Column("election_id", sa.String(length=36), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("total_paid_paise", sa.BigInteger(), nullable=False),
        sa.Column("total_outstanding_paise", sa.BigInteger(), nullable=False),
        sa.Column("voucher_document_ids", sa.JSON(), nullable=False),
        sa.Column("lodged_by", sa.String(length=64), nullable=False),
        sa.Column("lodged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("inspection_notice", sa.JSON(), nullable=True),
        sa.Column("inspection_notice_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["election_id"], ["election.id"], name=op.f("fk_expense_account_election_id_election")
        ),
        sa.ForeignKeyConstraint(
            ["nomination_id"],
            ["nomination.id"],
            name=op.f("fk_expense_account_nomination_id_nomination"),
        ),
        sa.PrimaryKeyConstraint("nomination_id", name=op.f("pk_expense_account")),
    )


def downgrade() -> None:
    raise NotImplementedError("election records are never dropped")
