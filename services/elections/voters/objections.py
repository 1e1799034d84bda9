"""Objections to the provisional list of voters: filed in the objections window by the
society's representative (or recorded by the RO or an ARO), decided by the Returning
Officer in the scrutiny window. An upheld addition puts the member on the list, an
upheld deletion strikes the voter off, an upheld correction changes the entry.

Additions to and deletions from the list end 30 days before the poll (rule 19I(1)):
from then on neither is filed nor upheld, whatever window is open."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.contracts import elections_voters as contracts
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.common.india import INDIA
from services.elections import scopes
from services.elections.orders import programme
from services.elections.orders.programme import Window
from services.elections.tables import voter, voter_objection
from services.elections.voters import booths, lists

FREEZING = ("add", "delete")

_by_id = select(voter_objection).where(voter_objection.c.election_id == bindparam("e"),
                                       voter_objection.c.id == bindparam("id"))


def is_society_representative(ctx: CallContext, row: Any) -> bool:
    return (ctx.actor_role == "society_representative"
            and f"society:{row.society_id}" in (ctx.actor_scope or "").split())


def ensure_objector(ctx: CallContext, row: Any) -> None:
    scopes.ensure_visible(ctx, row)
    if not (scopes.runs(ctx, row.id) or is_society_representative(ctx, row)):
        raise Forbidden("Only the society's representative may file an objection, or this "
                        "election's returning officers record one.",
                        {"required_roles": [scopes.RO, scopes.ARO, "society_representative"],
                         "your_role": ctx.actor_role})


def ensure_not_frozen(windows: dict[str, Window], kind: str, at: datetime) -> None:
    """Rule 19I(1): no addition or deletion from 30 days before the poll."""
    if kind not in FREEZING:
        return
    frozen = programme.freeze_starts(windows)
    if at >= frozen:
        day = frozen.strftime("%d-%m-%Y")
        raise Conflict(
            f"Rule 19I(1): no member may be added to or deleted from the voter list "
            f"from 30 days before the poll, i.e. from {day}.",
            {"rule": "19I(1)", "kind": kind, "frozen_from": frozen.isoformat(),
             "frozen_from_date": frozen.astimezone(INDIA).date().isoformat()})


def file(session: Session, ctx: CallContext, row: Any, command: contracts.FileObjectionV1,
         at: datetime) -> str:
    if lists.published(session, row.id, "provisional") is None:
        raise Conflict("The provisional list of voters has not been published; there is "
                       "nothing to object to yet.", {"election_id": row.id})
    listed = lists.on_list(session, row.id, command.membership_number)
    if command.kind == "add" and listed is not None:
        raise InvalidInput("This member is already on the provisional list.", fields={
            "membership_number": "already on the provisional list (serial "
                                 f"{listed.serial_no})"})
    if command.kind != "add" and listed is None:
        raise InvalidInput("This membership number is not on the provisional list.",
                           fields={"membership_number": "not on the provisional list; "
                                                        "an addition is filed instead"})
    details: dict[str, Any] = {}
    if command.name is not None:
        details["name"] = command.name
    if command.category is not None:
        details["category"] = command.category
    if command.kind == "correct":
        details["was"] = {"name": listed.name, "category": listed.category}
    objection_id = str(uuid.uuid4())
    session.execute(voter_objection.insert().values(
        id=objection_id, election_id=row.id, kind=command.kind,
        membership_number=command.membership_number, details=details,
        grounds=command.grounds, filed_by=ctx.actor_id,
        filed_by_member=command.filed_by_member, filed_at=at, status="pending"))
    return objection_id


def objection_row(session: Session, election_id: str, objection_id: str) -> Any:
    found = session.execute(_by_id, {"e": election_id, "id": objection_id}).one_or_none()
    if found is None:
        raise NotFound("No such objection in this election.", {"objection_id": objection_id})
    return found


def decide(session: Session, ctx: CallContext, row: Any, objection: Any,
           command: contracts.DecideObjectionV1, windows: dict[str, Window],
           at: datetime) -> dict:
    """Record the RO's decision; an upheld objection changes the list. Answers what
    changed."""
    if objection.status != "pending":
        raise Conflict(f"This objection was already {objection.status}.",
                       {"objection_id": objection.id, "status": objection.status})
    changed: dict[str, Any] = {}
    if command.decision == "upheld":
        ensure_not_frozen(windows, objection.kind, at)
        changed = _apply(session, row, objection)
    session.execute(voter_objection.update().where(voter_objection.c.id == objection.id)
                    .values(status=command.decision, decision_reason=command.reason,
                            decided_by=ctx.actor_id, decided_at=at))
    return changed


def _apply(session: Session, row: Any, objection: Any) -> dict:
    number = objection.membership_number
    found = lists.voter_row(session, row.id, number)
    details = objection.details or {}
    where = (voter.c.election_id == row.id) & (voter.c.membership_number == number)
    if objection.kind == "add":
        if found is not None and found.on_list:
            raise Conflict("This member is on the list already.",
                           {"membership_number": number, "serial_no": found.serial_no})
        if found is not None:   # struck off before: restored
            session.execute(voter.update().where(where).values(
                on_list=True, name=details["name"], category=details["category"],
                changed_by_objection=objection.id))
            return {"restored": number, "serial_no": found.serial_no,
                    "booth": booths.place_added(session, row.id, number)}
        serial = (session.execute(select(func.max(voter.c.serial_no)).where(
            voter.c.election_id == row.id)).scalar() or 0) + 1
        session.execute(voter.insert().values(
            election_id=row.id, serial_no=serial, member_id=None, membership_number=number,
            name=details["name"], category=details["category"], phone=None, email=None,
            language="en", on_list=True, source="objection",
            changed_by_objection=objection.id))
        return {"added": number, "serial_no": serial,
                "booth": booths.place_added(session, row.id, number)}
    if found is None or not found.on_list:
        raise Conflict("This membership number is no longer on the list.",
                       {"membership_number": number})
    if objection.kind == "delete":
        session.execute(voter.update().where(where).values(
            on_list=False, booth=None, changed_by_objection=objection.id))
        return {"struck_off": number, "serial_no": found.serial_no}
    values = {k: details[k] for k in ("name", "category") if k in details}
    session.execute(voter.update().where(where).values(
        changed_by_objection=objection.id, **values))
    return {"corrected": number, "serial_no": found.serial_no, **values}


def pending(session: Session, election_id: str) -> int:
    return session.execute(select(func.count()).select_from(voter_objection).where(
        voter_objection.c.election_id == election_id,
        voter_objection.c.status == "pending")).scalar()


def objection_dict(r: Any) -> dict:
    return contracts.ObjectionV1(
        id=r.id, election_id=r.election_id, kind=r.kind,
        membership_number=r.membership_number, details=r.details, grounds=r.grounds,
        filed_by=r.filed_by, filed_by_member=r.filed_by_member, filed_at=r.filed_at,
        status=r.status, decision_reason=r.decision_reason, decided_by=r.decided_by,
        decided_at=r.decided_at).wire()


def listing(session: Session, query: contracts.ObjectionQueryV1) -> dict:
    where = [voter_objection.c.election_id == query.election_id]
    if query.status:
        where.append(voter_objection.c.status == query.status)
    rows = list(session.execute(
        select(voter_objection).where(*where)
        .order_by(voter_objection.c.filed_at, voter_objection.c.id)
        .limit(query.limit + 1).offset(query.offset)))
    more = len(rows) > query.limit
    return {"items": [objection_dict(r) for r in rows[:query.limit]],
            "next_offset": query.offset + query.limit if more else None}
