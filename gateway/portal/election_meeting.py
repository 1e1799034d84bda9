"""The office bearers' meeting (rule 19N) as the RO records it: the page shows the
meeting as recorded (``GET /v1/elections/{id}/office-bearers/meeting``: when, where,
the chair, the elected directors present, each post's result) or says none is, and
offers the RO the form of ``PUT .../office-bearers/meeting``: the day and time (IST),
the venue, the directors present (a box for each director the board's declaration
names), who chaired it, and for each contested post the votes of every candidate on
its final contesting list, with the draw of lots where the most votes are tied.

What the page can check it checks first, beside the field, in the visitor's language;
what only the service knows (a director not elected in Form 19M, a tie without a draw,
a post filled unopposed, the board not declared yet, Form 19N already submitted) comes
back beside its field or the form, in the service's words naming the rule after a lead
in the visitor's language, with what was typed kept. Form 19N is then printed from the
record (``election_count``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from gateway.access import ActorDep
from gateway.deps import CallContextDep, RpcDep
from gateway.portal.case_hearings import TIME, parse_day
from gateway.portal.election_pages import (
    REFUSALS,
    RO,
    grants,
    public_context,
    refusal_status,
    refusal_text,
)
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import gettext, render
from gateway.portal.session import read_form
from gateway.routes.elections import ElectionId
from services.common.errors import InvalidInput, NotFound
from services.common.india import INDIA

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

CONTEST = "office_bearer"
MAX_VOTES = 10_000_000
MAX_VENUE, MAX_CHAIR, MIN_NOTE, MAX_NOTE = 500, 200, 3, 4000


async def recorded_meeting(rpc, context, election_id: str) -> dict[str, Any] | None:
    """The meeting as recorded, or None while none is (the service's 404)."""
    try:
        return await rpc.call("elections", "get_ob_meeting", {"election_id": election_id},
                              context=context)
    except NotFound:
        return None


async def _board(rpc, context, election_id: str) -> list[dict[str, Any]]:
    """The directors the board's declaration names (none before it)."""
    declared = await rpc.call("elections", "list_declarations",
                              {"election_id": election_id}, context=context)
    for item in declared["items"]:
        if item["contest"] == "board":
            return list(item["elected"])
    return []


async def _posts(rpc, context, election_id: str) -> dict[str, dict[str, Any]]:
    """Each contested office-bearer post (more candidates than its seats) with the
    candidates on its final contesting list, asked as the public route asks it."""
    try:
        contest = await rpc.call("elections", "contesting_candidates", {
            "election_id": election_id, "contest": CONTEST}, context=public_context(context))
    except NotFound:
        return {}
    return {post: {"seats": contest["summary"].get(post, {}).get("seats", 1),
                   "candidates": people}
            for post, people in contest["candidates"].items()
            if not contest["summary"].get(post, {}).get("unopposed")}


def _tied(votes: dict[str, int], seats: int) -> bool:
    """Whether the last seat's votes are shared with a candidate left out."""
    ordered = sorted(votes.values(), reverse=True)
    return seats < len(ordered) and ordered[seats - 1] == ordered[seats]


def read_meeting(request: Request, form, posts: dict[str, dict[str, Any]],
                 board_numbers: set[str], now: datetime | None = None
                 ) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    """The posted meeting as ``record_ob_meeting``'s payload (without the election),
    each field's error the page can tell, and what was typed."""
    _ = gettext(request)
    typed: dict[str, Any] = {name: str(form.get(name, "")).strip() for name in (
        "meeting_day", "meeting_time", "venue", "chaired_by_ro", "chair_name")}
    typed["present"] = [str(v) for v in form.getlist("present")]
    errors: dict[str, str] = {}
    day, clock = parse_day(typed["meeting_day"]), TIME.match(typed["meeting_time"])
    payload: dict[str, Any] = {}
    if day is None:
        errors["meeting_day"] = _("The day of the meeting, as 15-01-2027.")
    if clock is None:
        errors["meeting_time"] = _("The time of the meeting (IST), as 11:00.")
    if day is not None and clock is not None:
        at = datetime(day.year, day.month, day.day, int(clock[1]), int(clock[2]),
                      tzinfo=INDIA)
        if now is not None and at > now:
            errors["meeting_day"] = _("The meeting is recorded once it is held: a day "
                                      "and time not later than now.")
        payload["meeting_at"] = at.isoformat()
    if not typed["venue"] or len(typed["venue"]) > MAX_VENUE:
        errors["venue"] = _("Where the meeting was held (up to 500 characters).")
    payload["venue"] = typed["venue"]
    present = [n for n in typed["present"] if n in board_numbers]
    if not present or len(present) != len(typed["present"]):
        errors["present"] = _("Tick the elected directors present (at least one).")
    payload["directors_present"] = present
    chaired = typed["chaired_by_ro"] != "no"
    payload["chaired_by_ro"] = chaired
    payload["chair_name"] = None
    if not chaired:
        if not typed["chair_name"] or len(typed["chair_name"]) > MAX_CHAIR:
            errors["chair_name"] = _("Name who chaired the meeting (up to 200 characters).")
        payload["chair_name"] = typed["chair_name"] or None
    payload["posts"] = {}
    for post, found in posts.items():
        votes: dict[str, int] = {}
        for person in found["candidates"]:
            name = f"v_{post}_{person['nomination_id']}"
            raw = str(form.get(name, "")).strip()
            typed[name] = raw
            if not raw.isdigit() or int(raw) > MAX_VOTES:
                errors[name] = _("A whole number of votes, 0 or more.")
            else:
                votes[person["nomination_id"]] = int(raw)
        winners = [str(v) for v in form.getlist(f"draw_{post}")]
        note = str(form.get(f"note_{post}", "")).strip()
        typed[f"draw_{post}"], typed[f"note_{post}"] = winners, note
        entry: dict[str, Any] = {"votes": votes, "draw": None}
        if len(votes) == len(found["candidates"]) and sum(votes.values()) > len(
                present) * found["seats"]:
            errors[f"post_{post}"] = _("More votes than the directors present: each "
                                       "director present votes once for the post.")
        if winners or note:
            if not winners:
                errors[f"draw_{post}"] = _("Tick whom the draw of lots chose.")
            if not MIN_NOTE <= len(note) <= MAX_NOTE:
                errors[f"note_{post}"] = _("Write how the draw of lots was held: who "
                                           "drew, before whom (3 to 4,000 characters).")
            entry["draw"] = {"winners": winners, "note": note}
        elif len(votes) == len(found["candidates"]) and _tied(votes, found["seats"]):
            errors[f"draw_{post}"] = _("The most votes are tied: record the Returning "
                                       "Officer's draw of lots.")
        payload["posts"][post] = entry
    return payload, errors, typed


def field_of(path: str, posts: dict[str, dict[str, Any]]) -> str:
    """The page's field for a path the service names in its refusal."""
    parts = path.split(".")
    if parts[0] == "meeting_at":
        return "meeting_day"
    if parts[0] == "directors_present":
        return "present"
    if parts[0] in ("venue", "chair_name"):
        return parts[0]
    if parts[0] == "posts" and len(parts) > 1:
        post = parts[1]
        if post in posts and len(parts) == 4 and parts[2] == "votes" and any(
                p["nomination_id"] == parts[3] for p in posts[post]["candidates"]):
            return f"v_{post}_{parts[3]}"
        if post in posts and len(parts) >= 3 and parts[2] == "draw":
            return f"draw_{post}"
        if post in posts:
            return f"post_{post}"
    return "form"


def refusal_errors(request: Request, refused: Exception,
                   posts: dict[str, dict[str, Any]]) -> dict[str, str]:
    """The service's refusal beside the form, and each problem it names beside its
    field (the service's words after a lead in the visitor's language)."""
    _ = gettext(request)
    errors: dict[str, str] = {"form": refusal_text(request, refused)}
    fields = refused.fields if isinstance(refused, InvalidInput) else {}
    for path, problem in fields.items():
        name = field_of(str(path), posts)
        text = _("The election service refused this: %(reason)s") % {"reason": problem}
        if name == "form":
            errors["form"] = f"{errors['form']} {problem}"
        else:
            errors[name] = f"{errors[name]} {text}" if name in errors else text
    return errors


def typed_from(meeting: dict[str, Any] | None, board: list[dict[str, Any]]
               ) -> dict[str, Any]:
    """The form's values: the meeting as recorded (to record it again), else every
    director present and the RO in the chair."""
    if meeting is None:
        return {"present": [d["membership_number"] for d in board], "chaired_by_ro": "yes"}
    at = datetime.fromisoformat(str(meeting["meeting_at"])).astimezone(INDIA)
    typed: dict[str, Any] = {
        "meeting_day": at.strftime("%d-%m-%Y"), "meeting_time": at.strftime("%H:%M"),
        "venue": meeting["venue"], "chaired_by_ro": "yes" if meeting["chaired_by_ro"]
        else "no", "chair_name": "" if meeting["chaired_by_ro"] else meeting["chair_name"],
        "present": [d["membership_number"] for d in meeting["directors_present"]]}
    for post, found in meeting["posts"].items():
        draw = found.get("draw") or {}
        typed[f"draw_{post}"] = list(draw.get("winners") or [])
        typed[f"note_{post}"] = draw.get("note") or ""
        for person in found["candidates"]:
            if person.get("votes") is not None:
                typed[f"v_{post}_{person['nomination_id']}"] = str(person["votes"])
    return typed


async def _page(request: Request, rpc, context, actor, election_id: str, *,
                status_code: int = 200, errors: dict[str, str] | None = None,
                typed: dict[str, Any] | None = None, posts=None, board=None):
    election = await rpc.call("elections", "get_election", {"election_id": election_id},
                              context=context)
    meeting = await recorded_meeting(rpc, context, election_id)
    is_ro = RO in grants(actor, election_id)
    if is_ro and board is None:
        board = await _board(rpc, context, election_id)
    if is_ro and posts is None:
        posts = await _posts(rpc, context, election_id)
    if typed is None:
        typed = typed_from(meeting, board or [])
    return render(request, "election_meeting.html", election=election, meeting=meeting,
                  is_ro=is_ro, board=board or [], posts=posts or {}, errors=errors or {},
                  typed=typed, saved=request.query_params.get("recorded") == "1",
                  status_code=status_code)


@router.get("/elections/{election_id}/office-bearers/meeting",
            name="portal.election_ob_meeting")
async def meeting_page(election_id: ElectionId, request: Request, rpc: RpcDep,
                       context: CallContextDep, actor: ActorDep):
    return await _page(request, rpc, context, actor, election_id)


@router.post("/elections/{election_id}/office-bearers/meeting",
             name="portal.election_ob_meeting_record")
async def record_meeting(election_id: ElectionId, request: Request, rpc: RpcDep,
                         context: CallContextDep, actor: ActorDep):
    form = await read_form(request)
    election = await rpc.call("elections", "get_election", {"election_id": election_id},
                              context=context)
    board = await _board(rpc, context, election_id)
    posts = await _posts(rpc, context, election_id)
    now = election.get("programme", {}).get("now")
    payload, errors, typed = read_meeting(
        request, form, posts, {d["membership_number"] for d in board},
        datetime.fromisoformat(now) if now else None)
    status_code = 422
    if not errors:
        try:
            await rpc.call("elections", "record_ob_meeting",
                           {"election_id": election_id, **payload}, context=context)
        except REFUSALS as refused:
            errors = refusal_errors(request, refused, posts)
            status_code = refusal_status(refused)
        else:
            return RedirectResponse(
                f"/elections/{election_id}/office-bearers/meeting?recorded=1",
                status_code=303)
    return await _page(request, rpc, context, actor, election_id, status_code=status_code,
                       errors=errors, typed=typed, posts=posts, board=board)

