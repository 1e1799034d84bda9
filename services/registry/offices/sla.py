"""SLA days per application kind and stage, which fall back up an office's chain to the
national default (office NULL). Plain functions on a session; the entrypoint commits."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from services.registry.offices.hierarchy import chain_ids, office_row
from services.registry.offices.tables import sla_rule


def sla_for(session: Session, office_id: str, kind: str, stage: str) -> tuple[int, int] | None:
    """(days, due-soon days) for ``kind`` in ``stage``: the nearest office's own rule up the
    chain, else the national default (office NULL); None when the stage has no SLA."""
    chain = chain_ids(session, office_id)
    rows = session.execute(select(sla_rule.c.office_id, sla_rule.c.days,
                                  sla_rule.c.due_soon_days)
                           .where(sla_rule.c.kind == kind, sla_rule.c.stage == stage)).all()
    by_office = {row.office_id: (row.days, row.due_soon_days) for row in rows}
    for candidate in [*chain, None]:
        if candidate in by_office:
            return by_office[candidate]
    return None


def sla_table(session: Session, office_id: str) -> list[dict[str, Any]]:
    """Every (kind, stage) rule as it applies at this office, and where it comes from."""
    chain = chain_ids(session, office_id)
    rows = session.execute(select(sla_rule)).all()
    rank = {office: index for index, office in enumerate([*chain, None])}
    best: dict[tuple[str, str], Any] = {}
    for row in rows:
        if row.office_id not in rank:
            continue
        key = (row.kind, row.stage)
        if key not in best or rank[row.office_id] < rank[best[key].office_id]:
            best[key] = row
    return [{"kind": row.kind, "stage": row.stage, "days": row.days,
             "due_soon_days": row.due_soon_days, "source_office_id": row.office_id}
            for _, row in sorted(best.items())]


def set_sla(session: Session, office_id: str, rule: Any) -> dict[str, Any]:
    office_row(session, office_id)
    now = datetime.now(UTC)
    where = ((sla_rule.c.office_id == office_id) & (sla_rule.c.kind == rule.kind)
             & (sla_rule.c.stage == rule.stage))
    updated = session.execute(update(sla_rule).where(where).values(
        days=rule.days, due_soon_days=rule.due_soon_days, updated_at=now)).rowcount
    if not updated:
        session.execute(insert(sla_rule).values(
            office_id=office_id, kind=rule.kind, stage=rule.stage, days=rule.days,
            due_soon_days=rule.due_soon_days, updated_at=now))
    return {"office_id": office_id, "kind": rule.kind, "stage": rule.stage,
            "days": rule.days, "due_soon_days": rule.due_soon_days}
