"""Registrar offices: the national -> state -> district chain and registration numbers in
each office's format (SLA days per kind and stage are in sla.py). Plain functions on a
session; the entrypoint commits."""

from __future__ import annotations

import string
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from services.common.errors import Conflict, InvalidInput, NotFound
from services.registry.offices.tables import registrar_office, registration_counter
from services.registry.societies.tables import society

MAX_DEPTH = 8  # far more than national -> state -> district; guards a bad parent loop
NUMBER_PLACEHOLDERS = {"seq", "year", "state", "district"}

_office_by_id = select(registrar_office).where(registrar_office.c.id == bindparam("id"))


def office_row(session: Session, office_id: str) -> Any:
    row = session.execute(_office_by_id, {"id": office_id}).one_or_none()
    if row is None:
        raise NotFound("No such office.", {"office_id": office_id})
    return row


def office_chain(session: Session, office_id: str) -> list[Any]:
    """The office and every office above it, nearest first, national last."""
    chain = []
    current: str | None = office_id
    while current is not None and len(chain) < MAX_DEPTH:
        row = office_row(session, current)
        chain.append(row)
        current = row.parent_id
    return chain


def chain_ids(session: Session, office_id: str) -> list[str]:
    return [row.id for row in office_chain(session, office_id)]


def office_dict(row: Any) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "level": row.level, "parent_id": row.parent_id,
            "state": row.state, "district": row.district,
            "number_format": row.number_format}


def list_offices(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(select(registrar_office).order_by(registrar_office.c.id))
    return [office_dict(row) for row in rows]


def check_number_format(number_format: str) -> None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(number_format) if name}
    except ValueError as exc:
        raise InvalidInput("Not a number format.", fields={"number_format": str(exc)}) from None
    unknown = names - NUMBER_PLACEHOLDERS
    if "seq" not in names or unknown:
        raise InvalidInput("Not a number format.", fields={
            "number_format": "must contain {seq} and only {seq}, {year}, {state}, "
                             "{district}"})


def create_office(session: Session, data: Any) -> dict[str, Any]:
    check_number_format(data.number_format)
    problems: dict[str, str] = {}
    if data.level == "national" and data.parent_id is not None:
        problems["parent_id"] = "a national office has no parent"
    if data.level != "national" and data.parent_id is None:
        problems["parent_id"] = "required for a state or district office"
    if data.level != "national" and not data.state:
        problems["state"] = "required for a state or district office"
    if data.level == "district" and not data.district:
        problems["district"] = "required for a district office"
    if data.parent_id is not None:
        parent = session.execute(_office_by_id, {"id": data.parent_id}).one_or_none()
        if parent is None:
            problems["parent_id"] = "no such office"
        elif (parent.level, data.level) not in (("national", "state"), ("state", "district")):
            problems["parent_id"] = f"a {data.level} office cannot sit under a {parent.level}"
    if problems:
        raise InvalidInput("The office is not valid.", fields=problems)
    if session.execute(_office_by_id, {"id": data.id}).one_or_none() is not None:
        raise Conflict("An office with this id exists.", {"office_id": data.id})
    values = {"id": data.id, "name": data.name, "level": data.level,
              "parent_id": data.parent_id, "state": data.state, "district": data.district,
              "number_format": data.number_format, "created_at": datetime.now(UTC)}
    session.execute(insert(registrar_office).values(**values))
    session.execute(insert(registration_counter).values(office_id=data.id, last_seq=0))
    return office_dict(office_row(session, data.id))


def covers(session: Session, scope_office_id: str, office_id: str) -> bool:
    """True if an ``office:<scope_office_id>`` grant reaches ``office_id`` (its own
    office or one below it)."""
    return scope_office_id in chain_ids(session, office_id)


def subtree(session: Session, office_id: str) -> list[str]:
    """The office and every office below it."""
    rows = session.execute(select(registrar_office.c.id, registrar_office.c.parent_id)).all()
    found: list[str] = []
    stack = [office_id]
    while stack:
        current = stack.pop()
        if current not in found:
            found.append(current)
            stack.extend(r.id for r in rows if r.parent_id == current)
    return found


# --------------------------------------------------------------------------- numbers


def allot_registration_number(session: Session, office: Any, on: date) -> str:
    """The office's next registration number. The counter row is locked by the UPDATE
    until the approving transaction ends, so concurrent approvals queue on it; numbers
    a legacy import already holds are skipped, so a number is never given twice."""
    for _ in range(10_000):
        seq = session.execute(
            update(registration_counter)
            .where(registration_counter.c.office_id == office.id)
            .values(last_seq=registration_counter.c.last_seq + 1)
            .returning(registration_counter.c.last_seq)).scalar_one()
        number = office.number_format.format(seq=seq, year=on.year, state=office.state or "",
                                             district=office.district or "")
        taken = session.execute(select(society.c.id).where(
            society.c.registration_number == number)).first()
        if taken is None:
            return number
    raise Conflict("The office's number series is exhausted.", {"office_id": office.id})
