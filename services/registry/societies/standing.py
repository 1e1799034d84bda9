"""A society's good standing in the register, as the filings service announces it
(``society_standing_changed``): kept on the society, shown in the directory and on its
public page. An announcement older than the one kept changes nothing (redeliveries and
retries may arrive out of order)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from services.common.contracts.filings import SocietyStandingChangedV1
from services.registry.societies.tables import society


def record(session: Session, event: SocietyStandingChangedV1) -> bool:
    """Keep the announced standing; False when a newer one is already kept."""
    done = session.execute(
        update(society).where(society.c.id == event.society_id, or_(
            society.c.standing_changed_at.is_(None),
            society.c.standing_changed_at < event.changed_at))
        .values(good_standing=event.good_standing, standing_reasons=list(event.reasons),
                standing_as_on=event.as_on, standing_changed_at=event.changed_at))
    return done.rowcount == 1


def of(row: Any) -> dict[str, Any] | None:
    """The standing of a society row (``StandingV1``), None before any announcement."""
    if row.good_standing is None:
        return None
    return {"good_standing": row.good_standing, "reasons": list(row.standing_reasons or ()),
            "as_on": row.standing_as_on.isoformat()}
