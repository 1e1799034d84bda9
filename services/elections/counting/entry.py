"""Booth results by double entry: two different officers assigned to the booth enter
its figures; equal entries make the booth's result, different ones go to the RO's
reconciliation queue (neither counts) until the RO records the figure that does.

Then the count: only when every booth has a result that counts; totals, winners by
category, ties at the last seat (see tally.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.errors import Conflict, Forbidden, InvalidInput
from services.elections.counting import tally
from services.elections.nominations.candidates import contest_summary, contesting
from services.elections.orders import orders
from services.elections.tables import (
    booth_entry,
    booth_officer,
    booth_result,
    polling_booth,
    tie_decision,
)
from services.elections.voters import booths

COUNTS = ("matched", "reconciled")


def ballot(session: Session, election_id: str, contest: str = "board") -> tuple[
        dict[str, list[dict]], dict[str, dict]]:
    """(candidates on the ballot by polled category, the contest's summary)."""
    summary = contest_summary(session, election_id, contest)
    standing = contesting(session, election_id, contest)
    polled = {c: standing.get(c, []) for c, s in summary.items() if not s["unopposed"]}
    return polled, summary


def check_figures(voters: int, polled: dict[str, list[dict]], summary: dict[str, dict],
                  figures: Any) -> None:
    """Refuse figures that cannot be right, every problem named by its field. ``voters``:
    the booth's voters (``booths.voters_at``)."""
    problems: dict[str, str] = {}
    on_ballot = {c["nomination_id"]: cat for cat, cands in polled.items() for c in cands}
    for nomination_id in figures.votes:
        if nomination_id not in on_ballot:
            problems[f"votes.{nomination_id}"] = "not a contesting candidate on the ballot"
    for nomination_id in on_ballot:
        if nomination_id not in figures.votes:
            problems[f"votes.{nomination_id}"] = ("missing: every contesting candidate "
                                                  "must appear (0 if no votes)")
    if figures.votes_cast > voters:
        problems["votes_cast"] = (f"{figures.votes_cast} exceeds the booth's "
                                  f"{voters} voters: no booth may report "
                                  "more votes than its voters")
    if figures.rejected > figures.votes_cast:
        problems["rejected"] = "more ballots rejected than cast"
    valid = max(figures.votes_cast - figures.rejected, 0)
    for cat, cands in polled.items():
        seats = summary[cat]["seats"]
        total = sum(figures.votes.get(c["nomination_id"], 0) for c in cands)
        if total > valid * seats:
            problems[f"votes.{cat}"] = (
                f"{total} votes in {cat} exceed the valid ballots ({valid}) times its "
                f"{seats} seat(s): a voter votes for at most every seat")
    if problems:
        raise InvalidInput("The booth's figures do not add up.", fields=problems)


def _booth_locked(session: Session, election_id: str, number: int) -> Any:
    booth = orders.booth_row(session, election_id, number)
    session.execute(select(polling_booth.c.id).where(polling_booth.c.id == booth.id)
                    .with_for_update())
    return booth


def enter(session: Session, ctx: CallContext, row: Any, command: Any,
          at: datetime) -> dict:
    booth = _booth_locked(session, row.id, command.booth_number)
    assigned = session.execute(select(booth_officer.c.account_id).where(
        booth_officer.c.booth_id == booth.id,
        booth_officer.c.account_id == ctx.actor_id)).first()
    if assigned is None:
        raise Forbidden(f"Only an officer assigned to booth {booth.number} may enter its "
                        "result.", {"booth_number": booth.number})
    polled, summary = ballot(session, row.id, command.contest)
    if not polled:
        raise Conflict("Every category was filled unopposed: there was no poll to "
                       "count.", {"contest": command.contest})
    check_figures(booths.voters_at(session, row.id, booth), polled, summary, command)
    entries = list(session.execute(select(booth_entry).where(
        booth_entry.c.booth_id == booth.id, booth_entry.c.contest == command.contest)))
    if any(e.account_id == ctx.actor_id for e in entries):
        raise Conflict("You already entered this booth's result: the second entry must "
                       "be made by a different officer.", {"booth_number": booth.number})
    if len(entries) >= 2:
        raise Conflict("This booth's result was already entered twice.",
                       {"booth_number": booth.number})
    figures = {"votes_cast": command.votes_cast, "rejected": command.rejected,
               "votes": dict(command.votes)}
    session.execute(booth_entry.insert().values(
        booth_id=booth.id, election_id=row.id, contest=command.contest,
        account_id=ctx.actor_id, entered_at=at, **figures))
    if not entries:
        return {"booth_number": booth.number, "contest": command.contest, "entries": 1,
                "status": "awaiting_second_entry"}
    first = entries[0]
    same = (first.votes_cast == command.votes_cast and first.rejected == command.rejected
            and dict(first.votes) == figures["votes"])
    status = "matched" if same else "mismatch"
    values = figures if same else {"votes_cast": None, "rejected": None, "votes": None}
    session.execute(booth_result.insert().values(
        booth_id=booth.id, contest=command.contest, election_id=row.id, status=status,
        updated_at=at, **values))
    return {"booth_number": booth.number, "contest": command.contest, "entries": 2,
            "status": status}


def queue(session: Session, election_id: str, contest: str) -> list[dict]:
    rows = list(session.execute(
        select(polling_booth, booth_result.c.status)
        .join(booth_result, booth_result.c.booth_id == polling_booth.c.id)
        .where(booth_result.c.election_id == election_id, booth_result.c.contest == contest,
               booth_result.c.status == "mismatch").order_by(polling_booth.c.number)))
    entries: dict[int, list[dict]] = {}
    if rows:
        for e in session.execute(select(booth_entry).where(
                booth_entry.c.booth_id.in_([r.id for r in rows]),
                booth_entry.c.contest == contest).order_by(booth_entry.c.id)):
            entries.setdefault(e.booth_id, []).append({
                "account_id": e.account_id, "votes_cast": e.votes_cast,
                "rejected": e.rejected, "votes": e.votes, "entered_at": e.entered_at})
    return [{"booth_number": r.number, "location": r.location,
             "voters_assigned": r.voters_assigned, "entries": entries.get(r.id, [])}
            for r in rows]


def reconcile(session: Session, ctx: CallContext, row: Any, command: Any,
              at: datetime) -> dict:
    booth = _booth_locked(session, row.id, command.booth_number)
    found = session.execute(select(booth_result).where(
        booth_result.c.booth_id == booth.id,
        booth_result.c.contest == command.contest)).one_or_none()
    if found is None or found.status != "mismatch":
        raise Conflict("Only a booth whose two entries differ is reconciled.",
                       {"booth_number": booth.number,
                        "status": found.status if found else "not entered"})
    polled, summary = ballot(session, row.id, command.contest)
    check_figures(booths.voters_at(session, row.id, booth), polled, summary, command)
    session.execute(booth_result.update().where(
        booth_result.c.booth_id == booth.id, booth_result.c.contest == command.contest)
        .values(status="reconciled", votes_cast=command.votes_cast,
                rejected=command.rejected, votes=dict(command.votes),
                reconciled_by=ctx.actor_id, reason=command.reason, updated_at=at))
    return result_dict(booth, session.execute(select(booth_result).where(
        booth_result.c.booth_id == booth.id,
        booth_result.c.contest == command.contest)).one())


def result_dict(booth: Any, r: Any) -> dict:
    return {"booth_number": booth.number, "contest": r.contest, "status": r.status,
            "votes_cast": r.votes_cast, "rejected": r.rejected, "votes": r.votes,
            "reconciled_by": r.reconciled_by, "reason": r.reason,
            "updated_at": r.updated_at}


def draws(session: Session, election_id: str, contest: str) -> dict[str, dict]:
    return {r.category: {"tied": r.tied, "winners": r.winners, "note": r.note,
                         "decided_by": r.decided_by}
            for r in session.execute(select(tie_decision).where(
                tie_decision.c.election_id == election_id,
                tie_decision.c.contest == contest))}


def count(session: Session, election_id: str, contest: str = "board") -> dict:
    """The board's count; Conflict (409) listing the booths pending while any booth has
    no result that counts (only when some category is polled)."""
    polled, summary = ballot(session, election_id, contest)
    standing = contesting(session, election_id, contest)
    figures: list[dict] = []
    booths_counted = 0
    if polled:
        booths = {r.id: r.number for r in session.execute(
            select(polling_booth.c.id, polling_booth.c.number)
            .where(polling_booth.c.election_id == election_id))}
        results = {r.booth_id: r for r in session.execute(select(booth_result).where(
            booth_result.c.election_id == election_id, booth_result.c.contest == contest))}
        pending = sorted(n for i, n in booths.items()
                         if i not in results or results[i].status not in COUNTS)
        if pending:
            mismatched = sorted(booths[i] for i, r in results.items()
                                if r.status == "mismatch")
            raise Conflict(f"The count waits for {len(pending)} booth(s) without a "
                           "matched or reconciled result.",
                           {"pending_booths": pending, "mismatched_booths": mismatched})
        figures = [{"votes_cast": r.votes_cast, "rejected": r.rejected, "votes": r.votes}
                   for r in results.values()]
        booths_counted = len(figures)
    cast, rejected, votes = tally.totals(figures)
    return assemble(election_id, contest, summary, standing, votes,
                    draws(session, election_id, contest), polled=bool(polled),
                    booths_counted=booths_counted, cast=cast, rejected=rejected)


def assemble(election_id: str, contest: str, summary: dict, standing: dict,
             votes: dict[str, int], found_draws: dict, *, polled: bool,
             booths_counted: int, cast: int, rejected: int) -> dict:
    categories, ties, elected = {}, [], []
    for cat, s in summary.items():
        result = tally.category_result(cat, s["seats"], standing.get(cat, []), votes,
                                       unopposed=s["unopposed"],
                                       draw=found_draws.get(cat))
        categories[cat] = result
        if result["tie"]:
            ties.append(result["tie"])
        for c in result["candidates"]:
            if c["elected"]:
                elected.append(c)
    return {"election_id": election_id, "contest": contest, "polled": polled,
            "booths_counted": booths_counted, "votes_cast": cast, "rejected": rejected,
            "categories": categories, "ties": ties, "complete": not ties,
            "elected": elected if not ties else []}


def resolve_tie(session: Session, ctx: CallContext, row: Any, command: Any,
                at: datetime) -> dict:
    result = count(session, row.id, command.contest)
    if command.category not in result["categories"]:
        raise InvalidInput("No such category in this contest.",
                           fields={"category": "not a category of the contest"})
    tie = result["categories"][command.category]["tie"]
    problems = tally.check_draw(tie, command.winners)
    if problems:
        raise InvalidInput("The draw of lots does not settle the tie.", fields=problems)
    values = {"election_id": row.id, "contest": command.contest,
              "category": command.category, "tied": tie["tied"],
              "winners": list(command.winners), "note": command.note,
              "decided_by": ctx.actor_id, "decided_at": at}
    t = tie_decision
    session.execute(t.delete().where(   # a stale draw (figures since reconciled)
        t.c.election_id == row.id, t.c.contest == command.contest,
        t.c.category == command.category))
    session.execute(t.insert().values(**values))
    return values
