"""Tables of the register of societies: the society (with the directory's indexes), its
branches and every version of its bye-laws. The member register's tables are in
members/tables.py."""

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
    String,
    Table,
    UniqueConstraint,
)

from services.common.schema import Serial
from services.registry.models import metadata
from services.registry.offices import tables as _offices  # noqa: F401  (foreign keys' target)

_tz = DateTime(timezone=True)

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
    # Good standing as the filings service last announced it (None: not yet announced),
    # its reasons, the day it was computed for and when it changed.
    Column("good_standing", Boolean, nullable=True),
    Column("standing_reasons", JSON, nullable=True),
    Column("standing_as_on", Date, nullable=True),
    Column("standing_changed_at", _tz, nullable=True),
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

# The board as each declared result of an election made it (the elections service's
# ``election_result_declared``): the directors (contest ``board``) and the office bearers.
# The newest declaration of each contest is the society's board today.
society_board = Table(
    "society_board", metadata,
    Column("society_id", String(36), ForeignKey("society.id"), primary_key=True),
    Column("election_id", String(36), primary_key=True),
    Column("contest", String(16), primary_key=True),
    Column("election_number", String(32), nullable=False),
    Column("members", JSON, nullable=False),     # [{name, membership_number, category}]
    Column("declared_at", _tz, nullable=False),
    Column("recorded_at", _tz, nullable=False),
    Index("ix_society_board_declared", "society_id", "contest", "declared_at"),
)
