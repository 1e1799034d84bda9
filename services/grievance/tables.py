"""Every table of the grievance service, on one metadata: cases of every kind and each
case's history (one row per transition taken).

Case ids are UUID strings; numbers are readable (``GRV/2026/000123``). Times are UTC."""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Index, Integer, String, Table, Text

from services.common.schema import Serial
from services.grievance.models import metadata

_tz = DateTime(timezone=True)

# One case of any kind. ``state`` follows the kind's definition of ``kind_version``;
# ``state_since`` is when it entered that state; ``due_at`` when it becomes late there
# (NULL: no clock); ``overall_due_at`` when the SLA's overall clock runs out.
# ``office_ids`` is the case's office and every office above it, nearest
# first (``office:<id>`` grants reach it). ``level`` is the escalation level (0: the
# office it was routed to).
case = Table(
    "grievance_case", metadata,
    Column("id", String(36), primary_key=True),
    Column("number", String(32), nullable=False, unique=True),
    Column("kind", String(32), nullable=False),
    Column("kind_version", Integer, nullable=False),
    Column("state", String(32), nullable=False),
    Column("state_since", _tz, nullable=False),
    Column("due_at", _tz, nullable=True),
    Column("overall_due_at", _tz, nullable=True),           # the SLA's overall clock
    Column("level", Integer, nullable=False),
    Column("society_id", String(64), nullable=True),
    Column("office_id", String(64), nullable=True),
    Column("office_ids", JSON, nullable=False),
    Column("desk", String(32), nullable=False),            # grievance_cell, monitoring_cell
    Column("category", String(32), nullable=True),
    Column("subject", String(300), nullable=False),
    Column("description", Text, nullable=False),
    Column("against_type", String(32), nullable=True),     # society, board_member ...
    Column("against_name", String(300), nullable=True),
    Column("opened_by", String(64), nullable=False),
    Column("opened_by_role", String(32), nullable=False),
    Column("complainant_type", String(32), nullable=True),  # member, creditor, citizen
    Column("language", String(2), nullable=False),
    Column("parties", JSON, nullable=False),
    Column("assignee", String(64), nullable=True),
    Column("rating", Integer, nullable=True),
    Column("feedback", Text, nullable=True),
    Column("opened_at", _tz, nullable=False),
    Column("updated_at", _tz, nullable=False),
    Column("closed_at", _tz, nullable=True),
    Index("ix_grievance_case_due", "due_at"),
    Index("ix_grievance_case_office", "office_id", "kind", "state"),
    Index("ix_grievance_case_opener", "opened_by"),
)

# The history of a case: each transition taken, by whom, with its note and documents.
case_event = Table(
    "grievance_case_event", metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("case_id", String(36), nullable=False),
    Column("action", String(48), nullable=False),
    Column("from_state", String(32), nullable=True),
    Column("to_state", String(32), nullable=False),
    Column("actor_id", String(64), nullable=False),
    Column("actor_role", String(32), nullable=False),
    Column("note", Text, nullable=True),
    Column("document_ids", JSON, nullable=False),
    Column("at", _tz, nullable=False),
    Index("ix_grievance_case_event_case", "case_id", "id"),
)
