"""What the case pages share: the codes' names in the visitor's language, a level's
deadline marked overdue or due soon, the action forms (which fields each action takes,
checked as the service would before it is asked), and the grievance service's refusals
said beside the form in the visitor's language."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache
from types import SimpleNamespace
from typing import Any

from fastapi import Request

from gateway.portal import case_labels
from gateway.portal.i18n import translations
from gateway.portal.rendering import _moment, gettext
from services.common.errors import Conflict, Forbidden, InvalidInput

# Due within this many seconds: marked "due soon", as on the applications' work queue.
DUE_SOON_SECONDS = 2 * 86400
DAY = 86400
# The actions that name whom the case goes to (services/grievance/cases/store.py); only
# "assign" needs one.
ASSIGNING = ("assign", "order", "refer", "admit")
NOTE_REQUIRED = ("reply", "resolve", "ask_complainant")
MIN_NOTE, MAX_NOTE = 3, 8000
MAX_DOCUMENTS = 20
DOCUMENT_ID = re.compile(r"^[0-9a-f-]{36}$")
ACTOR_ID = re.compile(r"^\S{1,64}$")
REFUSALS = (Conflict, Forbidden, InvalidInput)


@cache
def _names(language: str) -> SimpleNamespace:
    return SimpleNamespace(**case_labels.shown(translations(language).gettext))


def names(request: Request) -> SimpleNamespace:
    """The case codes' names in the visitor's language (``C`` in the templates)."""
    return _names(request.state.portal_language)


def deadline_mark(due_at: str | None, now: datetime) -> dict[str, Any]:
    """The level's deadline as the queue marks it: overdue (by whole days), due soon
    (within two days) or on time (days left); no mark without a clock."""
    if not due_at:
        return {"mark": None, "days": None}
    left = int((datetime.fromisoformat(due_at) - now).total_seconds())
    if left < 0:
        return {"mark": "overdue", "days": -left // DAY}
    return {"mark": "due_soon" if left <= DUE_SOON_SECONDS else "on_time",
            "days": left // DAY}


def marked(item: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
    return {**item, **deadline_mark(item.get("due_at"), now or datetime.now(UTC))}


def party_lines(request: Request, parties: dict[str, Any] | None) -> list[tuple[str, str]]:
    """A case's parties as (who, name) lines in the visitor's language: a party is an
    account id, a name, a list of names, or what a grievance is against (its kind, the
    person's name, the society)."""
    shown = names(request)
    lines = []
    for role, who in (parties or {}).items():
        if role not in case_labels.PARTY_ROLES or who in (None, "", []):
            continue
        if isinstance(who, dict):
            text = ", ".join(str(part) for part in (
                shown.AGAINST_TYPES[who["type"]] if who.get("type") else None,
                who.get("name"), who.get("society_id")) if part)
        elif isinstance(who, list):
            text = (", ".join(who) if all(isinstance(part, str) for part in who)
                    else str(len(who)))
        else:
            text = str(who)
        lines.append((shown.PARTY_ROLES[role], text))
    return lines


def action_fields(action: str) -> set[str]:
    """The fields an action's form shows: a note always, documents always; whom it is
    assigned to for the assigning ones; the rating for "rate"."""
    fields = {"note", "document_ids"}
    if action in ASSIGNING:
        fields.add("assignee")
    if action == "rate":
        fields.add("rating")
    return fields


def read_action(request: Request, form) -> tuple[dict[str, Any], dict[str, str], dict]:
    """The posted action as ``take_action``'s payload (without the case), the errors
    the page can tell beside their fields, and what was typed (to show it again)."""
    _ = gettext(request)
    action = str(form.get("action", ""))
    typed = {name: str(form.get(name, "")).strip()
             for name in ("note", "assignee", "rating", "document_ids")}
    errors: dict[str, str] = {}
    payload: dict[str, Any] = {"action": action}
    note = typed["note"]
    if note:
        if len(note) < MIN_NOTE or len(note) > MAX_NOTE:
            errors["note"] = _("Write 3 to 8,000 characters.")
        payload["note"] = note
    elif action in NOTE_REQUIRED:
        errors["note"] = _("Write what the complainant will read.")
    if action in ASSIGNING and typed["assignee"]:
        if not ACTOR_ID.match(typed["assignee"]):
            errors["assignee"] = _("An officer's id: up to 64 characters, no spaces.")
        payload["assignee"] = typed["assignee"]
    elif action == "assign":
        errors["assignee"] = _("Name the officer the case is assigned to.")
    if action == "rate":
        if typed["rating"] in ("1", "2", "3", "4", "5"):
            payload["rating"] = int(typed["rating"])
        else:
            errors["rating"] = _("Choose a rating from 1 to 5.")
    documents = typed["document_ids"].split()
    if len(documents) > MAX_DOCUMENTS or not all(DOCUMENT_ID.match(d) for d in documents):
        errors["document_ids"] = _("Up to 20 document ids, one a line, as the documents "
                                   "service gave them.")
    payload["document_ids"] = documents
    return payload, errors, typed


# The service's field names to the form's (pydantic's paths keep the payload's names).
FIELD_OF = {"note": "note", "assignee": "assignee", "rating": "rating",
            "document_ids": "document_ids", "action": "form"}


def refusal_status(refused: Exception) -> int:
    """The page's status for a refused action: the service's (403, 409, 422)."""
    return getattr(refused, "http_status", None) or 422


def refusal_errors(request: Request, refused: Exception,
                   field_of: dict[str, str] = FIELD_OF) -> dict[str, str]:
    """The service's refusal in the visitor's language: beside the field it names, or
    beside the form. A step from the wrong state names the case's state, a window that
    has closed its closing moment; a role that may not says so. The rule the service
    names (the kind's transition) is kept under ``rule``, in the service's words."""
    _ = gettext(request)
    details = getattr(refused, "details", {}) or {}
    rule = {"rule": str(details["rule"])} if details.get("rule") else {}
    if isinstance(refused, Forbidden):
        return {"form": _("Your role may not take this step on this case."), **rule}
    if isinstance(refused, Conflict):
        if details.get("closed_at"):
            return {"form": _("This step was possible until %(when)s.")
                    % {"when": _moment(details["closed_at"])}, **rule}
        if details.get("state"):
            state = names(request).CASE_STATES[details["state"]]
            return {"form": _("This step is not possible now: the case is “%(state)s”.")
                    % {"state": state}, **rule}
        return {"form": _("The case changed meanwhile: read it again and resend.")}
    fields = details.get("fields") or {}
    errors = {}
    for path, problem in fields.items():
        name = next((field_of[part] for part in reversed(
            re.split(r"[.\[\]]", str(path))) if part in field_of), None)
        if name:
            errors[name] = _("The grievance service refused this: %(reason)s") % {
                "reason": getattr(refused, "message", problem) if name == "form"
                else problem}
    return errors or {"form": _("The grievance service refused this: %(reason)s") % {
        "reason": getattr(refused, "message", str(refused))}}
