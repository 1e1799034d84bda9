"""Elections as the CEA orders them: create, read, list; the programme's windows as
stored; the check every action makes against its stage; marking a publication done."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.contracts import elections as contracts
from services.common.errors import Conflict, InvalidInput, NotFound
from services.common.india import INDIA
from services.elections import scopes
from services.elections.orders import programme
from services.elections.orders.programme import Window
from services.elections.tables import (
    booth_officer,
    election,
    election_post,
    election_seat,
    polling_booth,
    programme_stage,
    publication,
    result_form,
)

_by_id = select(election).where(election.c.id == bindparam("id"))
_stages = (select(programme_stage).where(programme_stage.c.election_id == bindparam("id"))
           .order_by(programme_stage.c.seq))


def previous_march_31(order_date: date) -> date:
    """31 March of the financial year before the one the order falls in."""
    fy_start = order_date.year if order_date.month >= 4 else order_date.year - 1
    return date(fy_start, 3, 31)


def windows_from(stages: list[contracts.StageInV1]) -> list[Window]:
    unknown = [s.stage for s in stages if s.stage not in programme.SEQ]
    if unknown:
        raise InvalidInput("The programme names stages that do not exist.", fields={
            f"stages.{code}": "not a stage; stages are " + ", ".join(programme.STAGE_CODES)
            for code in unknown})
    return [Window(s.stage, s.starts_on, s.ends_on or s.starts_on, s.daily_from, s.daily_to)
            for s in stages]


def election_row(session: Session, election_id: str) -> Any:
    row = session.execute(_by_id, {"id": election_id}).one_or_none()
    if row is None:
        raise NotFound("No such election.", {"election_id": election_id})
    return row


def visible_election(session: Session, ctx: CallContext, election_id: str) -> Any:
    row = election_row(session, election_id)
    scopes.ensure_visible(ctx, row)
    return row


def windows(session: Session, election_id: str) -> dict[str, Window]:
    return {r.stage: Window(r.stage, r.starts_on, r.ends_on, r.daily_from, r.daily_to)
            for r in session.execute(_stages, {"id": election_id})}


def done_marks(session: Session, election_id: str) -> dict[str, datetime | None]:
    return {r.stage: r.done_at for r in session.execute(_stages, {"id": election_id})}


def ensure_stage(session: Session, row: Any, stage: str, at: datetime) -> dict[str, Window]:
    """Refuse unless ``stage`` is open at ``at`` (an OutsideWindow naming the window);
    answers the election's windows for further checks."""
    if row.status == "cancelled":
        raise Conflict("The election was cancelled.", {"election_id": row.id})
    found = windows(session, row.id)
    programme.ensure_open(found, stage, at)
    return found


def mark_done(session: Session, election_id: str, stage: str, actor_id: str,
              at: datetime) -> None:
    """A publication stage is done once; doing it again is refused."""
    t = programme_stage
    done = session.execute(
        t.update().where(t.c.election_id == election_id, t.c.stage == stage,
                         t.c.done_at.is_(None)).values(done_at=at, done_by=actor_id))
    if done.rowcount != 1:
        raise Conflict(f"{programme.STAGE_TITLES[stage]} was already done.",
                       {"stage": stage})


def seats(session: Session, election_id: str) -> dict[str, int]:
    found = dict.fromkeys(contracts.BOARD_CATEGORIES, 0)
    for r in session.execute(select(election_seat).where(
            election_seat.c.election_id == election_id)):
        found[r.category] = r.seats
    return found


def bye_law_seats(session: Session, election_id: str) -> dict[str, int]:
    """The board's seats by category under the bye-laws (Form 19M item (iv)); where
    the order did not give them, the seats notified."""
    found = dict.fromkeys(contracts.BOARD_CATEGORIES, 0)
    for r in session.execute(select(election_seat).where(
            election_seat.c.election_id == election_id)):
        found[r.category] = r.seats if r.bye_law_seats is None else r.bye_law_seats
    return found


def create(session: Session, ctx: CallContext, command: contracts.CreateElectionV1,
           society: dict[str, Any], at: datetime) -> str:
    """Record the order. ``society`` is the registry's public entry of the society."""
    if session.execute(select(election.c.id).where(
            election.c.number == command.number)).first():
        raise Conflict("An election with this number exists.", {"number": command.number})
    if society.get("status") not in ("registered", "revived"):
        raise Conflict("The society is not in a state to hold an election.",
                       {"society_id": command.society_id, "status": society.get("status")})
    as_on = command.voters_as_on or previous_march_31(command.order_date)
    found = windows_from(command.stages)
    programme.validate(found, voters_as_on=as_on, order_date=command.order_date)
    states = {s.casefold() for s in command.area_states}
    outside = {b.number: f"is in {b.state}, outside the area of operation"
               for b in command.booths if b.state.casefold() not in states}
    if outside:
        raise InvalidInput("A booth lies outside the society's area of operation.",
                           fields={f"booths.{n}": why for n, why in outside.items()})
    election_id = str(uuid.uuid4())
    session.execute(election.insert().values(
        id=election_id, number=command.number, order_ref=command.order_ref,
        order_date=command.order_date, society_id=command.society_id,
        society_name=society["name"], registration_number=society["registration_number"],
        society_address=society.get("address") or "", area_states=command.area_states,
        returning_officer=command.returning_officer.model_dump(mode="json"),
        is_bank=society.get("type") == "bank", voters_as_on=as_on,
        bye_laws_require_proposer=command.bye_laws_require_proposer, status="ordered",
        created_by=ctx.actor_id, created_at=at, updated_at=at))
    by_laws = command.bye_law_seats
    session.execute(election_seat.insert(), [
        {"election_id": election_id, "category": c, "seats": getattr(command.seats, c),
         "bye_law_seats": getattr(by_laws, c) if by_laws is not None else None}
        for c in contracts.BOARD_CATEGORIES])
    session.execute(election_post.insert(), [
        {"election_id": election_id, "post": p, "title": p.replace("_", " ").title()}
        for p in command.posts])
    session.execute(polling_booth.insert(), [
        {"election_id": election_id, **b.model_dump()} for b in command.booths])
    _store_windows(session, election_id, found)
    store_stage(session, election_id, at)
    return election_id


def amend(session: Session, row: Any, command: contracts.AmendProgrammeV1,
          at: datetime) -> list[str]:
    """Move stages that have not opened yet; the whole programme must stay in order."""
    current = windows(session, row.id)
    changes = {w.stage: w for w in windows_from(command.stages)}
    started = [code for code in changes if current[code].opens_at <= at]
    if started:
        raise Conflict("Stages that have opened cannot be moved.", {"stages": started})
    moved_to_past = [code for code, w in changes.items() if w.opens_at <= at]
    if moved_to_past:
        raise InvalidInput("A stage cannot be moved into the past.", fields={
            f"stages.{code}": "opens before now" for code in moved_to_past})
    merged = {**current, **changes}
    programme.validate([merged[c] for c in programme.STAGE_CODES if c in merged],
                       voters_as_on=row.voters_as_on, order_date=row.order_date)
    t = programme_stage
    for code, w in changes.items():
        session.execute(t.update().where(t.c.election_id == row.id, t.c.stage == code)
                        .values(starts_on=w.starts_on, ends_on=w.ends_on,
                                daily_from=w.daily_from, daily_to=w.daily_to))
    session.execute(election.update().where(election.c.id == row.id).values(updated_at=at))
    store_stage(session, row.id, at)
    return sorted(changes, key=programme.SEQ.__getitem__)


# ----------------------------------------------------------------------------- the stage


def store_stage(session: Session, election_id: str, at: datetime) -> str | None:
    """Store the stage the programme has reached at ``at`` and when it next changes."""
    stage, changes_at = programme.reached(windows(session, election_id), at)
    session.execute(election.update().where(election.c.id == election_id).values(
        stage=stage, stage_changes_at=changes_at))
    return stage


_due = (select(election.c.id).where(election.c.stage_changes_at <= bindparam("at"))
        .order_by(election.c.stage_changes_at).limit(bindparam("limit")))


def advance_stages(session: Session, at: datetime, limit: int = 500) -> dict[str, str | None]:
    """Elections whose stored stage changed by ``at`` (the timer's sweep): their new
    stage by id. Locked rows are left to the replica holding them."""
    stmt = _due.with_for_update(skip_locked=True)
    if session.get_bind().dialect.name != "postgresql":
        stmt = _due
    ids = list(session.execute(stmt, {"at": at, "limit": limit}).scalars())
    return {i: store_stage(session, i, at) for i in ids}


def restage_all(session: Session, at: datetime) -> int:
    """Every election's stage again: the rehearsal clock moved (forward or back)."""
    ids = list(session.execute(select(election.c.id)).scalars())
    for election_id in ids:
        store_stage(session, election_id, at)
    return len(ids)


def _store_windows(session: Session, election_id: str, found: list[Window]) -> None:
    session.execute(programme_stage.insert(), [
        {"election_id": election_id, "stage": w.stage, "seq": programme.SEQ[w.stage],
         "starts_on": w.starts_on, "ends_on": w.ends_on, "daily_from": w.daily_from,
         "daily_to": w.daily_to} for w in found])


def booth_row(session: Session, election_id: str, number: int) -> Any:
    row = session.execute(select(polling_booth).where(
        polling_booth.c.election_id == election_id,
        polling_booth.c.number == number)).one_or_none()
    if row is None:
        raise NotFound("No such booth in this election.", {"booth_number": number})
    return row


def assign_officer(session: Session, ctx: CallContext, row: Any,
                   command: contracts.AssignBoothOfficerV1, at: datetime) -> dict:
    booth = booth_row(session, row.id, command.booth_number)
    exists = session.execute(select(booth_officer.c.account_id).where(
        booth_officer.c.booth_id == booth.id,
        booth_officer.c.account_id == command.account_id)).first()
    if exists:
        raise Conflict("This officer is already assigned to the booth.",
                       {"booth_number": command.booth_number})
    session.execute(booth_officer.insert().values(
        booth_id=booth.id, account_id=command.account_id, name=command.name,
        assigned_by=ctx.actor_id, assigned_at=at))
    return {"booth_number": booth.number, "account_id": command.account_id,
            "name": command.name}


# ----------------------------------------------------------------------------- reading


def stage_list(session: Session, election_id: str) -> list[dict]:
    rows = list(session.execute(_stages, {"id": election_id}))
    found = {r.stage: Window(r.stage, r.starts_on, r.ends_on, r.daily_from, r.daily_to)
             for r in rows}
    out = []
    for r in rows:
        w = found[r.stage]
        out.append({
            "stage": r.stage, "seq": r.seq, "title": programme.STAGE_TITLES[r.stage],
            "starts_on": r.starts_on, "ends_on": r.ends_on, "daily_from": r.daily_from,
            "daily_to": r.daily_to, "window": w.describe(), "opens_at": w.opens_at,
            "closes_at": w.closes_at(programme.next_opening(found, r.stage)),
            "done_at": r.done_at})
    return out


def programme_status(session: Session, election_id: str, at: datetime) -> dict:
    found = windows(session, election_id)
    state = programme.status_at(found, done_marks(session, election_id), at)
    nxt = state["next"]
    return {"now": at.astimezone(INDIA), **state,
            "next_opens_at": found[nxt].opens_at if nxt else None}


def election_dict(session: Session, row: Any, at: datetime) -> dict:
    booths = list(session.execute(select(polling_booth).where(
        polling_booth.c.election_id == row.id).order_by(polling_booth.c.number)))
    officers: dict[int, list[dict]] = {}
    for o in session.execute(select(booth_officer).where(booth_officer.c.booth_id.in_(
            [b.id for b in booths]))):
        officers.setdefault(o.booth_id, []).append({"account_id": o.account_id,
                                                    "name": o.name})
    posts = [r.post for r in session.execute(select(election_post.c.post).where(
        election_post.c.election_id == row.id))]
    return contracts.ElectionV1(
        id=row.id, number=row.number, order_ref=row.order_ref, order_date=row.order_date,
        society_id=row.society_id, society_name=row.society_name,
        registration_number=row.registration_number, society_address=row.society_address,
        area_states=row.area_states, returning_officer=row.returning_officer,
        is_bank=row.is_bank, voters_as_on=row.voters_as_on,
        bye_laws_require_proposer=row.bye_laws_require_proposer, status=row.status,
        stage=row.stage, seats=seats(session, row.id),
        bye_law_seats=bye_law_seats(session, row.id),
        posts=posts,
        booths=[{"number": b.number, "location": b.location, "district": b.district,
                 "state": b.state, "voters_assigned": b.voters_assigned,
                 "officers": officers.get(b.id, [])} for b in booths],
        stages=stage_list(session, row.id), programme=programme_status(session, row.id, at),
        created_at=row.created_at, updated_at=row.updated_at).wire()


def list_for(session: Session, ctx: CallContext, query: contracts.ElectionQueryV1,
             at: datetime) -> dict:
    stmt = select(election).order_by(election.c.created_at.desc(), election.c.id)
    if query.society_id:
        stmt = stmt.where(election.c.society_id == query.society_id)
    if query.status:
        stmt = stmt.where(election.c.status == query.status)
    if query.stage:
        stmt = stmt.where(election.c.stage == query.stage)
    if not scopes.is_cea(ctx):
        # An RO's grants name their elections; a society's representative its society.
        mine = [s.partition(":")[2] for s in (ctx.actor_scope or "").split()
                if s.startswith("election:")]
        societies = [s.partition(":")[2] for s in (ctx.actor_scope or "").split()
                     if s.startswith("society:")]
        if ctx.actor_role in (scopes.RO, scopes.ARO):
            stmt = stmt.where(election.c.id.in_(mine))
        elif ctx.actor_role == "society_representative":
            stmt = stmt.where(election.c.society_id.in_(societies))
        else:
            return {"items": [], "next_offset": None}
    if query.stage_open is None:
        # Filtered in SQL (the stored stage): only the page is read and worked out.
        stmt = stmt.limit(query.limit + 1).offset(query.offset)
    items = []
    rows = list(session.execute(stmt))
    for r in rows:
        state = programme.status_at(windows(session, r.id), done_marks(session, r.id), at)
        if query.stage_open and query.stage_open not in state["open"]:
            continue
        items.append({"id": r.id, "number": r.number, "society_id": r.society_id,
                      "society_name": r.society_name, "status": r.status,
                      "stage": r.stage, "open_stages": state["open"],
                      "next_stage": state["next"], "overdue_stages": state["overdue"]})
    if query.stage_open is None:
        more = len(items) > query.limit
        return {"items": items[:query.limit],
                "next_offset": query.offset + query.limit if more else None}
    page = items[query.offset:query.offset + query.limit]
    more = len(items) > query.offset + query.limit
    return {"items": page, "next_offset": query.offset + query.limit if more else None}


def count_by_status(session: Session) -> dict[str, int]:
    return dict(session.execute(select(election.c.status, func.count()).group_by(
        election.c.status)).all())


def dashboard(session: Session, at: datetime) -> dict:
    """The CEA's view: elections by status and by open stage, stages overdue, forms
    waiting for approval (oldest first)."""
    by_stage: dict[str, int] = {}
    overdue = []
    for r in session.execute(select(election.c.id, election.c.number).where(
            election.c.status.in_(("ordered", "board_declared")))):
        state = programme.status_at(windows(session, r.id), done_marks(session, r.id), at)
        for code in state["open"]:
            by_stage[code] = by_stage.get(code, 0) + 1
        if state["overdue"]:
            overdue.append({"election_id": r.id, "number": r.number,
                            "stages": state["overdue"]})
    f = result_form
    waiting = [{"form_id": r.id, "election_id": r.election_id, "number": r.number,
                "form": r.form, "version": r.version, "submitted_at": r.submitted_at}
               for r in session.execute(
                   select(f.c.id, f.c.election_id, election.c.number, f.c.form, f.c.version,
                          f.c.submitted_at)
                   .join(election, election.c.id == f.c.election_id)
                   .where(f.c.status == "submitted").order_by(f.c.submitted_at))]
    at_stage = {stage or "not_started": n for stage, n in session.execute(
        select(election.c.stage, func.count()).where(
            election.c.status.in_(("ordered", "board_declared")))
        .group_by(election.c.stage))}
    return {"now": at.astimezone(INDIA), "by_status": count_by_status(session),
            "at_stage": at_stage, "open_by_stage": by_stage, "overdue": overdue,
            "overdue_count": len(overdue),
            "approvals_waiting": waiting, "approvals_waiting_count": len(waiting)}


def publish_stage(session: Session, row: Any, stage: str, kind: str, entries: int,
                  document_ids: list[str], actor_id: str,
                  at: datetime) -> contracts.StagePublishedV1:
    """A publication stage done: marked once, its ``publication`` row (what, how many,
    which documents) and the event notify sends to the society's members."""
    mark_done(session, row.id, stage, actor_id, at)
    session.execute(publication.insert().values(
        election_id=row.id, kind=kind, published_at=at, published_by=actor_id,
        entries=entries, document_ids=document_ids))
    return contracts.StagePublishedV1(
        election_id=row.id, number=row.number, society_id=row.society_id,
        society_name=row.society_name, stage=stage, title=programme.STAGE_TITLES[stage],
        document_ids=document_ids, published_at=at)
