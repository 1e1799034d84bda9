"""Tables of applications: the application and its workflow, the stages it passed
through (the status tracker), and its promoters' e-verification."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from services.common.schema import Serial
from services.registry.models import metadata
from services.registry.offices import tables as _offices  # noqa: F401  (foreign keys' target)
from services.registry.societies import tables as _societies  # noqa: F401  (foreign keys' target)

_tz = DateTime(timezone=True)

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
