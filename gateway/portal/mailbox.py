"""The mailbox: the visitor's own messages, their society's (a representative, anyone
a society grant names) and their office's (the registrar's staff), newest first, a page
at a time, and a message's page, which marks it read.

Each page has the rule of the notify route it stands for and asks the same RPC with the
same call context: ``GET /v1/mailboxes/{me|societies/{id}|offices/{id}}/messages`` for
a list (``notify.list_mailbox``), and the ``PATCH`` of one message with ``read: true``
for a message's page (``notify.update_mailbox_message``, which answers the message).
"Mark as unread" is the same ``PATCH`` with ``read: false``.

The unread count in the menu of every page (``unread_badge``) is one
``list_mailbox`` call of one message, for the visitor's first mailbox: the society's for a
society representative, the office's for its staff, else their own."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse

from gateway.access import ActorDep, authenticate, resolve
from gateway.context import CallContext, new_request_id
from gateway.deps import ANONYMOUS_ACTOR, CallContextDep, RpcDep
from gateway.identity import roles as R
from gateway.identity.tokens import Principal
from gateway.portal.page_errors import PortalRoute
from gateway.portal.rendering import gettext, render
from gateway.portal.session import read_form
from gateway.rules import MATRIX
from gateway.rules.base import SOCIETY_ROLES
from gateway.rules.notify import OFFICE_STAFF

log = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False, route_class=PortalRoute)

PAGE_SIZE = 20
MAX_TRAIL = 20
MAX_CURSOR = 200
# The badge must not hold a page up: a notify that does not answer at once shows none.
BADGE_TIMEOUT_SECONDS = 1.0
_ID = r"^[A-Za-z0-9._-]{1,64}$"
BoxId = Annotated[str, Path(pattern=_ID)]
MessageId = Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")]
STATES = ("all", "unread", "read")


@dataclass(frozen=True)
class Box:
    """One mailbox: what notify calls it, where its pages are, the API's rules."""

    kind: str              # society, office, me
    id: str | None = None

    @property
    def ref(self) -> dict[str, Any]:
        return {"kind": self.kind} if self.kind == "me" else {"kind": self.kind, "id": self.id}

    @property
    def path(self) -> str:
        plural = {"society": "societies", "office": "offices"}
        return "/mailbox" if self.kind == "me" else f"/mailbox/{plural[self.kind]}/{self.id}"

    @property
    def list_rule(self) -> str:
        return {"me": "notify.my_mailbox", "society": "notify.society_mailbox",
                "office": "notify.office_mailbox"}[self.kind]

    @property
    def params(self) -> dict[str, str]:
        return {} if self.kind == "me" else {f"{self.kind}_id": str(self.id)}


def boxes_of(principal: Principal | None) -> list[Box]:
    """The mailboxes the visitor's grants name, first the one the menu counts."""
    if principal is None:
        return [Box("me")]
    societies, offices = [], []
    for grant in principal.grants:
        pair = grant.scope_pair
        if pair and pair[0] == R.SOCIETY and grant.role in SOCIETY_ROLES:
            first = grant.role == "society_representative"
            box = Box("society", pair[1])
            if box not in societies:
                societies.insert(0, box) if first else societies.append(box)
        elif pair and pair[0] == R.OFFICE and grant.role in OFFICE_STAFF:
            if Box("office", pair[1]) not in offices:
                offices.append(Box("office", pair[1]))
    representative = any(g.role == "society_representative" and g.scope_pair
                         and g.scope_pair[0] == R.SOCIETY for g in principal.grants)
    if representative:
        return [*societies, *offices, Box("me")]
    return [*offices, Box("me"), *societies]


def _context_for(request: Request, principal: Principal, box: Box):
    """The call context the API's list route would give this visitor for this box."""
    actor = resolve(MATRIX[box.list_rule], principal, box.params)
    request_id = getattr(request.state, "request_id", None) or new_request_id()
    return CallContext(request_id=request_id).with_actor(
        actor_id=actor.account_id or ANONYMOUS_ACTOR, actor_role=actor.role or ANONYMOUS_ACTOR,
        actor_scope=actor.scope)


async def unread_badge(request: Request) -> dict[str, Any] | None:
    """{count, href} of the visitor's first mailbox, or None (not signed in, notify not
    served by this gateway or not answering: the menu then shows the plain link)."""
    if not request.state.portal_signed_in:
        return None
    if "notify" not in request.app.state.settings.services:
        return {"count": None, "href": "/mailbox"}
    try:
        principal = await authenticate(request, MATRIX["notify.my_mailbox"])
        box = boxes_of(principal)[0]
        page = await request.app.state.rpc.call(
            "notify", "list_mailbox", {"mailbox": box.ref, "limit": 1},
            context=_context_for(request, principal, box), timeout=BADGE_TIMEOUT_SECONDS)
    except Exception as exc:
        log.info("mailbox count not shown: %s", type(exc).__name__)
        return {"count": None, "href": "/mailbox"}
    return {"count": int(page.get("unread") or 0), "href": box.path}


def _link(box: Box, form: dict[str, str], cursor: str | None, trail: list[str]) -> str:
    pairs = [(k, v) for k, v in form.items() if v and not (k == "state" and v == "all")]
    if cursor:
        pairs.append(("cursor", cursor))
    pairs += [("back", step) for step in trail[-MAX_TRAIL:]]
    return box.path + (f"?{urlencode(pairs)}" if pairs else "")


async def _list_page(request: Request, rpc: RpcDep, context: CallContextDep, actor: ActorDep,
                     box: Box):
    _ = gettext(request)
    errors: dict[str, str] = {}
    state = request.query_params.get("state", "all")
    if state not in STATES:
        errors["state"] = _("Choose from the list.")
        state = "all"
    q = request.query_params.get("q", "").strip()
    if q and len(q) > 100:
        errors["q"] = _("At most 100 characters.")
    cursor = request.query_params.get("cursor") or None
    if cursor and len(cursor) > MAX_CURSOR:
        cursor = None
    trail = request.query_params.getlist("back")[-MAX_TRAIL:]
    form = {"state": state, "q": q}
    page, next_link, previous_link = None, None, None
    if not errors:
        page = await rpc.call("notify", "list_mailbox", {
            "mailbox": box.ref, "state": state, "q": q or None, "limit": PAGE_SIZE,
            "cursor": cursor}, context=context)
        if page.get("next_cursor"):
            next_link = _link(box, form, page["next_cursor"], [*trail, cursor or ""])
        if cursor:
            previous_link = _link(box, form, trail[-1] if trail else None, trail[:-1])
    boxes = boxes_of(actor.principal)
    if page is not None and boxes and boxes[0] == box:
        request.state.portal_mailbox = {"count": page["unread"], "href": box.path}
    else:
        request.state.portal_mailbox = await unread_badge(request)
    if box not in boxes:
        boxes = [*boxes, box]
    return render(request, "mailbox.html", box=box, boxes=boxes, page=page, form=form,
                  errors=errors, next_link=next_link, previous_link=previous_link,
                  states={"all": _("All messages"), "unread": _("Unread"),
                          "read": _("Read")}, status_code=422 if errors else 200)


async def _message_page(request: Request, rpc: RpcDep, context: CallContextDep,
                        actor: ActorDep, box: Box, message_id: str):
    message = await rpc.call("notify", "update_mailbox_message", {
        "mailbox": box.ref, "message_id": message_id, "read": True}, context=context)
    request.state.portal_mailbox = await unread_badge(request)
    return render(request, "message.html", box=box, message=message,
                  boxes=boxes_of(actor.principal))


async def _mark_unread(request: Request, rpc: RpcDep, context: CallContextDep, box: Box,
                       message_id: str):
    await read_form(request)
    await rpc.call("notify", "update_mailbox_message", {
        "mailbox": box.ref, "message_id": message_id, "read": False}, context=context)
    return RedirectResponse(box.path, status_code=303)


# ------------------------------------------------------------------ routes


@router.get("/mailbox", name="portal.mailbox")
async def my_mailbox(request: Request, rpc: RpcDep, context: CallContextDep, actor: ActorDep):
    return await _list_page(request, rpc, context, actor, Box("me"))


@router.get("/mailbox/messages/{message_id}", name="portal.message")
async def my_message(message_id: MessageId, request: Request, rpc: RpcDep,
                     context: CallContextDep, actor: ActorDep):
    return await _message_page(request, rpc, context, actor, Box("me"), message_id)


@router.post("/mailbox/messages/{message_id}", name="portal.message_unread")
async def my_message_unread(message_id: MessageId, request: Request, rpc: RpcDep,
                            context: CallContextDep):
    return await _mark_unread(request, rpc, context, Box("me"), message_id)


@router.get("/mailbox/societies/{society_id}", name="portal.society_mailbox")
async def society_mailbox(society_id: BoxId, request: Request, rpc: RpcDep,
                          context: CallContextDep, actor: ActorDep):
    return await _list_page(request, rpc, context, actor, Box("society", society_id))


@router.get("/mailbox/societies/{society_id}/messages/{message_id}",
            name="portal.society_message")
async def society_message(society_id: BoxId, message_id: MessageId, request: Request,
                          rpc: RpcDep, context: CallContextDep, actor: ActorDep):
    return await _message_page(request, rpc, context, actor, Box("society", society_id),
                               message_id)


@router.post("/mailbox/societies/{society_id}/messages/{message_id}",
             name="portal.society_message_unread")
async def society_message_unread(society_id: BoxId, message_id: MessageId, request: Request,
                                 rpc: RpcDep, context: CallContextDep):
    return await _mark_unread(request, rpc, context, Box("society", society_id), message_id)


@router.get("/mailbox/offices/{office_id}", name="portal.office_mailbox")
async def office_mailbox(office_id: BoxId, request: Request, rpc: RpcDep,
                         context: CallContextDep, actor: ActorDep):
    return await _list_page(request, rpc, context, actor, Box("office", office_id))


@router.get("/mailbox/offices/{office_id}/messages/{message_id}",
            name="portal.office_message")
async def office_message(office_id: BoxId, message_id: MessageId, request: Request,
                         rpc: RpcDep, context: CallContextDep, actor: ActorDep):
    return await _message_page(request, rpc, context, actor, Box("office", office_id),
                               message_id)


@router.post("/mailbox/offices/{office_id}/messages/{message_id}",
             name="portal.office_message_unread")
async def office_message_unread(office_id: BoxId, message_id: MessageId, request: Request,
                                rpc: RpcDep, context: CallContextDep):
    return await _mark_unread(request, rpc, context, Box("office", office_id), message_id)


# Pages that count their own mailbox's unread after what they change (page_errors skips
# them when it counts for every other page).
SELF_COUNTED = frozenset({"portal.mailbox", "portal.message", "portal.society_mailbox",
                          "portal.society_message", "portal.office_mailbox",
                          "portal.office_message"})
# Pages that count nothing: the mailbox's own, and answers that only redirect.
NOT_COUNTED = SELF_COUNTED | {"portal.message_unread", "portal.society_message_unread",
                              "portal.office_message_unread", "portal.sign_out",
                              "portal.language"}
