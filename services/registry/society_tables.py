"""Registry tables of societies and what belongs to them (offices, applications, bye-law
versions, liquidation). The member register's tables are in member_tables.py."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, String, Table

from services.registry.models import metadata

# A society. ``id`` is the platform-wide identifier (grants say ``society:<id>``);
# the registration number is what people read.
society = Table(
    "society", metadata,
    Column("id", String(36), primary_key=True),
    Column("registration_number", String(64), unique=True),
    Column("registration_date", Date),
    Column("name", String(300), nullable=False),
    Column("status", String(32), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
