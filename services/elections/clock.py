"""The service's clock: real time, plus (outside production, ``ELECTIONS_CLOCK=
adjustable``) an offset the CEA sets to rehearse a programme. Every window check asks
``now(session)``; nothing else reads the time of day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.errors import Conflict
from services.elections.settings import elections_settings
from services.elections.tables import clock_offset

_offset = select(clock_offset.c.seconds).where(clock_offset.c.id == 1)


def now(session: Session) -> datetime:
    real = datetime.now(UTC)
    if elections_settings().clock != "adjustable":
        return real
    seconds = session.execute(_offset).scalar()
    return real + timedelta(seconds=seconds or 0)


def set_to(session: Session, at: datetime, actor_id: str) -> datetime:
    """Move the clock so that it reads ``at`` now (forward or back)."""
    if elections_settings().clock != "adjustable":
        raise Conflict("The clock is real here (ELECTIONS_CLOCK=real); it cannot be set.")
    real = datetime.now(UTC)
    seconds = int((at - real).total_seconds())
    values = {"seconds": seconds, "set_by": actor_id, "set_at": real}
    if session.execute(_offset).first() is None:
        session.execute(clock_offset.insert().values(id=1, **values))
    else:
        session.execute(clock_offset.update().where(clock_offset.c.id == 1).values(**values))
    return real + timedelta(seconds=seconds)
