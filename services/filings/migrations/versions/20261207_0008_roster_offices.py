"""The compliance view over a national roster: each society's offices as rows (an
office's societies by index), the roster's place index with the registration date (the
owed counted from the index) and in the view's order, and the filed returns of roster
societies with the roster's attributes (counted without a join), filled from what is
stored.

Revision ID: filings_0008
Revises: filings_0007
Create Date: 2026-12-07
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "filings_0008"
down_revision = "filings_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "roster_office",
        sa.Column("office_id", sa.String(64), primary_key=True),
        sa.Column("society_id", sa.String(64), sa.ForeignKey("society_roster.society_id"),
                  primary_key=True),
    )
    op.create_table(
        "filed_return",
        sa.Column("form_code", sa.String(40), primary_key=True),
        sa.Column("period_end", sa.Date(), primary_key=True),
        sa.Column("society_id", sa.String(64), primary_key=True),
        sa.Column("state", sa.String(60), nullable=False),
        sa.Column("district", sa.String(100), nullable=True),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("registration_date", sa.Date(), nullable=False),
        sa.Column("days_late", sa.Integer(), nullable=False),
    )
    op.create_index("ix_filed_return_count", "filed_return",
                    ["form_code", "period_end", "state", "district", "type",
                     "registration_date", "days_late"])
    op.drop_index("ix_society_roster_place", table_name="society_roster")
    op.create_index("ix_society_roster_owed", "society_roster",
                    ["state", "district", "type", "registration_date"])
    op.create_index("ix_society_roster_listing", "society_roster",
                    ["state", "district", "name", "society_id"])
    bind = op.get_bind()
    roster = sa.table("society_roster", sa.column("society_id"), sa.column("office_chain"))
    offices = sa.table("roster_office", sa.column("office_id"), sa.column("society_id"))
    rows = bind.execute(sa.select(roster.c.society_id, roster.c.office_chain)).all()
    pairs = []
    for society_id, chain in rows:
        chain = json.loads(chain) if isinstance(chain, str) else chain
        pairs.extend({"office_id": office, "society_id": society_id}
                     for office in dict.fromkeys(chain or []))
    for start in range(0, len(pairs), 5000):
        bind.execute(offices.insert(), pairs[start:start + 5000])
    op.execute(
        "INSERT INTO filed_return (form_code, period_end, society_id, state, district, "
        "type, registration_date, days_late) "
        "SELECT f.form_code, f.period_end, r.society_id, r.state, r.district, r.type, "
        "r.registration_date, f.days_late FROM filing f "
        "JOIN society_roster r ON r.society_id = f.filer_id "
        "WHERE f.filer_kind = 'society' AND f.status IN ('submitted', 'accepted')")


def downgrade() -> None:
    op.drop_index("ix_society_roster_listing", table_name="society_roster")
    op.drop_index("ix_society_roster_owed", table_name="society_roster")
    op.create_index("ix_society_roster_place", "society_roster", ["state", "district", "type"])
    op.drop_index("ix_filed_return_count", table_name="filed_return")
    op.drop_table("filed_return")
    op.drop_table("roster_office")
