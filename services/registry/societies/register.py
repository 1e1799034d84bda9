"""Societies in the register: their entries as answered, the public directory (search with
a stable sort and an opaque cursor), and the changes approvals make (a new society, a new
bye-law version, a branch)."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, insert, select, tuple_, update
from sqlalchemy.orm import Session

from services.common.errors import InvalidInput, NotFound
from services.registry.societies import board, standing
from services.registry.societies.tables import bye_law_version, society, society_branch

PUBLIC_COLUMNS = (society.c.id, society.c.registration_number, society.c.registration_date,
                  society.c.name, society.c.name_key, society.c.address, society.c.state,
                  society.c.district, society.c.area_of_operation, society.c.type,
                  society.c.status, society.c.office_id, society.c.good_standing)

_society_by_id = select(society).where(society.c.id == bindparam("id"))
_public_by_id = select(*PUBLIC_COLUMNS, society.c.standing_reasons,
                      society.c.standing_as_on).where(society.c.id == bindparam("id"))
_branches_of = (select(society_branch).where(society_branch.c.society_id == bindparam("id"))
                .order_by(society_branch.c.opened_on, society_branch.c.id))


def name_key(name: str) -> str:
    """The directory's search and sort key: case-folded, single-spaced."""
    return " ".join(name.split()).lower()


def society_row(session: Session, society_id: str, *, lock: bool = False) -> Any:
    statement = _society_by_id.with_for_update() if lock else _society_by_id
    row = session.execute(statement, {"id": society_id}).one_or_none()
    if row is None:
        raise NotFound("No such society.", {"society_id": society_id})
    return row


def branch_dict(row: Any) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "address": row.address, "state": row.state,
            "district": row.district, "opened_on": row.opened_on.isoformat()}


def society_dict(session: Session, row: Any) -> dict[str, Any]:
    """The full entry (``SocietyV1``)."""
    branches = [branch_dict(b) for b in session.execute(_branches_of, {"id": row.id})]
    return {
        "id": row.id, "registration_number": row.registration_number,
        "registration_date": row.registration_date.isoformat() if row.registration_date
        else None,
        "name": row.name, "address": row.address, "state": row.state,
        "district": row.district, "area_of_operation": list(row.area_of_operation),
        "type": row.type, "status": row.status, "office_id": row.office_id,
        "board_seats": dict(row.board_seats), "office_bearers": list(row.office_bearers),
        "contacts": {"email": None, "phone": None, "language": "en", **row.contacts},
        "bye_laws_version": row.bye_laws_version, "branches": branches,
        "board": board.current(session, row.id), "good_standing": row.good_standing,
        "standing": standing.of(row),
    }


def public_dict(row: Any) -> dict[str, Any]:
    """What anyone may read about a society (seed 001, G2C 1: basic details), from a row
    of ``PUBLIC_COLUMNS`` taken by position (a page of the directory builds twenty of
    these per call; by name each costs several times more)."""
    (ident, number, registered_on, name, _key, address, state, district, area, kind,
     status, office_id, good_standing) = row
    return {
        "id": ident, "registration_number": number,
        "registration_date": registered_on.isoformat() if registered_on else None,
        "name": name, "address": address, "state": state, "district": district,
        "area_of_operation": list(area), "type": kind, "status": status,
        "office_id": office_id, "good_standing": good_standing,
    }


def public_society(session: Session, society_id: str) -> dict[str, Any]:
    row = session.execute(_public_by_id, {"id": society_id}).one_or_none()
    if row is None:
        raise NotFound("No such society.", {"society_id": society_id})
    return {**public_dict(row[:len(PUBLIC_COLUMNS)]), "board": board.current(session, society_id),
            "standing": standing.of(row)}


# --------------------------------------------------------------------------- directory


def encode_cursor(key: str, ident: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([key, ident]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key, ident = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(key, str) or not isinstance(ident, str):
            raise ValueError
        return key, ident
    except (ValueError, TypeError):
        raise InvalidInput("Not a cursor.", fields={
            "cursor": "pass next_cursor from the previous page unchanged"}) from None


def prefix_bounds(prefix: str) -> tuple[str, str]:
    """[low, high) of the keys that begin with ``prefix`` in code-point order."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


# Filters that lead one of the directory's indexes: alone (or with ``q``, a range on the
# name key that follows them in the index) they are one index range read in sort order.
_LEADING = frozenset({"state", "district", "status"})


@cache
def _directory_statement(filters: tuple[str, ...], has_cursor: bool):
    """One prebuilt statement per combination of filters (building a select costs more
    than running it on an indexed table). A name search is a range on the name key (the
    index the sort uses): [prefix, prefix with its last letter's successor), exactly the
    names beginning with the prefix in code-point order (``search`` re-checks each row for
    a database collation that sorts otherwise). Not LIKE in SQL as well: PostgreSQL
    multiplies the two estimates, expects one row where there are thousands, and picks a
    bitmap scan and a sort (2.7 ms for "vikas sh" at 8.5 lakh rows) over the ordered
    index scan that stops after one page (0.03 ms).

    A search one index answers in order (``q``, a registration number, one of state,
    district, status, each with or without ``q``) reads the page's rows straight. Any
    other combination (a type, or two of state, district, status) takes two steps: the
    page's ids from an index that carries every filter column, checked on the index
    entries (an index-only scan) rather than by fetching every candidate row, then the
    public columns of those ids only. Measured at 8.5 lakh rows, the second step costs
    the plain searches a quarter more and saves the combined ones 1.5 to 5 times
    (docs/adr/0007)."""
    conditions = []
    for name in filters:
        if name == "q":
            conditions += [society.c.name_key >= bindparam("q_low"),
                           society.c.name_key < bindparam("q_high")]
        else:
            conditions.append(getattr(society.c, name) == bindparam(name))
    if has_cursor:
        # A row comparison, which PostgreSQL reads as where to start in the index; the
        # same test spelt with OR is a filter on every entry before the page (a page deep
        # in a state's list read and dropped 153,157 entries, 43 ms; 0.06 ms now).
        conditions.append(tuple_(society.c.name_key, society.c.id)
                          > tuple_(bindparam("after_key"), bindparam("after_id")))
    in_order = ("registration_number" in filters
                or ("type" not in filters and len(_LEADING.intersection(filters)) <= 1))
    if in_order:
        return (select(*PUBLIC_COLUMNS).where(*conditions)
                .order_by(society.c.name_key, society.c.id).limit(bindparam("limit_plus")))
    page = (select(society.c.id, society.c.name_key).where(*conditions)
            .order_by(society.c.name_key, society.c.id).limit(bindparam("limit_plus"))
            .subquery("page"))
    return (select(*PUBLIC_COLUMNS).join_from(society, page, society.c.id == page.c.id)
            .order_by(page.c.name_key, page.c.id))


def search(session: Session, query: Any) -> dict[str, Any]:
    """A page of the public directory, sorted by name then id (stable: ties never move
    between pages); ``next_cursor`` is None on the last page. ``q`` finds names that
    begin with it, case and spacing aside."""
    params: dict[str, Any] = {"limit_plus": query.limit + 1}
    filters = []
    prefix = ""
    if query.q:
        prefix = name_key(query.q)
        if not prefix:
            raise InvalidInput("Nothing to search for.",
                               fields={"q": "give the beginning of a name"})
        params["q_low"], params["q_high"] = prefix_bounds(prefix)
        filters.append("q")
    for name in ("registration_number", "state", "district", "type", "status"):
        value = getattr(query, name)
        if value is not None:
            params[name] = value
            filters.append(name)
    if query.cursor:
        params["after_key"], params["after_id"] = decode_cursor(query.cursor)
    rows = session.execute(_directory_statement(tuple(filters), bool(query.cursor)),
                           params).all()
    more = len(rows) > query.limit
    rows = rows[:query.limit]
    next_cursor = encode_cursor(rows[-1].name_key, rows[-1].id) if more else None
    # The cursor follows the range; a row the range holds only by the collation's order
    # (never under a code-point collation, C or SQLite's) is left out of the page.
    return {"items": [public_dict(row) for row in rows if row.name_key.startswith(prefix)],
            "next_cursor": next_cursor}


# --------------------------------------------------------------------------- changes


def register_society(session: Session, *, form: Any, office: Any, number: str, on: date,
                     application_id: str) -> dict[str, Any]:
    """A new society from an approved registration application, with bye-laws v1."""
    now = datetime.now(UTC)
    society_id = str(uuid.uuid4())
    session.execute(insert(society).values(
        id=society_id, registration_number=number, registration_date=on,
        registration_year=on.year, name=form.name, name_key=name_key(form.name),
        address=form.address, state=form.state, district=form.district,
        area_of_operation=sorted(set(form.area_of_operation)), type=form.type,
        status="registered", office_id=office.id,
        board_seats=form.board_seats.model_dump(),
        office_bearers=[b.model_dump() for b in form.office_bearers],
        contacts=form.contacts.model_dump(), bye_laws_version=1,
        application_id=application_id, created_at=now, updated_at=now))
    session.execute(insert(bye_law_version).values(
        society_id=society_id, version=1, document_ids=list(form.bye_law_document_ids),
        adopted_on=on, application_id=application_id, created_at=now))
    return society_dict(session, society_row(session, society_id))


def add_bye_laws(session: Session, *, society_id: str, document_ids: list[str], on: date,
                 application_id: str | None) -> int:
    """The next bye-law version of a society; returns its number."""
    current = session.execute(select(func.max(bye_law_version.c.version)).where(
        bye_law_version.c.society_id == society_id)).scalar() or 0
    version = current + 1
    now = datetime.now(UTC)
    session.execute(insert(bye_law_version).values(
        society_id=society_id, version=version, document_ids=list(document_ids),
        adopted_on=on, application_id=application_id, created_at=now))
    session.execute(update(society).where(society.c.id == society_id).values(
        bye_laws_version=version, updated_at=now))
    return version


def add_branch(session: Session, *, society_id: str, form: Any, on: date,
               application_id: str | None) -> dict[str, Any]:
    branch_id = str(uuid.uuid4())
    session.execute(insert(society_branch).values(
        id=branch_id, society_id=society_id, name=form.name, address=form.address,
        state=form.state, district=form.district, opened_on=on,
        application_id=application_id, created_at=datetime.now(UTC)))
    row = session.execute(select(society_branch).where(society_branch.c.id == branch_id)).one()
    return branch_dict(row)


def bye_law_versions(session: Session, society_id: str) -> list[dict[str, Any]]:
    rows = session.execute(select(bye_law_version).where(
        bye_law_version.c.society_id == society_id).order_by(bye_law_version.c.version))
    return [{"version": r.version, "document_ids": list(r.document_ids),
             "adopted_on": r.adopted_on.isoformat(), "application_id": r.application_id}
            for r in rows]


def set_status(session: Session, society_id: str, status: str) -> None:
    session.execute(update(society).where(society.c.id == society_id).values(
        status=status, updated_at=datetime.now(UTC)))
