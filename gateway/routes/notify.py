"""Mailboxes, message templates, mass communication jobs and delivery records.

Thin routes: each validates its input (422 with every field), forwards to one notify RPC
with the caller's context and answers the service's contract. Scope is checked twice:
here by the route's access rule (gateway/rules/notify.py), there by ``ensure_scope``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, ConfigDict, Field

from gateway.deps import CallContextDep, IdempotentCallContextDep, RpcDep
from gateway.pagination import CursorQuery, after_of, as_page, offset_of, page_model
from services.common.contracts import notify as c

router = APIRouter(prefix="/v1", tags=["notify"])

# The services' pages as the HTTP API answers them (gateway/pagination.py).
TemplatePageOut = page_model(c.TemplatePageV1, "TemplatePageOut")
MassMessagePageOut = page_model(c.MassMessagePageV1, "MassMessagePageOut")
DeliveryPageOut = page_model(c.DeliveryPageV1, "DeliveryPageOut")

_ID = r"^[A-Za-z0-9._-]{1,64}$"
SocietyId = Annotated[str, Path(pattern=_ID)]
OfficeId = Annotated[str, Path(pattern=_ID)]
MessageId = Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")]
JobId = Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")]
TemplateKey = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
State = Literal["all", "unread", "read"]
Kind = Literal["notice", "certificate", "order", "query", "reminder", "message"]


class MailboxChangeIn(BaseModel):
    # At least one of the two, not null: the schema says so, the service refuses otherwise.
    model_config = ConfigDict(extra="forbid", json_schema_extra={"anyOf": [
        {"required": [name], "properties": {name: {"type": "boolean"}}}
        for name in ("read", "archived")]})

    read: bool | None = None
    archived: bool | None = None


class TemplateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    jurisdiction: str = Field("national", pattern=_ID)
    language: Literal["en", "hi"]
    subject: str = Field(min_length=1, max_length=300)
    body: str = Field(min_length=1, max_length=20000)
    sms: str = Field(min_length=1, max_length=1000)
    variables: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]] = Field(
        max_length=30)


class FiltersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: Literal["individual", "firm", "society"] | None = None


class MassMessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    template_key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    variables: dict[Annotated[str, Field(max_length=40)],
                    Annotated[str, Field(max_length=1000)]] = Field(default_factory=dict,
                                                                   max_length=30)
    channels: list[Literal["sms", "email"]] = Field(min_length=1, max_length=2)
    filters: FiltersIn = Field(default_factory=FiltersIn)
    as_on: date | None = None


def _list_payload(mailbox: dict, state, archived, kind, q, limit, cursor) -> dict[str, Any]:
    return {"mailbox": mailbox, "state": state, "archived": archived, "kind": kind, "q": q,
            "limit": limit, "cursor": cursor}


Limit = Annotated[int, Query(ge=1, le=200)]
Cursor = Annotated[str | None, Query(min_length=1, max_length=200)]
Search = Annotated[str | None, Query(min_length=1, max_length=100)]


# --------------------------------------------------------------------------- mailboxes

@router.get("/mailboxes/societies/{society_id}/messages", name="notify.society_mailbox",
            response_model=c.MailboxPageV1, summary="A society's mailbox, newest first")
async def society_mailbox(society_id: SocietyId, rpc: RpcDep, context: CallContextDep,
                          state: State = "all", archived: bool = False,
                          kind: Kind | None = None, q: Search = None, limit: Limit = 50,
                          cursor: Cursor = None):
    payload = _list_payload({"kind": "society", "id": society_id}, state, archived, kind, q,
                            limit, cursor)
    return await rpc.call("notify", "list_mailbox", payload, context=context)


@router.patch("/mailboxes/societies/{society_id}/messages/{message_id}",
              name="notify.society_mailbox_update", response_model=c.MailboxMessageV1,
              summary="Mark a society's message read/unread or archive it")
async def society_mailbox_update(society_id: SocietyId, message_id: MessageId,
                                 body: MailboxChangeIn, rpc: RpcDep, context: CallContextDep):
    payload = {"mailbox": {"kind": "society", "id": society_id}, "message_id": message_id,
               **body.model_dump()}
    return await rpc.call("notify", "update_mailbox_message", payload, context=context)


@router.get("/mailboxes/offices/{office_id}/messages", name="notify.office_mailbox",
            response_model=c.MailboxPageV1, summary="An office's mailbox (reminders)")
async def office_mailbox(office_id: OfficeId, rpc: RpcDep, context: CallContextDep,
                         state: State = "all", archived: bool = False,
                         kind: Kind | None = None, q: Search = None, limit: Limit = 50,
                         cursor: Cursor = None):
    payload = _list_payload({"kind": "office", "id": office_id}, state, archived, kind, q,
                            limit, cursor)
    return await rpc.call("notify", "list_mailbox", payload, context=context)


@router.patch("/mailboxes/offices/{office_id}/messages/{message_id}",
              name="notify.office_mailbox_update", response_model=c.MailboxMessageV1,
              summary="Mark an office's message read/unread or archive it")
async def office_mailbox_update(office_id: OfficeId, message_id: MessageId,
                                body: MailboxChangeIn, rpc: RpcDep, context: CallContextDep):
    payload = {"mailbox": {"kind": "office", "id": office_id}, "message_id": message_id,
               **body.model_dump()}
    return await rpc.call("notify", "update_mailbox_message", payload, context=context)


@router.get("/mailboxes/me/messages", name="notify.my_mailbox",
            response_model=c.MailboxPageV1, summary="The signed-in user's own mailbox")
async def my_mailbox(rpc: RpcDep, context: CallContextDep, state: State = "all",
                     archived: bool = False, kind: Kind | None = None, q: Search = None,
                     limit: Limit = 50, cursor: Cursor = None):
    payload = _list_payload({"kind": "me"}, state, archived, kind, q, limit, cursor)
    return await rpc.call("notify", "list_mailbox", payload, context=context)


@router.patch("/mailboxes/me/messages/{message_id}", name="notify.my_mailbox_update",
              response_model=c.MailboxMessageV1, summary="Mark one of my messages")
async def my_mailbox_update(message_id: MessageId, body: MailboxChangeIn, rpc: RpcDep,
                            context: CallContextDep):
    payload = {"mailbox": {"kind": "me"}, "message_id": message_id, **body.model_dump()}
    return await rpc.call("notify", "update_mailbox_message", payload, context=context)


# --------------------------------------------------------------------------- templates

@router.get("/templates", name="notify.list_templates", response_model=TemplatePageOut,
            summary="Template versions (built-in version 0 and published ones)")
async def list_templates(rpc: RpcDep, context: CallContextDep,
                         key: Annotated[str | None, Query(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
                         = None, language: Literal["en", "hi"] | None = None,
                         jurisdiction: Annotated[str | None, Query(pattern=_ID)] = None,
                         limit: Limit = 50,
                         cursor: CursorQuery = None):
    payload = {"key": key, "language": language, "jurisdiction": jurisdiction,
               "limit": limit, "offset": offset_of(cursor)}
    return as_page(await rpc.call("notify", "list_templates", payload, context=context))


@router.post("/templates/{template_key}/versions", name="notify.publish_template",
             response_model=c.TemplateV1, status_code=status.HTTP_201_CREATED,
             summary="Publish a new version of a template")
async def publish_template(template_key: TemplateKey, body: TemplateIn, rpc: RpcDep,
                           context: IdempotentCallContextDep):
    payload = {"key": template_key, **body.model_dump()}
    return await rpc.call("notify", "publish_template", payload, context=context)


# --------------------------------------------------------------------------- mass messages

@router.post("/mass-messages/societies/{society_id}", name="notify.create_mass_message",
             response_model=c.MassMessageV1, status_code=status.HTTP_202_ACCEPTED,
             summary="Send one message to a society's members (accepted as a job)")
async def create_mass_message(society_id: SocietyId, body: MassMessageIn, rpc: RpcDep,
                              context: IdempotentCallContextDep):
    payload = {"society_id": society_id, **body.model_dump(mode="json")}
    return await rpc.call("notify", "create_mass_message", payload, context=context)


@router.get("/mass-messages/societies/{society_id}", name="notify.list_mass_messages",
            response_model=MassMessagePageOut, summary="A society's mass messages")
async def list_mass_messages(society_id: SocietyId, rpc: RpcDep, context: CallContextDep,
                             limit: Limit = 50,
                             cursor: CursorQuery = None):
    payload = {"society_id": society_id, "limit": limit, "offset": offset_of(cursor)}
    return as_page(await rpc.call("notify", "list_mass_messages", payload, context=context))


@router.get("/mass-messages/{job_id}", name="notify.get_mass_message",
            response_model=c.MassMessageV1, summary="A mass message and its progress")
async def get_mass_message(job_id: JobId, rpc: RpcDep, context: CallContextDep):
    return await rpc.call("notify", "get_mass_message", {"job_id": job_id}, context=context)


@router.get("/mass-messages/{job_id}/deliveries", name="notify.list_deliveries",
            response_model=DeliveryPageOut, summary="Per-recipient delivery records")
async def list_deliveries(job_id: JobId, rpc: RpcDep, context: CallContextDep,
                          status_: Annotated[Literal["queued", "sent", "delivered", "failed"]
                                             | None, Query(alias="status")] = None,
                          channel: Literal["sms", "email", "mailbox"] | None = None,
                          limit: Annotated[int, Query(ge=1, le=500)] = 100,
                          cursor: CursorQuery = None):
    payload = {"job_id": job_id, "status": status_, "channel": channel, "limit": limit,
               "after": after_of(cursor, int)}
    return as_page(await rpc.call("notify", "list_deliveries", payload, context=context))


@router.get("/deliveries/{delivery_id}", name="notify.get_delivery",
            response_model=c.DeliveryV1, summary="One delivery record")
async def get_delivery(delivery_id: Annotated[int, Path(ge=1, le=2**63 - 1)], rpc: RpcDep,
                       context: CallContextDep):
    return await rpc.call("notify", "get_delivery", {"delivery_id": delivery_id},
                          context=context)
