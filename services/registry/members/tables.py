"""Registry tables of the member register (members of each society).

``member`` keeps every version of every member: a row holds the member's values from
``valid_from`` until ``valid_to`` (open while current). A change from a later day closes
the current row and adds one; a cessation adds a ``ceased`` row from its date. So the
register "as on D" is one indexed range read: the rows valid on D whose status is
active. Nothing is ever deleted. ``member_id`` is the member's lasting identity across
its rows; the primary key (society, membership number, valid_from) is the order every
page is read in.

The import tables stage a CSV upload that arrives in chunks over several calls, until
``finish_member_import`` applies it in one transaction (or rejects it whole).
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    text,
)

from services.registry.models import metadata

member = Table(
    "member", metadata,
    Column("society_id", String(36), ForeignKey("society.id"), nullable=False),
    Column("membership_number", String(32), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date, nullable=True),
    Column("member_id", String(36), nullable=False),
    Column("name", String(200), nullable=False),
    Column("category", String(16), nullable=False),
    Column("admission_date", Date, nullable=False),
    Column("cessation_date", Date, nullable=True),
    Column("cessation_reason", String(200), nullable=True),
    Column("status", String(16), nullable=False),
    Column("phone", String(16), nullable=True),
    Column("email", String(254), nullable=True),
    Column("language", String(8), nullable=False),
    Column("shares", Integer, nullable=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("import_job_id", String(36), nullable=True),
    PrimaryKeyConstraint("society_id", "membership_number", "valid_from"),
    # One current row per membership number: numbers are never reused, even after a
    # cessation (the ceased row is the current one).
    Index("uq_member_current", "society_id", "membership_number", unique=True,
          postgresql_where=text("valid_to IS NULL"), sqlite_where=text("valid_to IS NULL")),
    Index("ix_member_member_id", "member_id"),
)

member_import_job = Table(
    "member_import_job", metadata,
    Column("id", String(36), primary_key=True),
    # None for a migration of many societies (the bulk command).
    Column("society_id", String(36), ForeignKey("society.id"), nullable=True),
    Column("status", String(16), nullable=False),
    Column("rows_received", Integer, nullable=False),
    Column("bad_row_count", Integer, nullable=False),
    Column("imported", Integer, nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
)


def import_row_columns() -> list[Column]:
    """Columns of a staged, already validated CSV row (the persistent staging table of
    chunked imports and the bulk command's temporary one share them)."""
    return [
        Column("job_id", String(36), nullable=False),
        Column("line", Integer, nullable=False),
        # The society's id, or its registration number in a bulk file that names it so.
        Column("society_key", String(64), nullable=False),
        Column("membership_number", String(32), nullable=False),
        Column("name", String(200), nullable=False),
        Column("category", String(16), nullable=False),
        Column("admission_date", Date, nullable=False),
        Column("phone", String(16), nullable=True),
        Column("email", String(254), nullable=True),
        Column("language", String(8), nullable=False),
        Column("shares", Integer, nullable=True),
    ]


member_import_row = Table(
    "member_import_row", metadata, *import_row_columns(),
    PrimaryKeyConstraint("job_id", "line"),
)

# Rows a chunk refused (field by field), kept until the job finishes; at most
# MAX_REPORTED_BAD_ROWS entries per job, the job counts the rest.
member_import_error = Table(
    "member_import_error", metadata,
    Column("job_id", String(36), nullable=False),
    Column("line", Integer, nullable=False),
    Column("field", String(64), nullable=False),
    Column("reason", String(300), nullable=False),
    PrimaryKeyConstraint("job_id", "line", "field"),
)


def temporary_stage(name: str = "member_import_stage") -> Table:
    """A temporary staging table for one bulk run: unlogged, no index, dropped with the
    connection, so millions of rows cost no WAL, no vacuum and no clean-up. It holds
    one job only, so it has no job column (37 bytes less to copy and scan per row)."""
    return Table(name, MetaData(),
                 *[column for column in import_row_columns() if column.name != "job_id"],
                 prefixes=["TEMPORARY"])
