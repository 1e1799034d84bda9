"""The office bearers' meeting as data (rule 19N): after the board's result is declared,
the RO presides over the meeting of the newly elected board (19N(2)) and records it:
when and where, the elected directors present, who chaired it, and per contested post
the votes each candidate on the post's final contesting list got, with a draw of lots
where the most votes are tied (kept as a ``tie_decision`` of contest ``office_bearer``,
checked by the count's own ``tally``). Form 19N is then printed from this record.

Every problem is named by its field and nothing is kept until all is in order. The
record is replaced while no Form 19N stands submitted or approved (19N(4)), and never
after the office bearers' result is declared (19N(6))."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.call_context import CallContext
from services.common.errors import Conflict, InvalidInput, NotFound, OutsideWindow
from services.common.india import INDIA
from services.elections.counting import entry, tally
from services.elections.nominations.candidates import contest_summary, contesting
from services.elections.orders import orders, programme
from services.elections.tables import (
    declaration,
    election,
    ob_meeting,
    result_form,
    tie_decision,
)

CONTEST = "office_bearer"


def aware(at: datetime) -> datetime:
    """A stored time as an aware one (SQLite answers naive UTC)."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def recorded(session: Session, election_id: str) -> Any:
    return session.execute(select(ob_meeting).where(
        ob_meeting.c.election_id == election_id)).one_or_none()


def board(session: Session, election_id: str) -> list[dict]:
    """The directors elected in the declared Form 19M (empty before the declaration)."""
    found = session.execute(select(declaration.c.elected).where(
        declaration.c.election_id == election_id,
        declaration.c.contest == "board")).scalar()
    return list(found or [])


def contested_posts(summary: dict, standing: dict) -> dict[str, list[dict]]:
    """The posts polled at the meeting (more candidates than the post's seat) and the
    candidates on each one's final contesting list."""
    return {p: standing.get(p, []) for p, s in summary.items() if not s["unopposed"]}


def _ensure_open_to_record(session: Session, row: Any, at: datetime) -> Any:
    if row.status == "office_bearers_declared":
        when = session.execute(select(declaration.c.declared_at).where(
            declaration.c.election_id == row.id,
            declaration.c.contest == CONTEST)).scalar()
        day = aware(when).astimezone(INDIA).strftime("%d-%m-%Y") if when else "earlier"
        raise Conflict(f"The office bearers' result was declared on {day}: the meeting's "
                       "record stands as declared (rule 19N(6)).",
                       {"rule": "19N(6)", "status": row.status})
    if row.status != "board_declared":
        raise Conflict("The office bearers' meeting is the meeting of the newly elected "
                       "board: it follows the declaration of the board's result "
                       "(rule 19N(1)).", {"rule": "19N(1)", "status": row.status})
    form = session.execute(select(result_form).where(
        result_form.c.election_id == row.id, result_form.c.form == "19N")
        .order_by(result_form.c.version.desc()).limit(1)).one_or_none()
    if form is not None and form.status in ("submitted", "approved"):
        raise Conflict(f"Form 19N version {form.version} is {form.status} with the "
                       "meeting as recorded: the record changes only after the CEA "
                       "rejects the form (rule 19N(4)).",
                       {"rule": "19N(4)", "form_id": form.id, "status": form.status})
    windows = orders.windows(session, row.id)
    window = windows["ob_meeting"]
    if at < window.opens_at:
        title = programme.STAGE_TITLES["ob_meeting"]
        raise OutsideWindow(
            f"{title} has not opened yet: its window is {window.describe()}.",
            {"stage": "ob_meeting", "title": title, "window": window.describe(),
             "opens_at": window.opens_at.isoformat(),
             "closes_at": window.closes_at(
                 programme.next_opening(windows, "ob_meeting")).isoformat(),
             "now": at.astimezone(INDIA).isoformat()})
    return window


def record(session: Session, ctx: CallContext, row: Any, command: Any,
           at: datetime) -> dict:
    """Check the whole record, then replace the election's meeting with it."""
    # One recording at a time per election (the first has no row of its own to lock).
    session.execute(select(election.c.id).where(election.c.id == row.id).with_for_update())
    row = orders.election_row(session, row.id)     # as it stands under the lock
    window = _ensure_open_to_record(session, row, at)
    problems: dict[str, str] = {}
    if command.meeting_at < window.opens_at:
        problems["meeting_at"] = (f"before the meeting's window opens "
                                  f"({window.describe()})")
    elif command.meeting_at > at:
        problems["meeting_at"] = "in the future: the meeting is recorded once it is held"
    directors = {d["membership_number"]: d for d in board(session, row.id)}
    present: list[str] = []
    for i, number in enumerate(command.directors_present):
        if number in present:
            problems[f"directors_present.{i}"] = f"{number} is listed twice"
        elif number not in directors:
            problems[f"directors_present.{i}"] = (
                f"{number} is not a director elected in the declared Form 19M "
                "(rule 19N(1): only the elected directors vote)")
        else:
            present.append(number)
    summary = contest_summary(session, row.id, CONTEST)
    polled = contested_posts(summary, contesting(session, row.id, CONTEST))
    for post in command.posts:
        if post not in summary:
            problems[f"posts.{post}"] = "not an office-bearer post of this election"
        elif post not in polled:
            problems[f"posts.{post}"] = ("filled unopposed (rule 19N(4)): no votes are "
                                         "taken for it")
    for post in polled:
        if post not in command.posts:
            problems[f"posts.{post}"] = "missing: the votes of a contested post"
    votes: dict[str, int] = {}
    draws: dict[str, dict] = {}
    for post, given in command.posts.items():
        if post not in polled:
            continue
        mine: dict[str, str] = {}
        on_list = {c["nomination_id"]: c for c in polled[post]}
        for nomination_id in given.votes:
            if nomination_id not in on_list:
                mine[f"posts.{post}.votes.{nomination_id}"] = (
                    "not a candidate on this post's final contesting list")
        for nomination_id, c in on_list.items():
            if nomination_id not in given.votes:
                mine[f"posts.{post}.votes.{nomination_id}"] = (
                    f"missing: {c['candidate_name']} is on the post's final contesting "
                    "list (0 if no votes)")
        total = sum(given.votes.values())
        most = len(present) * summary[post]["seats"]
        if total > most:
            mine[f"posts.{post}.votes"] = (
                f"{total} votes exceed the {len(present)} elected directors present: "
                "each director present votes once for the post")
        if not mine:
            result = tally.category_result(post, summary[post]["seats"], polled[post],
                                           dict(given.votes), unopposed=False)
            tie = result["tie"]
            names = {c["nomination_id"]: c["candidate_name"] for c in polled[post]}
            if tie and given.draw is None:
                mine[f"posts.{post}.draw"] = (
                    "tied at " + str(tie["votes"]) + " votes: "
                    + ", ".join(names[n] for n in tie["tied"])
                    + "; record the RO's draw of lots")
            elif given.draw is not None:
                bad = tally.check_draw(tie, list(given.draw.winners))
                if bad:
                    mine[f"posts.{post}.draw"] = bad.get("winners") or bad["category"]
                else:
                    draws[post] = {"tied": tie["tied"], "winners": list(given.draw.winners),
                                   "note": given.draw.note}
        problems.update(mine)
        votes.update(given.votes)
    if problems:
        raise InvalidInput("The office bearers' meeting is not recorded: "
                           f"{len(problems)} problem(s), nothing was kept.", fields=problems)
    chair = command.chair_name or row.returning_officer["name"]
    session.execute(ob_meeting.delete().where(ob_meeting.c.election_id == row.id))
    session.execute(ob_meeting.insert().values(
        election_id=row.id, meeting_at=command.meeting_at, venue=command.venue,
        chaired_by_ro=command.chaired_by_ro, chair_name=chair,
        directors_present=present, votes=votes, recorded_by=ctx.actor_id,
        recorded_at=at))
    t = tie_decision
    session.execute(t.delete().where(t.c.election_id == row.id, t.c.contest == CONTEST))
    for post, d in draws.items():
        session.execute(t.insert().values(
            election_id=row.id, contest=CONTEST, category=post, tied=d["tied"],
            winners=d["winners"], note=d["note"], decided_by=ctx.actor_id, decided_at=at))
    return meeting_dict(session, row)


def result(session: Session, row: Any, m: Any) -> dict:
    """The meeting's result by post, as the count assembles it."""
    summary = contest_summary(session, row.id, CONTEST)
    standing = contesting(session, row.id, CONTEST)
    polled = contested_posts(summary, standing)
    return entry.assemble(row.id, CONTEST, summary, standing, dict(m.votes),
                          entry.draws(session, row.id, CONTEST), polled=bool(polled),
                          booths_counted=0, cast=len(m.directors_present), rejected=0)


def meeting_dict(session: Session, row: Any) -> dict:
    m = recorded(session, row.id)
    if m is None:
        raise NotFound("No office bearers' meeting is recorded for this election.",
                       {"election_id": row.id})
    directors = {d["membership_number"]: d for d in board(session, row.id)}
    found = result(session, row, m)
    return {"election_id": row.id, "meeting_at": aware(m.meeting_at),
            "venue": m.venue, "chaired_by_ro": m.chaired_by_ro, "chair_name": m.chair_name,
            "directors_in_office": len(directors),
            "directors_present": [
                {"membership_number": n, "candidate_name": directors[n]["candidate_name"],
                 "category": directors[n]["category"]}
                for n in m.directors_present if n in directors],
            "posts": found["categories"], "elected": found["elected"],
            "recorded_by": m.recorded_by, "recorded_at": aware(m.recorded_at)}
