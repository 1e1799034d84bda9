"""Scrutiny and withdrawal. ``scrutinise`` finds every disqualification the data can
prove; any of them forces rejection (the RO cannot accept over it). The RO may reject
for other reasons too, stated in words.

What the data proves:
- the candidate is not on the final voter list (only voters may stand);
- a disqualification order in force on the scrutiny date for the same person (by the
  identity digest), from any society's election (rule 19V: 3 years for not lodging an
  account of election expenses; and others the CEA records);
- a director of a bank whose continuous tenure on the scrutiny date exceeds 10 years
  (Banking Regulation Act s.10A(2A) as amended from 1 August 2025; board contest),
  the chairperson excepted: the section excludes the chairperson and whole-time
  directors, and the data proves the chairperson (the society's newest office-bearer
  result declared on the platform, in an earlier election, put this member in the chair:
  chairman or president). Nothing on the platform records a whole-time director, so
  that exception stays the RO's to establish outside the data (not proven here);
- a central government employee without the prior permission (para 22, Annexure V).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.errors import Conflict, InvalidInput
from services.common.india import INDIA
from services.elections.nominations import filing
from services.elections.tables import declaration, disqualification, election, nomination

BR_ACT_FROM = date(2025, 8, 1)
BR_ACT_YEARS = 10
# The chair of Form 19N: Chairperson (chairman) or President.
CHAIR_POSTS = ("chairman", "president")


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:              # 29 February
        return d.replace(year=d.year + years, day=28)


def tenure_exceeded(since: date | None, on: date) -> bool:
    """A bank director continuously since ``since`` is past the BR Act's 10 years on
    ``on`` (the rule applies from 1 August 2025; exactly 10 years is not past it)."""
    return (since is not None and on >= BR_ACT_FROM
            and on > add_years(since, BR_ACT_YEARS))


def sitting_chairperson(session: Session, current: Any, membership_number: str) -> Any:
    """The society's newest office-bearer result declared in an earlier election on the
    platform, if it elected this member to the chair (else None)."""
    newest = session.execute(
        select(declaration.c.elected, declaration.c.declared_at, election.c.number)
        .join(election, election.c.id == declaration.c.election_id)
        .where(election.c.society_id == current.society_id, election.c.id != current.id,
               declaration.c.contest == "office_bearer")
        .order_by(declaration.c.declared_at.desc()).limit(1)).first()
    if newest is None:
        return None
    chair = [e for e in newest.elected if e.get("category") in CHAIR_POSTS
             and e.get("membership_number") == membership_number]
    return newest if chair else None


def india_date(at: datetime) -> date:
    return at.astimezone(INDIA).date()


def in_force(session: Session, digest: str, on: date) -> list[Any]:
    d = disqualification
    return list(session.execute(select(d).where(
        d.c.identity_digest == digest, d.c.order_date <= on, d.c.until >= on)
        .order_by(d.c.order_date, d.c.id)))


def scrutinise(session: Session, election: Any, row: Any, on: date) -> list[dict]:
    """The disqualifications of nomination ``row`` the data proves on ``on``:
    ``[{code, rule, reason}]``, empty when none."""
    found: list[dict] = []
    if filing.final_voter(session, election.id, row.membership_number) is None:
        found.append({"code": "not_a_voter", "rule": "rule 19I / para 13",
                      "reason": "Not on the final voter list: " + filing.ONLY_VOTERS + "."})
    for order in in_force(session, row.identity_digest, on):
        found.append({"code": "disqualified", "rule": f"rule {order.rule}",
                      "reason": f"Disqualified by order {order.order_ref} of "
                                f"{order.order_date.isoformat()} until "
                                f"{order.until.isoformat()}: {order.reason}"})
    if (election.is_bank and row.contest == "board"
            and tenure_exceeded(row.bank_director_since, on)
            and sitting_chairperson(session, election, row.membership_number) is None):
        found.append({"code": "bank_director_tenure",
                      "rule": "Banking Regulation Act s.10A(2A) (from 1 August 2025)",
                      "reason": "A director of the bank continuously since "
                                f"{row.bank_director_since.isoformat()}: more than "
                                f"{BR_ACT_YEARS} years on {on.isoformat()} (chairperson "
                                "and whole-time directors excepted)."})
    if row.central_govt_employee and not row.permission_document_id:
        found.append({"code": "no_government_permission", "rule": "para 22, Annexure V",
                      "reason": "A central government employee without the prior "
                                "permission of the competent authority."})
    return found


def decide(session: Session, ctx: CallContext, election: Any, row: Any, decision: str,
           reasons: list[str], at: datetime) -> list[dict]:
    """Accept or reject ``row``; answers the proven disqualifications."""
    if row.status != "filed":
        raise Conflict(f"The nomination was already decided ({row.status}).",
                       {"nomination_id": row.id, "status": row.status})
    proven = scrutinise(session, election, row, india_date(at))
    if decision == "accept":
        if proven:
            raise Conflict("The nomination must be rejected: " + "; ".join(
                p["reason"] for p in proven),
                {"nomination_id": row.id, "disqualifications": proven})
        stored: list[dict] = [{"code": "returning_officer", "rule": "scrutiny",
                               "reason": r} for r in reasons]
        status = "accepted"
    else:
        if not proven and not reasons:
            raise InvalidInput("A rejection needs its reasons.", fields={
                "reasons": "give the reasons for rejecting (none is proven by the data)"})
        stored = proven + [{"code": "returning_officer", "rule": "scrutiny", "reason": r}
                           for r in reasons]
        status = "rejected"
    done = session.execute(nomination.update().where(
        nomination.c.id == row.id, nomination.c.status == "filed").values(
        status=status, reasons=stored, decided_by=ctx.actor_id, decided_at=at))
    if done.rowcount != 1:
        raise Conflict("The nomination was decided meanwhile.", {"nomination_id": row.id})
    return proven


def withdraw(session: Session, row: Any, at: datetime) -> None:
    if row.status != "accepted":
        raise Conflict("Only an accepted nomination can be withdrawn.",
                       {"nomination_id": row.id, "status": row.status})
    done = session.execute(nomination.update().where(
        nomination.c.id == row.id, nomination.c.status == "accepted").values(
        status="withdrawn", withdrawn_at=at))
    if done.rowcount != 1:
        raise Conflict("The nomination changed meanwhile.", {"nomination_id": row.id})
