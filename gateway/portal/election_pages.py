"""What the election pages share: the programme as steps in the visitor's language
(dates dd-mm-yyyy, hours IST), which grant the visitor holds over an election (to offer
only the forms the API would take from them), and the elections service's refusals said
beside the form in the visitor's language: a closed window (409 ``outside_window``)
names the stage and its window; other refusals keep the service's words after a lead
in the visitor's language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request

from gateway.deps import ANONYMOUS_ACTOR, PUBLIC_SCOPE
from gateway.portal import labels
from gateway.portal.rendering import _moment, gettext
from services.common.errors import Conflict, InvalidInput, NotFound, OutsideWindow
from services.common.india import day_text

RO = "returning_officer"
ARO = "assistant_returning_officer"
CEA = "cea_official"
REFUSALS = (OutsideWindow, Conflict, InvalidInput)


def grants(actor, election_id: str) -> set[str]:
    """The roles the visitor holds over this election: the RO's or an ARO's grant
    scoped to it, the CEA's unscoped."""
    principal = actor.principal
    held = set()
    for grant in (principal.grants if principal else ()):
        if grant.role == CEA or (grant.role in (RO, ARO)
                                 and grant.scope == f"election:{election_id}"):
            held.add(grant.role)
    return held


def public_context(context):
    """The context of a public API route (anyone's, no token), for the RPCs whose route
    is public: the page shows the visitor what that route shows everyone, no more."""
    return context.with_actor(actor_id=ANONYMOUS_ACTOR, actor_role=ANONYMOUS_ACTOR,
                              actor_scope=PUBLIC_SCOPE)


def _hours(value: str | None) -> str | None:
    return value[:5] if value else None


def window_text(request: Request, stage: dict[str, Any]) -> str:
    """'25-11-2025 to 29-11-2025, 11:00 to 15:00 IST each day', in the visitor's
    language (the service's ``describe``)."""
    _ = gettext(request)
    starts, ends = day_text(stage["starts_on"]), day_text(stage["ends_on"])
    days = starts if starts == ends else _("%(from)s to %(to)s") % {"from": starts, "to": ends}
    start, end = _hours(stage.get("daily_from")), _hours(stage.get("daily_to"))
    if end is None:
        hours = (_("from %(time)s IST") % {"time": start} if start
                 else _("the whole day"))
    elif starts != ends:
        hours = _("%(from)s to %(to)s IST each day") % {"from": start or "00:00", "to": end}
    else:
        hours = _("%(from)s to %(to)s IST") % {"from": start or "00:00", "to": end}
    return f"{days}, {hours}"


def programme_steps(request: Request, election: dict[str, Any]) -> list[dict[str, Any]]:
    """Every stage of the programme in order, with its window, open now, next, overdue
    or done, as the service's programme status says."""
    status = election["programme"]
    steps = []
    for stage in sorted(election["stages"], key=lambda s: s["seq"]):
        code = stage["stage"]
        if code in status["open"]:
            state = "open"
        elif code in status["overdue"]:
            state = "overdue"
        elif stage.get("done_at"):
            state = "done"
        elif code == status.get("next"):
            state = "next"
        elif datetime.fromisoformat(stage["opens_at"]) > datetime.fromisoformat(status["now"]):
            state = "later"
        else:
            state = "closed"
        steps.append({**stage, "state": state, "window_text": window_text(request, stage)})
    return steps


def refusal_status(refused: Exception) -> int:
    """The page's status for a refused form: 409 as the service said, else 422."""
    return 409 if getattr(refused, "http_status", None) == 409 else 422


def refusal_text(request: Request, refused: Exception) -> str:
    """The service's refusal in the visitor's language, for the error beside a form."""
    _ = gettext(request)
    details = getattr(refused, "details", {}) or {}
    if isinstance(refused, OutsideWindow) and details.get("opens_at"):
        code = details.get("stage", "")
        stage = (_(labels.ELECTION_STAGES[code]) if code in labels.ELECTION_STAGES
                 else details.get("title", ""))
        values = {"stage": stage, "opens": _moment(details["opens_at"]),
                  "closes": _moment(details["closes_at"])}
        now = details.get("now")
        if now and datetime.fromisoformat(now) < datetime.fromisoformat(details["opens_at"]):
            return _("%(stage)s has not opened yet: its window is %(opens)s to %(closes)s "
                     "(the programme gives its daily hours).") % values
        return _("%(stage)s is closed: its window was %(opens)s to %(closes)s "
                 "(the programme gives its daily hours).") % values
    if isinstance(refused, NotFound):
        return _("Not found: it may have been removed, or it is not yours to see.")
    return _("The election service refused this: %(reason)s") % {"reason": refused.message}
