"""Changes to the member register: admit, update, cease. Plain functions on the unit of
work's session; the entrypoint records the audit entry and the event beside them.

History: a change from a later day closes the member's current row on that day and
adds a row from it; a change on the day the current row starts replaces that row's
values (a snapshot reads whole days, so the day's last state is the one it shows)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common.contracts.registry_members import (
    CLEARABLE_FIELDS,
    UPDATABLE_FIELDS,
    AddMemberV1,
    CeaseMemberV1,
    UpdateMemberV1,
)
from services.common.errors import Conflict, InvalidInput, NotFound
from services.registry.members.queries import MEMBER_COLUMNS
from services.registry.members.tables import member as m
from services.registry.societies.tables import society


def ensure_society(session: Session, society_id: str) -> None:
    found = session.execute(select(society.c.id).where(society.c.id == society_id)).first()
    if found is None:
        raise NotFound("No such society.", {"society_id": society_id})


def admit(session: Session, command: AddMemberV1) -> dict[str, Any]:
    """Add a member; the membership number must be new in the society."""
    ensure_society(session, command.society_id)
    values = command.model_dump(exclude={"society_id"})
    values.update(society_id=command.society_id, member_id=str(uuid.uuid4()),
                  valid_from=command.admission_date, valid_to=None, status="active",
                  cessation_date=None, cessation_reason=None,
                  recorded_at=datetime.now(UTC), import_job_id=None)
    try:
        with session.begin_nested():
            session.execute(insert(m).values(**values))
    except IntegrityError:
        raise Conflict("This membership number is already in the register.",
                       {"membership_number": command.membership_number}) from None
    return _wire(values)


def _current_for_change(session: Session, society_id: str, member_id: str):
    """The member's current row, locked for this transaction (PostgreSQL; SQLite's
    BEGIN IMMEDIATE already serialises writers)."""
    row = session.execute(
        select(m).where(m.c.member_id == member_id, m.c.society_id == society_id,
                        m.c.valid_to.is_(None)).with_for_update()).first()
    if row is None:
        raise NotFound("No such member.", {"member_id": member_id})
    return dict(row._mapping)


def _supersede(session: Session, current: dict[str, Any], new: dict[str, Any],
               on: date) -> None:
    """Make ``new`` the member's values from day ``on``."""
    key = ((m.c.society_id == current["society_id"])
           & (m.c.membership_number == current["membership_number"])
           & (m.c.valid_from == current["valid_from"]))
    new = {**new, "recorded_at": datetime.now(UTC)}
    if on == current["valid_from"]:
        session.execute(update(m).where(key).values(
            **{k: v for k, v in new.items() if k not in ("society_id", "membership_number",
                                                           "valid_from")}))
        return
    session.execute(update(m).where(key).values(valid_to=on))
    session.execute(insert(m).values(**{**new, "valid_from": on, "valid_to": None}))


def _check_day(current: dict[str, Any], on: date, field: str) -> None:
    if on < current["valid_from"]:
        raise InvalidInput("The date is before the member's last recorded change.",
                           fields={field: "must be on or after "
                                          f"{current['valid_from'].isoformat()}"})


def change(session: Session, command: UpdateMemberV1) -> tuple[dict[str, Any], dict]:
    """Apply the fields the command sets; returns (member, {field: [old, new]})."""
    sent = command.model_fields_set & set(UPDATABLE_FIELDS)
    cleared = [f for f in sent if getattr(command, f) is None and f not in CLEARABLE_FIELDS]
    if cleared:
        raise InvalidInput("These fields cannot be cleared.",
                           fields={f: "must not be null" for f in sorted(cleared)})
    if not sent:
        raise InvalidInput("Nothing to change.", fields={
            "payload": "send at least one of " + ", ".join(UPDATABLE_FIELDS)})
    current = _current_for_change(session, command.society_id, command.member_id)
    if current["status"] != "active":
        raise Conflict("A ceased member cannot be changed.", {"member_id": command.member_id})
    on = command.effective_date or date.today()
    _check_day(current, on, "effective_date")
    changes = {f: [current[f], getattr(command, f)] for f in sorted(sent)
               if current[f] != getattr(command, f)}
    if not changes:
        return _wire(current), {}
    new = {**current, **{f: new for f, (_old, new) in changes.items()}}
    _supersede(session, current, new, on)
    return _wire({**new, "valid_from": on}), changes


def cease(session: Session, command: CeaseMemberV1) -> dict[str, Any]:
    """End a membership on ``cessation_date``: the member is out of every snapshot on or
    after it and stays in every one before it."""
    current = _current_for_change(session, command.society_id, command.member_id)
    if current["status"] == "ceased":
        raise Conflict("The membership has already ceased.",
                       {"member_id": command.member_id,
                        "cessation_date": current["cessation_date"].isoformat()})
    on = command.cessation_date
    _check_day(current, on, "cessation_date")
    new = {**current, "status": "ceased", "cessation_date": on,
           "cessation_reason": command.reason}
    _supersede(session, current, new, on)
    return _wire({**new, "valid_from": on})


def _wire(values: dict[str, Any]) -> dict[str, Any]:
    """A member's values as ``MemberV1`` sends them."""
    names = [column.name for column in MEMBER_COLUMNS]
    return {name: (values[name].isoformat() if isinstance(values[name], date)
                   else values[name]) for name in names}

