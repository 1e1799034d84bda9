"""Registry tables of societies and what belongs to them (offices, applications, bye-law
versions, liquidation). The member register's tables are in member_tables.py."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from services.common.schema import Serial
from services.registry.models import metadata

_tz = DateTime(timezone=True)

# A registrar's office: national (Central Registrar) -> state -> district. Ids are short
# readable codes (``crcs``, ``mh``, ``mh-pune``): staff grants name them (``office:mh``).
registrar_office = Table(
    "registrar_office", metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("level", String(16), nullable=False),
    Column("parent_id", String(64), ForeignKey("registrar_office.id"), nullable=True),
    Column("state", String(100), nullable=True),
    Column("district", String(100), nullable=True),
    # e.g. ``MSCS/CR/{seq}/{year}``; placeholders {seq}, {year}, {state}, {district}.
    Column("number_format", String(120), nullable=False),
    Column("created_at", _tz, nullable=False),
)

# The last sequence number an office allotted. Numbers are allotted inside the approving
# transaction under this row's lock, so two approvals never take the same one.
registration_counter = Table(
    "registration_counter", metadata,
    Column("office_id", String(64), ForeignKey("registrar_office.id"), primary_key=True),
    Column("last_seq", Integer, nullable=False),
)

# SLA days per application kind and stage; office_id NULL is the national default. A
# state (or district) office overrides a row by inserting its own: no code change.
sla_rule = Table(
    "sla_rule", metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("office_id", String(64), ForeignKey("registrar_office.id"), nullable=True),
    Column("kind", String(32), nullable=False),
    Column("stage", String(32), nullable=False),
    Column("days", Integer, nullable=False),
    Column("due_soon_days", Integer, nullable=False),
    Column("updated_at", _tz, nullable=False),
    UniqueConstraint("office_id", "kind", "stage"),
)

# A society. ``id`` is the platform-wide identifier (grants say ``society:<id>``);
# the registration number is what people read.
# The directory's indexes (name, key columns); the filter columns each one also carries
# are the rest of DIRECTORY_FILTERS. The 0002 migration creates the same.
DIRECTORY_FILTERS = ("state", "district", "type", "status")
DIRECTORY_INDEXES = (
    ("ix_society_name_key_id", ("name_key", "id")),
    ("ix_society_state_name_key_id", ("state", "name_key", "id")),
    ("ix_society_district_name_key_id", ("district", "name_key", "id")),
    ("ix_society_status_name_key_id", ("status", "name_key", "id")),
)

society = Table(
    "society", metadata,
    Column("id", String(36), primary_key=True),
    Column("registration_number", String(64), unique=True),
    Column("registration_date", Date),
    Column("registration_year", Integer),
    Column("name", String(300), nullable=False),
    # case-folded, single-spaced name: the directory's sort key, and its name search
    # (names beginning with the text asked for: one range on the same index)
    Column("name_key", String(300), nullable=False),
    Column("address", String(500), nullable=False),
    Column("state", String(100), nullable=False),
    Column("district", String(100), nullable=True),
    Column("area_of_operation", JSON, nullable=False),
    Column("type", String(32), nullable=False),
    Column("status", String(32), nullable=False),
    Column("office_id", String(64), ForeignKey("registrar_office.id"), nullable=False),
    Column("board_seats", JSON, nullable=False),
    Column("office_bearers", JSON, nullable=False),
    Column("contacts", JSON, nullable=False),
    Column("bye_laws_version", Integer, nullable=True),
    # The registration application that created it: unique, so one approval, one society.
    Column("application_id", String(36), unique=True, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", _tz, nullable=False),
    # The directory's orders: by name, within a state, a district or a status. Each also
    # carries the other filter columns (PostgreSQL INCLUDE), so a combined search checks
    # its filters on index entries, never on candidate rows; reports scan the table
    # anyway. Each index costs the bulk import a sort (docs/adr/0007).
    *(Index(name, *keys, postgresql_include=[c for c in DIRECTORY_FILTERS if c not in keys])
      for name, keys in DIRECTORY_INDEXES),
)


society_branch = Table(
    "society_branch", metadata,
    Column("id", String(36), primary_key=True),
    Column("society_id", String(36), ForeignKey("society.id"), nullable=False, index=True),
    Column("name", String(300), nullable=False),
    Column("address", String(500), nullable=False),
    Column("state", String(100), nullable=False),
    Column("district", String(100), nullable=True),
    Column("opened_on", Date, nullable=False),
    Column("application_id", String(36), nullable=True),
    Column("created_at", _tz, nullable=False),
)

# Every version of a society's bye-laws is kept; the documents are the documents
# service's ids.
bye_law_version = Table(
    "bye_law_version", metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("society_id", String(36), ForeignKey("society.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("document_ids", JSON, nullable=False),
    Column("adopted_on", Date, nullable=False),
    Column("application_id", String(36), nullable=True),
    Column("created_at", _tz, nullable=False),
    UniqueConstraint("society_id", "version"),
)

# An application (registration, bye-law amendment, branch opening) and its workflow.
application = Table(
    "application", metadata,
    Column("id", String(36), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("stage", String(32), nullable=False),
    Column("office_id", String(64), ForeignKey("registrar_office.id"), nullable=False),
    Column("society_id", String(36), ForeignKey("society.id"), nullable=True, index=True),
    Column("applicant_id", String(100), nullable=False, index=True),
    Column("applicant", JSON, nullable=False),
    # The form as the applicant left it: partial in a draft, complete once submitted.
    Column("data", JSON, nullable=False),
    Column("reason", Text, nullable=True),
    Column("hearing_at", _tz, nullable=True),
    Column("hearing_link", String(500), nullable=True),
    Column("stage_entered_at", _tz, nullable=False),
    Column("deadline", _tz, nullable=True),
    Column("due_soon_at", _tz, nullable=True),
    # The deadline each reminder went out for: one event per deadline, never two.
    Column("due_soon_sent_for", _tz, nullable=True),
    Column("overdue_sent_for", _tz, nullable=True),
    Column("submitted_at", _tz, nullable=True),
    Column("decided_at", _tz, nullable=True),
    Column("created_at", _tz, nullable=False),
    Column("updated_at", _tz, nullable=False),
    Index("ix_application_office_stage", "office_id", "stage"),
    Index("ix_application_deadline", "deadline"),
)

# The status tracker: every stage an application passed through, with who and why.
application_stage_entry = Table(
    "application_stage_entry", metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("application_id", String(36), ForeignKey("application.id"), nullable=False,
           index=True),
    Column("stage", String(32), nullable=False),
    Column("previous_stage", String(32), nullable=True),
    Column("action", String(32), nullable=False),
    Column("actor_id", String(100), nullable=False),
    Column("actor_role", String(50), nullable=False),
    Column("note", Text, nullable=True),
    Column("deadline", _tz, nullable=True),
    Column("at", _tz, nullable=False),
)

# Promoters of an application and their e-verification. The identity number itself is
# never stored: only its last four digits and the provider's reference.
promoter = Table(
    "promoter", metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("application_id", String(36), ForeignKey("application.id"), nullable=False,
           index=True),
    Column("name", String(200), nullable=False),
    Column("id_last4", String(4), nullable=False),
    Column("id_digest", String(64), nullable=False),
    Column("verified", Boolean, nullable=False),
    Column("provider", String(32), nullable=False),
    Column("reference", String(100), nullable=True),
    Column("failure", String(200), nullable=True),
    Column("checked_at", _tz, nullable=False),
    UniqueConstraint("application_id", "id_digest"),
)

# Liquidation of a society: the order, the liquidator, and how it ends.
liquidation_case = Table(
    "liquidation_case", metadata,
    Column("id", String(36), primary_key=True),
    Column("society_id", String(36), ForeignKey("society.id"), nullable=False, index=True),
    Column("office_id", String(64), ForeignKey("registrar_office.id"), nullable=False),
    Column("status", String(16), nullable=False),  # in_progress, closed, revived
    Column("order_ref", String(100), nullable=False),
    Column("ordered_on", Date, nullable=False),
    Column("reason", Text, nullable=False),
    Column("liquidator_name", String(200), nullable=False),
    Column("liquidator_account_id", String(100), nullable=True),
    Column("charge_taken_over", Boolean, nullable=False),
    Column("traceable", Boolean, nullable=False),
    Column("ended_on", Date, nullable=True),
    Column("end_order_ref", String(100), nullable=True),
    Column("end_reason", Text, nullable=True),
    Column("created_at", _tz, nullable=False),
    Column("updated_at", _tz, nullable=False),
    Index("ix_liquidation_case_office_status", "office_id", "status"),
)

liquidation_proceeding = Table(
    "liquidation_proceeding", metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("case_id", String(36), ForeignKey("liquidation_case.id"), nullable=False,
           index=True),
    Column("held_on", Date, nullable=False),
    Column("note", Text, nullable=False),
    Column("actor_id", String(100), nullable=False),
    Column("created_at", _tz, nullable=False),
)

# Assets and liabilities, as added or reduced on a date (the return's opening, added,
# reduced and closing balances are sums of these).
liquidation_entry = Table(
    "liquidation_entry", metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("case_id", String(36), ForeignKey("liquidation_case.id"), nullable=False,
           index=True),
    Column("side", String(16), nullable=False),       # asset, liability
    Column("direction", String(16), nullable=False),  # added, reduced
    Column("amount", Numeric(18, 2), nullable=False),
    Column("entry_date", Date, nullable=False),
    Column("description", String(300), nullable=False),
    Column("actor_id", String(100), nullable=False),
    Column("created_at", _tz, nullable=False),
)
