"""Societies and what belongs to them: registrar offices and their number formats, SLA
rules (national defaults and the seeded state overrides), applications and their tracker,
promoters, bye-law versions, branches, liquidation.

Revision ID: registry_0002
Revises: registry_0001
Create Date: 2026-11-29
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "registry_0002"
down_revision = "registry_0001"
branch_labels = None
depends_on = None

_tz = sa.DateTime(timezone=True)
_serial = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# (id, name, level, parent, state, district, number format)
OFFICES = [
    ("crcs", "Central Registrar of Cooperative Societies", "national", None, None, None,
     "MSCS/CR/{seq}/{year}"),
    ("mp", "Registrar of Cooperative Societies, Madhya Pradesh", "state", "crcs",
     "Madhya Pradesh", None, "MP/RCS/{seq}/{year}"),
    ("mp-bhopal", "Deputy Registrar, Bhopal", "district", "mp", "Madhya Pradesh", "Bhopal",
     "MP/BPL/{seq}/{year}"),
    ("wb", "Registrar of Cooperative Societies, West Bengal", "state", "crcs", "West Bengal",
     None, "WB/RCS/{seq}/{year}"),
    ("wb-kolkata", "Assistant Registrar, Kolkata Range", "district", "wb", "West Bengal",
     "Kolkata", "WB/KOL/{seq}/{year}"),
    ("ml", "Registrar of Cooperative Societies, Meghalaya", "state", "crcs", "Meghalaya",
     None, "ML/RCS/{seq}/{year}"),
    ("ml-east-khasi-hills", "Assistant Registrar, East Khasi Hills", "district", "ml",
     "Meghalaya", "East Khasi Hills", "ML/EKH/{seq}/{year}"),
]

# National defaults: (kind, stage, days, due-soon days). The MSCS Act gives the Central
# Registrar four months to decide a registration; the stages share that time.
SLA_DEFAULTS = [
    ("registration", "submitted", 7, 2),
    ("registration", "under_scrutiny", 60, 7),
    ("registration", "query_raised", 30, 5),
    ("registration", "hearing_scheduled", 15, 3),
    ("bye_law_amendment", "submitted", 7, 2),
    ("bye_law_amendment", "under_scrutiny", 45, 5),
    ("bye_law_amendment", "query_raised", 30, 5),
    ("bye_law_amendment", "hearing_scheduled", 15, 3),
    ("branch_opening", "submitted", 7, 2),
    ("branch_opening", "under_scrutiny", 30, 5),
    ("branch_opening", "query_raised", 15, 3),
    ("branch_opening", "hearing_scheduled", 10, 2),
]
# A state's own rule beside the default (Madhya Pradesh decides registrations in 45 days).
SLA_OVERRIDES = [("mp", "registration", "under_scrutiny", 45, 5)]


def upgrade() -> None:

    office = op.create_table(
        "registrar_office",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("parent_id", sa.String(64), nullable=True),
        sa.Column("state", sa.String(100), nullable=True),
        sa.Column("district", sa.String(100), nullable=True),
        sa.Column("number_format", sa.String(120), nullable=False),
        sa.Column("created_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_registrar_office"),
        sa.ForeignKeyConstraint(["parent_id"], ["registrar_office.id"],
                                name="fk_registrar_office_parent_id_registrar_office"),
    )
    counter = op.create_table(
        "registration_counter",
        sa.Column("office_id", sa.String(64), nullable=False),
        sa.Column("last_seq", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("office_id", name="pk_registration_counter"),
        sa.ForeignKeyConstraint(["office_id"], ["registrar_office.id"],
                                name="fk_registration_counter_office_id_registrar_office"),
    )
    sla = op.create_table(
        "sla_rule",
        sa.Column("id", _serial, autoincrement=True, nullable=False),
        sa.Column("office_id", sa.String(64), nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("days", sa.Integer, nullable=False),
        sa.Column("due_soon_days", sa.Integer, nullable=False),
        sa.Column("updated_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sla_rule"),
        sa.ForeignKeyConstraint(["office_id"], ["registrar_office.id"],
                                name="fk_sla_rule_office_id_registrar_office"),
        sa.UniqueConstraint("office_id", "kind", "stage",
                            name="uq_sla_rule_office_id_kind_stage"),
    )
    op.create_table(
        "society",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("registration_number", sa.String(64), nullable=True),
        sa.Column("registration_date", sa.Date, nullable=True),
        sa.Column("registration_year", sa.Integer, nullable=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("name_key", sa.String(300), nullable=False),
        sa.Column("address", sa.String(500), nullable=False),
        sa.Column("state", sa.String(100), nullable=False),
        sa.Column("district", sa.String(100), nullable=True),
        sa.Column("area_of_operation", sa.JSON, nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("office_id", sa.String(64), nullable=False),
        sa.Column("board_seats", sa.JSON, nullable=False),
        sa.Column("office_bearers", sa.JSON, nullable=False),
        sa.Column("contacts", sa.JSON, nullable=False),
        sa.Column("bye_laws_version", sa.Integer, nullable=True),
        sa.Column("application_id", sa.String(36), nullable=True),
        sa.Column("created_at", _tz, nullable=False),
        sa.Column("updated_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_society"),
        sa.ForeignKeyConstraint(["office_id"], ["registrar_office.id"],
                                name="fk_society_office_id_registrar_office"),
        sa.UniqueConstraint("registration_number", name="uq_society_registration_number"),
        sa.UniqueConstraint("application_id", name="uq_society_application_id"),
    )
    # The directory's indexes, each carrying the other filter columns (societies/tables.py).
    filters = ("state", "district", "type", "status")
    for name, columns in (("ix_society_name_key_id", ["name_key", "id"]),
                          ("ix_society_state_name_key_id", ["state", "name_key", "id"]),
                          ("ix_society_district_name_key_id", ["district", "name_key", "id"]),
                          ("ix_society_status_name_key_id", ["status", "name_key", "id"])):
        op.create_index(name, "society", columns,
                        postgresql_include=[c for c in filters if c not in columns])

    op.create_table(
        "society_branch",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("society_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("address", sa.String(500), nullable=False),
        sa.Column("state", sa.String(100), nullable=False),
        sa.Column("district", sa.String(100), nullable=True),
        sa.Column("opened_on", sa.Date, nullable=False),
        sa.Column("application_id", sa.String(36), nullable=True),
        sa.Column("created_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_society_branch"),
        sa.ForeignKeyConstraint(["society_id"], ["society.id"],
                                name="fk_society_branch_society_id_society"),
    )
    op.create_index("ix_society_branch_society_id", "society_branch", ["society_id"])
    op.create_table(
        "bye_law_version",
        sa.Column("id", _serial, autoincrement=True, nullable=False),
        sa.Column("society_id", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("document_ids", sa.JSON, nullable=False),
        sa.Column("adopted_on", sa.Date, nullable=False),
        sa.Column("application_id", sa.String(36), nullable=True),
        sa.Column("created_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_bye_law_version"),
        sa.ForeignKeyConstraint(["society_id"], ["society.id"],
                                name="fk_bye_law_version_society_id_society"),
        sa.UniqueConstraint("society_id", "version",
                            name="uq_bye_law_version_society_id_version"),
    )
    op.create_table(
        "application",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("office_id", sa.String(64), nullable=False),
        sa.Column("society_id", sa.String(36), nullable=True),
        sa.Column("applicant_id", sa.String(100), nullable=False),
        sa.Column("applicant", sa.JSON, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("hearing_at", _tz, nullable=True),
        sa.Column("hearing_link", sa.String(500), nullable=True),
        sa.Column("stage_entered_at", _tz, nullable=False),
        sa.Column("deadline", _tz, nullable=True),
        sa.Column("due_soon_at", _tz, nullable=True),
        sa.Column("due_soon_sent_for", _tz, nullable=True),
        sa.Column("overdue_sent_for", _tz, nullable=True),
        sa.Column("submitted_at", _tz, nullable=True),
        sa.Column("decided_at", _tz, nullable=True),
        sa.Column("created_at", _tz, nullable=False),
        sa.Column("updated_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_application"),
        sa.ForeignKeyConstraint(["office_id"], ["registrar_office.id"],
                                name="fk_application_office_id_registrar_office"),
        sa.ForeignKeyConstraint(["society_id"], ["society.id"],
                                name="fk_application_society_id_society"),
    )
    op.create_index("ix_application_society_id", "application", ["society_id"])
    op.create_index("ix_application_applicant_id", "application", ["applicant_id"])
    op.create_index("ix_application_office_stage", "application", ["office_id", "stage"])
    op.create_index("ix_application_deadline", "application", ["deadline"])
    op.create_table(
        "application_stage_entry",
        sa.Column("id", _serial, autoincrement=True, nullable=False),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("previous_stage", sa.String(32), nullable=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("actor_id", sa.String(100), nullable=False),
        sa.Column("actor_role", sa.String(50), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("deadline", _tz, nullable=True),
        sa.Column("at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_application_stage_entry"),
        sa.ForeignKeyConstraint(["application_id"], ["application.id"],
                                name="fk_application_stage_entry_application_id_application"),
    )
    op.create_index("ix_application_stage_entry_application_id", "application_stage_entry",
                    ["application_id"])
    op.create_table(
        "promoter",
        sa.Column("id", _serial, autoincrement=True, nullable=False),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("id_last4", sa.String(4), nullable=False),
        sa.Column("id_digest", sa.String(64), nullable=False),
        sa.Column("verified", sa.Boolean, nullable=False),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("reference", sa.String(100), nullable=True),
        sa.Column("failure", sa.String(200), nullable=True),
        sa.Column("checked_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_promoter"),
        sa.ForeignKeyConstraint(["application_id"], ["application.id"],
                                name="fk_promoter_application_id_application"),
        sa.UniqueConstraint("application_id", "id_digest",
                            name="uq_promoter_application_id_id_digest"),
    )
    op.create_index("ix_promoter_application_id", "promoter", ["application_id"])
    op.create_table(
        "liquidation_case",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("society_id", sa.String(36), nullable=False),
        sa.Column("office_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("order_ref", sa.String(100), nullable=False),
        sa.Column("ordered_on", sa.Date, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("liquidator_name", sa.String(200), nullable=False),
        sa.Column("liquidator_account_id", sa.String(100), nullable=True),
        sa.Column("charge_taken_over", sa.Boolean, nullable=False),
        sa.Column("traceable", sa.Boolean, nullable=False),
        sa.Column("ended_on", sa.Date, nullable=True),
        sa.Column("end_order_ref", sa.String(100), nullable=True),
        sa.Column("end_reason", sa.Text, nullable=True),
        sa.Column("created_at", _tz, nullable=False),
        sa.Column("updated_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_liquidation_case"),
        sa.ForeignKeyConstraint(["society_id"], ["society.id"],
                                name="fk_liquidation_case_society_id_society"),
        sa.ForeignKeyConstraint(["office_id"], ["registrar_office.id"],
                                name="fk_liquidation_case_office_id_registrar_office"),
    )
    op.create_index("ix_liquidation_case_society_id", "liquidation_case", ["society_id"])
    op.create_index("ix_liquidation_case_office_status", "liquidation_case",
                    ["office_id", "status"])
    op.create_table(
        "liquidation_proceeding",
        sa.Column("id", _serial, autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("actor_id", sa.String(100), nullable=False),
        sa.Column("created_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_liquidation_proceeding"),
        sa.ForeignKeyConstraint(["case_id"], ["liquidation_case.id"],
                                name="fk_liquidation_proceeding_case_id_liquidation_case"),
    )
    op.create_index("ix_liquidation_proceeding_case_id", "liquidation_proceeding",
                    ["case_id"])
    op.create_table(
        "liquidation_entry",
        sa.Column("id", _serial, autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("side", sa.String(16), nullable=False),
        sa.Column("direction", sa.String(16), nullable=False),
        sa.Column("amount", sa.Numeric(18, 2), nullable=False),
        sa.Column("entry_date", sa.Date, nullable=False),
        sa.Column("description", sa.String(300), nullable=False),
        sa.Column("actor_id", sa.String(100), nullable=False),
        sa.Column("created_at", _tz, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_liquidation_entry"),
        sa.ForeignKeyConstraint(["case_id"], ["liquidation_case.id"],
                                name="fk_liquidation_entry_case_id_liquidation_case"),
    )
    op.create_index("ix_liquidation_entry_case_id", "liquidation_entry", ["case_id"])

    now = datetime.now(UTC)
    op.bulk_insert(office, [
        {"id": i, "name": n, "level": lv, "parent_id": p, "state": s, "district": d,
         "number_format": f, "created_at": now}
        for i, n, lv, p, s, d, f in OFFICES])
    op.bulk_insert(counter, [{"office_id": row[0], "last_seq": 0} for row in OFFICES])
    op.bulk_insert(sla, [
        {"office_id": None, "kind": k, "stage": s, "days": d, "due_soon_days": soon,
         "updated_at": now} for k, s, d, soon in SLA_DEFAULTS]
        + [{"office_id": o, "kind": k, "stage": s, "days": d, "due_soon_days": soon,
            "updated_at": now} for o, k, s, d, soon in SLA_OVERRIDES])


def downgrade() -> None:
    for table in ("liquidation_entry", "liquidation_proceeding", "liquidation_case",
                  "promoter", "application_stage_entry", "application", "bye_law_version",
                  "society_branch", "society", "sla_rule", "registration_counter",
                  "registrar_office"):
        op.drop_table(table)
