"""Reads of the member register: pages in membership-number order (now or as on a date),
search, one member. Hot statements are built once, at import (see docs/chassis.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Date, String, and_, bindparam, func, literal, or_, select
from sqlalchemy.orm import Session

from services.common import like
from services.common.contracts.registry_members import (
    ListMembersV1,
    SearchMembersV1,
)
from services.registry.members.payloads import decode_cursor, encode_cursor
from services.registry.members.tables import member as m

# "Now" is the register as on a day after every recorded change: only open rows hold.
NOW = date.max

MEMBER_COLUMNS = (m.c.member_id, m.c.society_id, m.c.membership_number, m.c.name,
                  m.c.category, m.c.admission_date, m.c.cessation_date,
                  m.c.cessation_reason, m.c.status, m.c.phone, m.c.email, m.c.language,
                  m.c.shares, m.c.valid_from)
CONTACT_COLUMNS = (m.c.member_id, m.c.membership_number, m.c.name, m.c.category,
                   m.c.phone, m.c.email, m.c.language)


def held_on(on):
    """Rows whose values hold on day ``on`` (a column, literal or bind)."""
    return and_(m.c.valid_from <= on, or_(m.c.valid_to.is_(None), m.c.valid_to > on))


def _page_statement(columns):
    as_on = bindparam("as_on", type_=Date)
    category = bindparam("category", type_=String)
    status = bindparam("status", type_=String)
    return (select(*columns)
            .where(m.c.society_id == bindparam("society_id"),
                   m.c.membership_number > bindparam("after"),
                   held_on(as_on),
                   or_(category.is_(None), m.c.category == category),
                   or_(status == literal("any"), m.c.status == status))
            .order_by(m.c.membership_number)
            .limit(bindparam("limit")))


_MEMBER_PAGE = _page_statement(MEMBER_COLUMNS)
_CONTACT_PAGE = _page_statement(CONTACT_COLUMNS)
_CURRENT_BY_ID = (select(*MEMBER_COLUMNS)
                  .where(m.c.member_id == bindparam("member_id"),
                         m.c.society_id == bindparam("society_id"),
                         m.c.valid_to.is_(None)))


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def member_wire(row) -> dict[str, Any]:
    """A row as ``MemberV1`` sends it (dates as ISO text), without a model per row: a
    page holds thousands."""
    return {key: _iso(value) for key, value in row._mapping.items()}


def _page(session: Session, statement, query: ListMembersV1, as_wire) -> dict[str, Any]:
    rows = session.execute(statement, {
        "society_id": query.society_id, "after": decode_cursor(query.after) or "",
        "as_on": query.as_on or NOW, "category": query.filters.category,
        "status": query.filters.status, "limit": query.limit + 1}).all()
    more = len(rows) > query.limit
    rows = rows[:query.limit]
    return {"items": [as_wire(row) for row in rows],
            "next": encode_cursor(rows[-1].membership_number) if more else None}


def member_page(session: Session, query: ListMembersV1) -> dict[str, Any]:
    """One page of ``MemberPageV1``."""
    return _page(session, _MEMBER_PAGE, query, member_wire)


def contact_page(session: Session, query) -> dict[str, Any]:
    """One page of ``MemberContactPageV1`` (the same read, fewer columns)."""
    return _page(session, _CONTACT_PAGE, query, lambda row: dict(row._mapping))


def current_member(session: Session, society_id: str, member_id: str) -> dict | None:
    row = session.execute(_CURRENT_BY_ID, {"society_id": society_id,
                                           "member_id": member_id}).first()
    return member_wire(row) if row is not None else None


def search_page(session: Session, query: SearchMembersV1) -> dict[str, Any]:
    """The current register filtered: ``q`` matches a name anywhere (any case) or a
    membership number from its start."""
    conditions = [m.c.society_id == query.society_id, m.c.valid_to.is_(None)]
    after = decode_cursor(query.after)
    if after is not None:
        conditions.append(m.c.membership_number > after)
    if query.q:
        pattern = like.literal(query.q.lower())
        conditions.append(or_(func.lower(m.c.name).like(f"%{pattern}%", escape=like.ESCAPE),
                              m.c.membership_number.like(f"{like.literal(query.q)}%",
                                                         escape=like.ESCAPE)))
    if query.category:
        conditions.append(m.c.category == query.category)
    if query.status != "any":
        conditions.append(m.c.status == query.status)
    if query.admitted_from:
        conditions.append(m.c.admission_date >= query.admitted_from)
    if query.admitted_to:
        conditions.append(m.c.admission_date <= query.admitted_to)
    rows = session.execute(select(*MEMBER_COLUMNS).where(*conditions)
                           .order_by(m.c.membership_number).limit(query.limit + 1)).all()
    more = len(rows) > query.limit
    rows = rows[:query.limit]
    return {"items": [member_wire(row) for row in rows],
            "next": encode_cursor(rows[-1].membership_number) if more else None}


def active_numbers(session: Session, society_id: str, numbers: list[str]) -> list[str]:
    """Those of ``numbers`` that are active members of the society now, in the order
    given."""
    found = set(session.execute(
        select(m.c.membership_number).where(
            m.c.society_id == society_id, m.c.valid_to.is_(None), m.c.status == "active",
            m.c.membership_number.in_(set(numbers)))).scalars())
    return [number for number in numbers if number in found]
