"""THE event rules: which facts of other services become which notifications.

One table, ``RULES``: for a (source, event type) a function that reads the event
(tolerantly: unknown fields ignored, missing optional ones defaulted) and answers the
notices to send, each with its template, variables, recipient, channels and links.
Adding a reminder is adding a row here; the handler in service.py applies any rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict

from services.notify.templates import NATIONAL


class _Tolerant(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Person(_Tolerant):
    account_id: str | None = None
    name: str = ""
    email: str | None = None
    phone: str | None = None
    language: str | None = None


class Hearing(_Tolerant):
    at: str = ""
    link: str = ""


class ApplicationStageChanged(_Tolerant):
    application_id: str
    kind: str = ""
    stage: str
    previous_stage: str | None = None
    society_id: str | None = None
    office_id: str | None = None
    applicant: Person = Person()
    reason: str | None = None
    hearing: Hearing | None = None


class ApplicationDeadline(_Tolerant):
    application_id: str
    kind: str = ""
    stage: str = ""
    deadline: str = ""
    office_id: str | None = None


class SocietyRegistered(_Tolerant):
    society_id: str
    registration_number: str = ""
    name: str = ""
    office_id: str | None = None


class CertificateIssued(_Tolerant):
    document_id: str
    version: int | None = None
    society_id: str | None = None
    certificate_kind: str = ""
    verification_code: str = ""
    subject: str = ""


@dataclass(frozen=True)
class Recipient:
    id: str                                  # stable: account, society or office id
    name: str = ""
    mailbox: tuple[str, str] | None = None   # (kind, id) of the mailbox to post to
    email: str | None = None
    phone: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Notice:
    template_key: str
    kind: str                                # mailbox message kind
    recipient: Recipient
    channels: tuple[str, ...]                # mailbox, email, sms
    variables: dict[str, Any]
    links: list[dict] = field(default_factory=list)
    jurisdiction: str = NATIONAL


def _applicant(event: ApplicationStageChanged) -> Recipient:
    person = event.applicant
    recipient_id = person.account_id or f"applicant-of-{event.application_id}"
    return Recipient(id=recipient_id, name=person.name,
                     mailbox=("user", person.account_id) if person.account_id else None,
                     email=person.email, phone=person.phone, language=person.language)


# stage -> (template, mailbox message kind, channels)
STAGE_NOTICES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "query_raised": ("application_query_raised", "query", ("mailbox", "email")),
    "approved": ("application_approved", "order", ("mailbox", "email", "sms")),
    "rejected": ("application_rejected", "order", ("mailbox", "email", "sms")),
    "hearing_scheduled": ("application_hearing_scheduled", "notice",
                          ("mailbox", "email", "sms")),
}


def application_stage_changed(payload: dict, portal_url: str = "") -> list[Notice]:
    event = ApplicationStageChanged.model_validate(payload)
    chosen = STAGE_NOTICES.get(event.stage)
    if chosen is None:
        return []
    template, kind, channels = chosen
    variables = {"application_id": event.application_id, "kind": event.kind,
                 "reason": event.reason or "",
                 "hearing_at": event.hearing.at if event.hearing else "",
                 "hearing_link": event.hearing.link if event.hearing else ""}
    links = ([{"title": "Hearing", "url": event.hearing.link}]
             if event.hearing and event.hearing.link else [])
    return [Notice(template, kind, _applicant(event), channels, variables, links,
                   event.office_id or NATIONAL)]


def _deadline(template: str) -> Callable[[dict], list[Notice]]:
    def notices(payload: dict, portal_url: str = "") -> list[Notice]:
        event = ApplicationDeadline.model_validate(payload)
        if not event.office_id:
            return []
        office = Recipient(id=f"office-{event.office_id}", name="",
                           mailbox=("office", event.office_id))
        variables = {"application_id": event.application_id, "kind": event.kind,
                     "stage": event.stage, "deadline": event.deadline}
        return [Notice(template, "reminder", office, ("mailbox",), variables, [],
                       event.office_id)]
    return notices


def society_registered(payload: dict, portal_url: str = "") -> list[Notice]:
    event = SocietyRegistered.model_validate(payload)
    society = Recipient(id=f"society-{event.society_id}", name=event.name,
                        mailbox=("society", event.society_id))
    variables = {"society_name": event.name,
                 "registration_number": event.registration_number}
    return [Notice("society_registered", "certificate", society, ("mailbox",), variables,
                   [], event.office_id or NATIONAL)]


def certificate_issued(payload: dict, portal_url: str = "") -> list[Notice]:
    event = CertificateIssued.model_validate(payload)
    if not event.society_id:
        return []
    link = f"{portal_url.rstrip('/')}/documents/{event.document_id}"
    society = Recipient(id=f"society-{event.society_id}",
                        mailbox=("society", event.society_id))
    variables = {"certificate_kind": event.certificate_kind, "subject": event.subject,
                 "verification_code": event.verification_code, "link": link}
    links = [{"title": f"{event.certificate_kind} certificate".strip(),
              "document_id": event.document_id, "url": link}]
    return [Notice("certificate_issued", "certificate", society, ("mailbox",), variables,
                   links)]


RULES: dict[tuple[str, str], Callable[..., list[Notice]]] = {
    ("registry", "application_stage_changed"): application_stage_changed,
    ("registry", "application_due_soon"): _deadline("application_due_soon"),
    ("registry", "application_overdue"): _deadline("application_overdue"),
    ("registry", "society_registered"): society_registered,
    ("documents", "certificate_issued"): certificate_issued,
}


def notices_for(source: str, event_type: str, payload: dict,
                portal_url: str = "") -> list[Notice]:
    """The notices an event calls for (none for a fact no rule cares about)."""
    return RULES[(source, event_type)](payload, portal_url)
