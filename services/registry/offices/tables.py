"""Tables of registrar offices: the offices themselves, each one's registration-number
counter, and SLA rules per application kind and stage."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
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
