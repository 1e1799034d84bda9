"""Who is standing: the valid (accepted, not withdrawn) nominations of a contest by
category, and what each category comes to against its seats (received, rejected,
withdrawn, contesting; elected unopposed when the contesting do not exceed the seats;
vacant seats beyond them).

The count and Forms 19M/19N read these two functions; they answer plain dicts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from services.common.contracts.elections import BOARD_CATEGORIES
from services.elections.tables import election_post, election_seat, nomination

CONTESTS = ("board", "office_bearer")

_of_contest = (select(nomination)
               .where(nomination.c.election_id == bindparam("election_id"),
                      nomination.c.contest == bindparam("contest"))
               .order_by(nomination.c.candidate_name, nomination.c.membership_number,
                         nomination.c.id))


def seats_by_category(session: Session, election_id: str, contest: str) -> dict[str, int]:
    """Board: seats by category as ordered (every category present). Office bearers:
    one seat per post of the order."""
    if contest == "board":
        found = dict.fromkeys(BOARD_CATEGORIES, 0)
        for r in session.execute(select(election_seat).where(
                election_seat.c.election_id == election_id)):
            found[r.category] = r.seats
        return found
    return {r.post: 1 for r in session.execute(
        select(election_post.c.post).where(election_post.c.election_id == election_id)
        .order_by(election_post.c.post))}


def candidate_dict(row: Any) -> dict[str, Any]:
    return {"nomination_id": row.id, "membership_number": row.membership_number,
            "candidate_name": row.candidate_name, "relative_name": row.relative_name,
            "address": row.address, "mobile": row.mobile, "category": row.category}


def nominations(session: Session, election_id: str, contest: str) -> list[Any]:
    """Every nomination of the contest, by name."""
    return list(session.execute(_of_contest, {"election_id": election_id,
                                              "contest": contest}))


def contesting(session: Session, election_id: str, contest: str) -> dict[str, list[dict]]:
    """The candidates standing in each category (every category of the contest
    present, empty when nobody stands), by name."""
    found: dict[str, list[dict]] = {c: [] for c in seats_by_category(
        session, election_id, contest)}
    for r in nominations(session, election_id, contest):
        if r.status == "accepted":
            found.setdefault(r.category, []).append(candidate_dict(r))
    return found


def contest_summary(session: Session, election_id: str, contest: str) -> dict[str, dict]:
    """Per category: seats, nominations received, rejected, withdrawn, contesting;
    ``unopposed`` when the contesting candidates do not exceed the seats (no poll in
    the category: all of them are elected unopposed, ``elected_unopposed``) and the
    seats left over ``vacant``."""
    seats = seats_by_category(session, election_id, contest)
    rows = nominations(session, election_id, contest)
    out: dict[str, dict] = {}
    for category in {**seats, **{r.category: 0 for r in rows}}:
        mine = [r for r in rows if r.category == category]
        standing = [candidate_dict(r) for r in mine if r.status == "accepted"]
        n_seats = seats.get(category, 0)
        unopposed = len(standing) <= n_seats
        out[category] = {
            "seats": n_seats,
            "received": len(mine),
            "pending": sum(r.status == "filed" for r in mine),
            "rejected": sum(r.status == "rejected" for r in mine),
            "withdrawn": sum(r.status == "withdrawn" for r in mine),
            "contesting": len(standing),
            "unopposed": unopposed,
            "elected_unopposed": standing if unopposed else [],
            "vacant": max(n_seats - len(standing), 0),
        }
    return out
