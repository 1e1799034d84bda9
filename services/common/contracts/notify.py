"""Contracts the notify service publishes and answers: mailboxes, templates, mass
communication jobs, delivery records, one-time passwords."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from services.common.contracts.base import Contract, Event

_ID = r"^[A-Za-z0-9._-]{1,64}$"
_KEY = r"^[a-z][a-z0-9_]{0,63}$"
Language = Literal["en", "hi"]
Channel = Literal["sms", "email", "mailbox"]
DeliveryStatus = Literal["queued", "sent", "delivered", "failed"]
MessageKind = Literal["notice", "certificate", "order", "query", "reminder", "message"]

# --------------------------------------------------------------------------- mailbox


class MailboxRef(Contract):
    """Which mailbox: a society's, an office's, or the calling user's own (``me``)."""

    kind: Literal["society", "office", "me"]
    id: str | None = Field(None, pattern=_ID)


class ListMailboxV1(Contract):
    mailbox: MailboxRef
    state: Literal["all", "unread", "read"] = "all"
    archived: bool = False
    kind: MessageKind | None = None
    q: str | None = Field(None, min_length=1, max_length=100)
    limit: int = Field(50, ge=1, le=200)
    cursor: str | None = Field(None, max_length=200)


class UpdateMailboxMessageV1(Contract):
    mailbox: MailboxRef
    message_id: str = Field(pattern=r"^[0-9a-f-]{36}$")
    read: bool | None = None
    archived: bool | None = None


class Link(Contract):
    title: str
    document_id: str | None = None
    url: str | None = None


class MailboxMessageV1(Contract):
    id: str
    mailbox_kind: str
    mailbox_id: str
    kind: str
    subject: str
    body: str
    links: list[Link]
    created_at: datetime
    read_at: datetime | None
    archived_at: datetime | None


class MailboxPageV1(Contract):
    items: list[MailboxMessageV1]
    next_cursor: str | None
    unread: int = Field(ge=0)


# --------------------------------------------------------------------------- templates


class PublishTemplateV1(Contract):
    key: str = Field(pattern=_KEY)
    jurisdiction: str = Field("national", pattern=_ID)
    language: Language
    subject: str = Field(min_length=1, max_length=300)
    body: str = Field(min_length=1, max_length=20000)
    sms: str = Field(min_length=1, max_length=1000)
    variables: list[str] = Field(max_length=30)


class ListTemplatesV1(Contract):
    key: str | None = Field(None, pattern=_KEY)
    language: Language | None = None
    jurisdiction: str | None = Field(None, pattern=_ID)
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100000)


class TemplateV1(Contract):
    key: str
    jurisdiction: str
    language: str
    version: int
    subject: str
    body: str
    sms: str
    variables: list[str]


class TemplatePageV1(Contract):
    items: list[TemplateV1]
    next_offset: int | None


# --------------------------------------------------------------------------- mass messages


class MemberFilters(Contract):
    category: str | None = Field(None, min_length=1, max_length=50)
    status: Literal["active"] = "active"


class CreateMassMessageV1(Contract):
    society_id: str = Field(pattern=_ID)
    template_key: str = Field(pattern=_KEY)
    variables: dict[str, str | int | float] = Field(default_factory=dict, max_length=30)
    channels: list[Literal["sms", "email"]] = Field(min_length=1, max_length=2)
    filters: MemberFilters = Field(default_factory=MemberFilters)
    as_on: date | None = None


class MassMessageRefV1(Contract):
    job_id: str = Field(pattern=r"^[0-9a-f-]{36}$")


class ListMassMessagesV1(Contract):
    society_id: str = Field(pattern=_ID)
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100000)


class ChannelProgress(Contract):
    channel: str
    queued: int
    sent: int
    delivered: int
    failed: int


class MassMessageV1(Contract):
    id: str
    society_id: str
    template_key: str
    channels: list[str]
    filters: dict
    as_on: str | None
    status: Literal["materialising", "sending", "completed"]
    recipients: int
    progress: list[ChannelProgress]
    created_by: str
    created_at: datetime
    materialised_at: datetime | None
    completed_at: datetime | None


class MassMessagePageV1(Contract):
    items: list[MassMessageV1]
    next_offset: int | None


class ListDeliveriesV1(Contract):
    job_id: str = Field(pattern=r"^[0-9a-f-]{36}$")
    status: DeliveryStatus | None = None
    channel: Channel | None = None
    limit: int = Field(100, ge=1, le=500)
    after: int | None = Field(None, ge=0)


class DeliveryRefV1(Contract):
    delivery_id: int = Field(ge=1)


class DeliveryV1(Contract):
    id: int
    key: str
    origin: str
    origin_id: str
    job_id: str | None
    recipient_id: str
    channel: str
    destination: str = Field(description="masked")
    language: str
    status: DeliveryStatus
    attempts: int
    provider_id: str | None
    error: str | None
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime | None


class DeliveryPageV1(Contract):
    items: list[DeliveryV1]
    next_after: int | None


# --------------------------------------------------------------------------- OTP


class SendOtpV1(Contract):
    channel: Literal["sms", "email"]
    destination: str = Field(min_length=3, max_length=254)
    code: str = Field(pattern=r"^[0-9]{4,10}$")
    language: str = Field("en", max_length=8)
    purpose: str = Field("sign_in", max_length=50)


class OtpSentV1(Contract):
    delivery_id: int
    channel: str
    destination: str = Field(description="masked")
    status: DeliveryStatus


# --------------------------------------------------------------------------- events


class DeliveryFailedV1(Event):
    """A message could not be delivered for good (after its retries, or at once for a
    permanent cause such as an invalid or missing address)."""

    event_type = "delivery_failed"

    delivery_id: int
    key: str
    origin: str
    origin_id: str
    job_id: str | None
    recipient_id: str
    channel: str
    error: str
    at: datetime


class MassMessageCompletedV1(Event):
    """Every recipient of a mass communication job has a final outcome on every channel."""

    event_type = "mass_message_completed"

    job_id: str
    society_id: str
    recipients: int
    progress: list[ChannelProgress]
    at: datetime
