"""Tables of liquidation: the case (order, liquidator, how it ends), its proceedings,
its assets and liabilities as entries, and the proposals to wind up that inquiries and
inspections send."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    Table,
    Text,
)

from services.common.schema import Serial
from services.registry.models import metadata
from services.registry.offices import tables as _offices  # noqa: F401  (foreign keys' target)
from services.registry.societies import tables as _societies  # noqa: F401  (foreign keys' target)

_tz = DateTime(timezone=True)

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

# A proposal to wind a society up, from an inquiry's or inspection's recommendation (the
# grievance service's ``case_winding_up_recommended``): pending until the society's
# registrar orders the liquidation on it or declines it with reasons.
liquidation_proposal = Table(
    "liquidation_proposal", metadata,
    Column("id", String(36), primary_key=True),
    Column("society_id", String(36), ForeignKey("society.id"), nullable=False, index=True),
    Column("office_id", String(64), nullable=False),
    Column("source_case_id", String(36), nullable=False, unique=True),
    Column("source_case_number", String(40), nullable=False),
    Column("source_kind", String(16), nullable=False),        # inquiry, inspection
    Column("recommended_by", String(100), nullable=False),
    Column("note", Text, nullable=True),
    Column("document_ids", JSON, nullable=False),
    Column("status", String(16), nullable=False),             # pending, ordered, declined
    Column("liquidation_case_id", String(36), ForeignKey("liquidation_case.id"),
           nullable=True),
    Column("decision_reason", Text, nullable=True),
    Column("decided_by", String(100), nullable=True),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Index("ix_liquidation_proposal_office_status", "office_id", "status"),
)
