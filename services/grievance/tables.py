"""Every table of the grievance service, on one metadata: cases of every kind, each
case's history (one row per transition taken), hearings and orders.

Case ids are UUID strings; numbers are readable (``GRV/2026/000123``). Times are UTC."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

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
    # An appeal: the order appealed against (its reference and date); a court case: the
    # court's case number and the court.
    Column("reference", String(100), nullable=True),
    Column("court", String(200), nullable=True),
    Column("order_date", Date, nullable=True),
    # The SLA the case was opened under, kept whole: {"category", "office_id" (None:
    # the national rules), "version", "level_days", "overall_days"}. NULL (cases opened
    # before SLAs were versioned, and kinds other than grievance): the shipped rules.
    Column("sla", JSON, nullable=True),
    Index("ix_grievance_case_due", "due_at"),
    Index("ix_grievance_case_reference", "reference"),
    Index("ix_grievance_case_office", "office_id", "kind", "state"),
    Index("ix_grievance_case_opener", "opened_by"),
    # The offices' performance by month (cases/performance.py) reads ranges of these.
    Index("ix_grievance_case_opened_at", "opened_at"),
    Index("ix_grievance_case_closed_at", "closed_at"),
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
    Index("ix_grievance_case_event_action_at", "action", "at"),
)

# Hearings of an appeal, an arbitration or a court case, with their dates (UTC moments).
hearing = Table(
    "grievance_hearing", metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("case_id", String(36), nullable=False),
    Column("hearing_at", _tz, nullable=False),
    Column("place", String(300), nullable=False),
    Column("purpose", String(300), nullable=False),
    Column("recorded_by", String(64), nullable=False),
    Column("recorded_at", _tz, nullable=False),
    # Mobile numbers the office asked to be alerted by SMS before the hearing (the
    # parties' advocates, say), and when that reminder went out (once).
    Column("alert_phones", JSON, nullable=False, default=list),
    Column("reminded_at", _tz, nullable=True),
    Index("ix_grievance_hearing_case", "case_id", "hearing_at"),
    Index("ix_grievance_hearing_to_remind", "hearing_at",
          postgresql_where=text("reminded_at IS NULL"),
          sqlite_where=text("reminded_at IS NULL")),
)

# Orders on a case (interim or final), each a document in the documents service.
order = Table(
    "grievance_order", metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("case_id", String(36), nullable=False),
    Column("order_date", Date, nullable=False),
    Column("summary", Text, nullable=False),
    Column("document_id", String(36), nullable=True),
    Column("final", Boolean, nullable=False),
    Column("recorded_by", String(64), nullable=False),
    Column("recorded_at", _tz, nullable=False),
    Index("ix_grievance_order_case", "case_id", "id"),
)

# SLA rules an office publishes for a category (or ``*``, any category) in its
# jurisdiction: each publication is a new version of (office, category), in force from
# ``in_force_at`` (its publication, or 00:00 IST of the date it names) for cases opened
# from then on: the highest version whose moment has come and that was not withdrawn.
# A version is withdrawn only before its moment. The national rules (no office) are
# shipped in escalation/sla.py and are the fallback.
sla_rule = Table(
    "grievance_sla_rule", metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("office_id", String(64), nullable=False),
    Column("category", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("level_days", JSON, nullable=False),            # days of each level, level 0 first
    Column("overall_days", Integer, nullable=False),
    Column("note", Text, nullable=True),
    Column("published_by", String(64), nullable=False),
    Column("published_role", String(32), nullable=False),
    Column("published_at", _tz, nullable=False),
    Column("in_force_at", _tz, nullable=False),
    Column("withdrawn_at", _tz, nullable=True),
    Column("withdrawn_by", String(64), nullable=True),
    Column("withdrawn_role", String(32), nullable=True),
    Column("withdrawal_reason", Text, nullable=True),
    UniqueConstraint("office_id", "category", "version"),
)

# Versions of the kinds an administrator publishes (kinds/published.py): the whole
# definition as checked, each version n+1 of its kind (the shipped modules are the
# first versions). Cases opened after follow the newest; a case keeps its own.
kind_version = Table(
    "grievance_kind_version", metadata,
    Column("id", Serial, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("definition", JSON, nullable=False),
    Column("note", Text, nullable=True),
    Column("published_by", String(64), nullable=False),
    Column("published_role", String(32), nullable=False),
    Column("published_at", _tz, nullable=False),
    UniqueConstraint("kind", "version"),
)

# The offices' performance month by month (cases/rollup.py keeps it, cases/performance.py
# reads it): per office chain, kind and India's month, what that month's cases did.
# ``chain`` is the case's ``office_ids`` as stored text (office grants match it as they
# match the case); ``office`` its first office, the one the cases were routed to. Written
# in the transaction of the change that moves it (opening, closing, reopening, the
# escalation sweep's batch).
case_month = Table(
    "grievance_case_month", metadata,
    Column("chain", String(400), primary_key=True),
    Column("kind", String(32), primary_key=True),
    Column("month", String(7), primary_key=True),           # YYYY-MM, India's month
    Column("office", String(64), nullable=False),          # '': a case of no office
    Column("opened", Integer, nullable=False, server_default=text("0")),
    Column("resolved", Integer, nullable=False, server_default=text("0")),
    Column("resolved_with_sla", Integer, nullable=False, server_default=text("0")),
    Column("resolved_within_sla", Integer, nullable=False, server_default=text("0")),
    Column("escalated", Integer, nullable=False, server_default=text("0")),
    Index("ix_grievance_case_month_month", "month", "office"),
)

# One row per case resolved now (closed in any state but withdrawn), in the month it was
# closed: what ``case_month.resolved`` counts, and the durations its median is taken
# from (a median cannot be summed). Reopening a case removes its row and its count.
case_resolution = Table(
    "grievance_case_resolution", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("chain", String(400), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("month", String(7), nullable=False),
    Column("office", String(64), nullable=False),
    Column("opened_at", _tz, nullable=False),
    Column("closed_at", _tz, nullable=False),
    Column("days", Float, nullable=False),                 # closed - opened, in days
    Column("with_sla", Integer, nullable=False),           # 1: it had an overall clock
    Column("within_sla", Integer, nullable=False),         # 1: closed by that clock
    # A month's median is read off this index: the middle entries of (month, office)
    # in order of days, the kind and chain filtered in the index itself.
    Index("ix_grievance_case_resolution_days", "month", "office", "days",
          postgresql_include=["kind", "chain"]),
)
