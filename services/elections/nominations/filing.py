"""Filing a nomination: who may stand (a voter on the final list; for office bearers a
director elected in the approved Form 19M), proposer and seconder where the bye-laws
require them, one nomination per person per category, and the reading of nominations
(the notice board's list once they are displayed)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.contracts import elections_nominations as contracts
from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.elections import scopes
from services.elections.nominations import candidates
from services.elections.nominations.identity import identity_digest, valid_aadhaar
from services.elections.tables import declaration, nomination, programme_stage

# The stage of each step, by contest.
FILING = {"board": "nominations", "office_bearer": "ob_nominations"}
SCRUTINY = {"board": "nomination_scrutiny", "office_bearer": "ob_scrutiny"}
WITHDRAWAL = {"board": "withdrawal", "office_bearer": "ob_withdrawal"}
CONTESTING = {"board": "contesting_list", "office_bearer": "ob_contesting_list"}

ONLY_VOTERS = "only voters on the final list may stand"
ONLY_ELECTED = ("only directors elected in the approved Form 19M may stand for office; "
                "nominated or co-opted directors cannot")

_by_id = select(nomination).where(nomination.c.id == bindparam("id"),
                                  nomination.c.election_id == bindparam("election_id"))


def final_voter(session: Session, election_id: str, membership_number: str) -> Any:
    """The voter on the published final list, or None (the voter list's own answer)."""
    from services.elections.voters.lists import final_voter as on_final_list
    found = on_final_list(session, election_id, membership_number)
    if found is None or not getattr(found, "on_list", True):
        return None
    return found


def nomination_row(session: Session, election_id: str, nomination_id: str) -> Any:
    row = session.execute(_by_id, {"id": nomination_id,
                                   "election_id": election_id}).one_or_none()
    if row is None:
        raise NotFound("No such nomination in this election.",
                       {"nomination_id": nomination_id})
    return row


def is_society_representative(ctx: CallContext, row: Any) -> bool:
    return (ctx.actor_role == "society_representative"
            and f"society:{row.society_id}" in (ctx.actor_scope or "").split())


def ensure_filer(ctx: CallContext, row: Any, action: str) -> None:
    """The election's RO or ARO, or a representative of the election's society."""
    scopes.ensure_visible(ctx, row)
    if not (scopes.runs(ctx, row.id) or is_society_representative(ctx, row)):
        raise Forbidden(f"Only this election's returning officers or the society's "
                        f"representative may {action}.",
                        {"required_roles": [scopes.RO, scopes.ARO, "society_representative"],
                         "your_role": ctx.actor_role})


def declared_board(session: Session, election_id: str) -> list[dict] | None:
    found = session.execute(select(declaration.c.elected).where(
        declaration.c.election_id == election_id,
        declaration.c.contest == "board")).scalar()
    return None if found is None else list(found)


def _check_category(session: Session, election_id: str, contest: str, category: str) -> None:
    allowed = candidates.seats_by_category(session, election_id, contest)
    if category not in allowed:
        what = "post" if contest == "office_bearer" else "board category"
        raise InvalidInput(f"Not a {what} of this election.", fields={
            "category": f"not a {what} of this election; they are "
                        + ", ".join(sorted(allowed))})


def file(session: Session, ctx: CallContext, row: Any,
         command: contracts.FileNominationV1, at: datetime) -> str:
    """Record the nomination (status ``filed``); the stage was checked by the caller."""
    _check_category(session, row.id, command.contest, command.category)
    bad: dict[str, str] = {}
    if final_voter(session, row.id, command.membership_number) is None:
        bad["membership_number"] = f"not on the final voter list: {ONLY_VOTERS}"
    if row.bye_laws_require_proposer:
        for field in ("proposer_number", "seconder_number"):
            number = getattr(command, field)
            who = field.removesuffix("_number")
            if number is None:
                bad[field] = f"the bye-laws require a {who}"
            elif final_voter(session, row.id, number) is None:
                bad[field] = f"the {who} must be a voter on the final list"
            elif number == command.membership_number:
                bad[field] = f"the candidate cannot be their own {who}"
        if (command.proposer_number and command.proposer_number == command.seconder_number
                and "seconder_number" not in bad):
            bad["seconder_number"] = "the seconder must be another voter than the proposer"
    if not valid_aadhaar(command.aadhaar):
        bad["aadhaar"] = ("not a valid Aadhaar number (12 digits, the first 2-9, with its "
                          "Verhoeff check digit)")
    if command.central_govt_employee is False and command.permission_document_id:
        bad["permission_document_id"] = "only for a central government employee"
    if command.contest == "office_bearer":
        elected = declared_board(session, row.id)
        if elected is None:
            raise Conflict("Office bearers are elected after the board's result is "
                           "declared.", {"election_id": row.id, "stage": "board_declaration"})
        if command.director_kind not in (None, "elected"):
            bad["director_kind"] = f"a {command.director_kind} director: {ONLY_ELECTED}"
        elif command.membership_number not in {e.get("membership_number") for e in elected}:
            bad.setdefault("membership_number",
                           f"not a director elected in Form 19M: {ONLY_ELECTED}")
    elif command.director_kind is not None:
        bad["director_kind"] = "only for office-bearer nominations"
    if bad:
        rule = ONLY_VOTERS if "not on the final voter list" in bad.get(
            "membership_number", "") else "The nomination cannot be filed"
        raise InvalidInput(f"{rule[0].upper()}{rule[1:]}; see details.fields.", fields=bad)
    digest = identity_digest(command.aadhaar)
    n = nomination
    twice = session.execute(select(n.c.id).where(
        n.c.election_id == row.id, n.c.contest == command.contest,
        n.c.category == command.category,
        (n.c.membership_number == command.membership_number)
        | (n.c.identity_digest == digest))).first()
    if twice:
        raise Conflict("This person has already been nominated in this category: one "
                       "nomination per person per category.",
                       {"nomination_id": twice.id, "category": command.category,
                        "membership_number": command.membership_number})
    nomination_id = str(uuid.uuid4())
    session.execute(n.insert().values(
        id=nomination_id, election_id=row.id, contest=command.contest,
        category=command.category, membership_number=command.membership_number,
        candidate_name=command.candidate_name, relative_name=command.relative_name,
        address=command.address, mobile=command.mobile, identity_digest=digest,
        proposer_number=command.proposer_number, seconder_number=command.seconder_number,
        central_govt_employee=command.central_govt_employee,
        permission_document_id=command.permission_document_id,
        bank_director_since=command.bank_director_since,
        director_kind=("elected" if command.contest == "office_bearer"
                       else command.director_kind),
        filed_by=ctx.actor_id, filed_at=at, status="filed", reasons=None))
    return nomination_id


def nomination_dict(row: Any, *, public: bool = False) -> dict:
    return contracts.NominationV1(
        id=row.id, election_id=row.election_id, contest=row.contest, category=row.category,
        membership_number=row.membership_number, candidate_name=row.candidate_name,
        relative_name=row.relative_name, address=row.address,
        mobile=None if public else row.mobile, proposer_number=row.proposer_number,
        seconder_number=row.seconder_number, central_govt_employee=row.central_govt_employee,
        permission_document_id=None if public else row.permission_document_id,
        bank_director_since=row.bank_director_since, director_kind=row.director_kind,
        filed_by=row.filed_by, filed_at=row.filed_at, status=row.status,
        reasons=row.reasons or [], decided_by=row.decided_by, decided_at=row.decided_at,
        withdrawn_at=row.withdrawn_at).wire()


def stage_done(session: Session, election_id: str, stage: str) -> Any:
    return session.execute(select(programme_stage.c.done_at).where(
        programme_stage.c.election_id == election_id,
        programme_stage.c.stage == stage)).scalar()


def pending(session: Session, election_id: str, contest: str) -> int:
    n = nomination
    return session.execute(select(func.count()).select_from(n).where(
        n.c.election_id == election_id, n.c.contest == contest,
        n.c.status == "filed")).scalar() or 0


def list_for(session: Session, ctx: CallContext, row: Any,
             query: contracts.NominationQueryV1) -> dict:
    """Officers and the CEA always; anyone else once the nominations are displayed
    (the notice board), without mobile numbers or permission documents."""
    insider = scopes.is_cea(ctx) or scopes.runs(ctx, row.id)
    if not insider and stage_done(session, row.id, "nomination_display") is None:
        raise NotFound("The nominations have not been displayed yet.",
                       {"election_id": row.id, "stage": "nomination_display"})
    n = nomination
    stmt = select(n).where(n.c.election_id == row.id)
    if query.contest:
        stmt = stmt.where(n.c.contest == query.contest)
    if query.category:
        stmt = stmt.where(n.c.category == query.category)
    if query.status:
        stmt = stmt.where(n.c.status == query.status)
    stmt = (stmt.order_by(n.c.contest, n.c.category, n.c.filed_at, n.c.id)
            .limit(query.limit + 1).offset(query.offset))
    rows = list(session.execute(stmt))
    more = len(rows) > query.limit
    return {"items": [nomination_dict(r, public=not insider) for r in rows[:query.limit]],
            "next_offset": query.offset + query.limit if more else None}
