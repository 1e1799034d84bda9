"""The compliance view over a national roster: the roster once per office that reaches
each society (every office in its chain, and "*" for national staff) with the place,
type, name and registration date, and the filed returns the same way, so an office's
view is a range of one index; filled from what is stored.

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
        sa.Column("state", sa.String(60), nullable=False),
        sa.Column("district", sa.String(100), nullable=True),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("registration_date", sa.Date(), nullable=False),
    )
    op.create_index("ix_roster_office_owed", "roster_office",
                    ["office_id", "state", "district", "type", "registration_date"])
    op.create_index("ix_roster_office_listing", "roster_office",
                    ["office_id", "state", "district", "name", "society_id"])
    op.create_table(
        "filed_return",
        sa.Column("office_id", sa.String(64), primary_key=True),
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
                    ["office_id", "form_code", "period_end", "state", "district", "type",
                     "registration_date", "days_late"])
    op.create_index("ix_filed_return_society", "filed_return", ["society_id"])
    bind = op.get_bind()
    roster = sa.table("society_roster", *(sa.column(c) for c in (
        "society_id", "office_chain", "state", "district", "type", "name",
        "registration_date")))
    reach = sa.table("roster_office", *(sa.column(c) for c in (
        "office_id", "society_id", "state", "district", "type", "name",
        "registration_date")))
    # a page of the roster at a time (850,000 societies make 2.5 million rows)
    after = ""
    while True:
        page = bind.execute(sa.select(roster).where(roster.c.society_id > after)
                            .order_by(roster.c.society_id).limit(5000)).mappings().all()
        if not page:
            break
        rows = []
        for row in page:
            chain = row["office_chain"]
            chain = json.loads(chain) if isinstance(chain, str) else chain
            attributes = {k: row[k] for k in ("society_id", "state", "district", "type",
                                              "name", "registration_date")}
            rows.extend({**attributes, "office_id": office}
                        for office in dict.fromkeys(["*", *(chain or [])]))
        bind.execute(reach.insert(), rows)
        after = page[-1]["society_id"]
    op.execute(
        "INSERT INTO filed_return (office_id, form_code, period_end, society_id, state, "
        "district, type, registration_date, days_late) "
        "SELECT r.office_id, f.form_code, f.period_end, r.society_id, r.state, r.district, "
        "r.type, r.registration_date, f.days_late FROM filing f "
        "JOIN roster_office r ON r.society_id = f.filer_id "
        "WHERE f.filer_kind = 'society' AND f.status IN ('submitted', 'accepted')")


def downgrade() -> None:
    op.drop_index("ix_filed_return_society", table_name="filed_return")
    op.drop_index("ix_filed_return_count", table_name="filed_return")
    op.drop_table("filed_return")
    op.drop_index("ix_roster_office_listing", table_name="roster_office")
    op.drop_index("ix_roster_office_owed", table_name="roster_office")
    op.drop_table("roster_office")
